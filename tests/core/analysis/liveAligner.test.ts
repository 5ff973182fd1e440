/**
 * LiveAligner against the batch alignCloses: random bar sets with quiet intervals and one symbol
 * starting later, bars delivered as the aggregator would (within the grace after their end) with
 * the feed clock advancing in between — identical grid and closes, never a row before its bars.
 */
import { describe, expect, it } from 'vitest';
import { LiveAligner, type Leg } from '../../../src/core/analysis/liveAligner';
import { alignCloses } from '../../../src/core/stats/align';
import { rng } from './helpers';

interface TBar {
  startMs: number;
  close: number;
  tfMs: number;
}

function randomBars(
  r: () => number,
  n: number,
  barTf: number,
  startMs: number,
  pQuiet: number,
): TBar[] {
  const out: TBar[] = [];
  let p = 100 + 50 * r();
  for (let i = 0; i < n; i++) {
    p *= 1 + 0.01 * (r() - 0.5);
    if (r() < pQuiet) continue;
    out.push({ startMs: startMs + i * barTf, close: Math.round(p * 100) / 100, tfMs: barTf });
  }
  return out;
}

interface Row {
  t: number;
  a: number;
  b: number;
}

/** Replays the bars as the live path would; returns the rows and checks no look-ahead. */
function runLive(
  barsA: TBar[],
  barsB: TBar[],
  tf: number,
  grace: number,
  r: () => number,
  finish: boolean,
  maxFillRows?: number,
): Row[] {
  const events: { at: number; leg: Leg; bar: TBar }[] = [];
  for (const [leg, bars] of [
    [0, barsA],
    [1, barsB],
  ] as const) {
    for (const bar of bars) events.push({ at: bar.startMs + bar.tfMs + r() * grace, leg, bar });
  }
  events.sort((x, y) => x.at - y.at);
  const al = new LiveAligner(tf, { maxFillRows });
  const rows: Row[] = [];
  const delivered: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
  const sink = (t: number, a: number, b: number): void => {
    // No look-ahead: every bar of interval t that will ever exist has been delivered.
    for (const [leg, bars] of [
      [0, barsA],
      [1, barsB],
    ] as const) {
      for (const bar of bars) {
        if (Math.floor(bar.startMs / tf) * tf === t) {
          expect(delivered[leg].has(bar.startMs)).toBe(true);
        }
      }
    }
    rows.push({ t, a, b });
  };
  const lastAt = events.length ? events[events.length - 1].at : 0;
  let k = 0;
  let now = events.length ? events[0].at - tf : 0;
  while (k < events.length) {
    now += r() * 2 * tf;
    while (k < events.length && events[k].at <= now) {
      const e = events[k++];
      delivered[e.leg].set(e.bar.startMs, e.bar.close);
      expect(al.add(e.leg, e.bar.startMs, e.bar.close, e.bar.tfMs)).toBeNull();
    }
    // Stay below the end of the data so no forward-filled tail rows appear (batch has none).
    al.advance(Math.min(now, lastAt - grace), grace, sink);
  }
  if (finish) al.finish(sink);
  return rows;
}

describe('LiveAligner vs alignCloses', () => {
  it('random bar sets: identical grid and closes (quiet intervals, later start)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const r = rng(seed);
      const tf = 1000;
      const lateStart = Math.floor(r() * 40) * tf;
      const barsA = randomBars(r, 150 + Math.floor(r() * 100), tf, 1_700_000_000_000, r() * 0.5);
      const barsB = randomBars(
        r,
        150 + Math.floor(r() * 100),
        tf,
        1_700_000_000_000 + lateStart,
        r() * 0.5,
      );
      const rows = runLive(barsA, barsB, tf, 250, r, true);
      const batch = alignCloses(barsA, barsB, tf);
      expect(rows.length, `seed ${seed}`).toBe(batch.startMs.length);
      for (let i = 0; i < rows.length; i++) {
        expect(rows[i].t).toBe(batch.startMs[i]);
        expect(rows[i].a).toBe(batch.a[i]);
        expect(rows[i].b).toBe(batch.b[i]);
      }
    }
  });

  it('finer bars are resampled like pandas resample().last() (1 s bars on a 5 s grid)', () => {
    for (let seed = 100; seed < 120; seed++) {
      const r = rng(seed);
      const barsA = randomBars(r, 400, 1000, 1_700_000_000_000, 0.6);
      const barsB = randomBars(r, 400, 1000, 1_700_000_003_000, 0.3);
      const rows = runLive(barsA, barsB, 5000, 250, r, true);
      const batch = alignCloses(barsA, barsB, 5000);
      expect(rows.map((x) => x.t)).toEqual(Array.from(batch.startMs));
      expect(rows.map((x) => x.a)).toEqual(Array.from(batch.a));
      expect(rows.map((x) => x.b)).toEqual(Array.from(batch.b));
    }
  });

  it('quiet intervals after the last bars still produce forward-filled rows by the feed clock', () => {
    const al = new LiveAligner(1000);
    al.add(0, 0, 10);
    al.add(1, 0, 20);
    al.add(0, 1000, 11);
    const rows: Row[] = [];
    const sink = (t: number, a: number, b: number): void => void rows.push({ t, a, b });
    al.advance(null, 250, sink); // only bars: A closed through 2000, B through 1000
    expect(rows).toEqual([{ t: 0, a: 10, b: 20 }]);
    al.advance(2000 + 249, 250, sink); // interval 1000 not final by the clock yet
    expect(rows.length).toBe(1);
    al.advance(5000 + 250, 250, sink);
    expect(rows).toEqual([
      { t: 0, a: 10, b: 20 },
      { t: 1000, a: 11, b: 20 },
      { t: 2000, a: 11, b: 20 },
      { t: 3000, a: 11, b: 20 },
      { t: 4000, a: 11, b: 20 },
    ]);
  });

  it('nothing before both symbols have traded; a bar of an emitted interval is a revision', () => {
    const al = new LiveAligner(1000);
    const rows: Row[] = [];
    const sink = (t: number, a: number, b: number): void => void rows.push({ t, a, b });
    al.add(0, 0, 10);
    al.add(0, 1000, 11);
    al.advance(10_000, 250, sink);
    expect(rows).toEqual([]);
    expect(al.started).toBe(false);
    al.add(1, 3000, 50); // B starts later: grid starts at 3000, A forward-filled
    al.advance(5000, 250, sink);
    expect(rows).toEqual([{ t: 3000, a: 11, b: 50 }]);
    expect(al.add(1, 3000, 51)).toEqual({ leg: 1, startMs: 3000, close: 51 });
    al.advance(6000, 250, sink);
    expect(rows[1]).toEqual({ t: 4000, a: 11, b: 51 }); // forward fill follows the revision
  });
});

describe('LiveAligner gap jumping (maxFillRows = lookback N)', () => {
  const tf = 1000;
  const T = 1_700_000_000_000;
  const collect = (rows: Row[]) => (t: number, a: number, b: number) => void rows.push({ t, a, b });

  it('data without a gap longer than N: exactly the rows of alignCloses', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(seed);
      // Quiet stretches up to ~10 intervals; N = 12 never cuts them.
      const barsA = randomBars(r, 200, tf, T, 0.6);
      const barsB = randomBars(r, 200, tf, T + 3 * tf, 0.6);
      const rows = runLive(barsA, barsB, tf, 250, r, true, 12);
      const batch = alignCloses(barsA, barsB, tf);
      expect(rows.length, `seed ${seed}`).toBe(batch.startMs.length);
      for (let i = 0; i < rows.length; i++) {
        expect([rows[i].t, rows[i].a, rows[i].b]).toEqual([
          batch.startMs[i],
          batch.a[i],
          batch.b[i],
        ]);
      }
    }
  });

  it('a gap longer than N restarts the grid: the rows after it are alignCloses of the bars after it', () => {
    const N = 50;
    const r = rng(7);
    const before = { a: randomBars(r, 30, tf, T, 0.2), b: randomBars(r, 30, tf, T, 0.2) };
    // 2017 → now: the shape of the attack, ~10⁸ intervals at 1 s.
    const later = T + 300_000_000 * tf;
    const after = {
      a: randomBars(r, 80, tf, later + 2 * tf, 0.3),
      b: randomBars(r, 80, tf, later, 0.3),
    };
    for (const mode of ['batch', 'live'] as const) {
      const al = new LiveAligner(tf, { maxFillRows: N });
      const rows: Row[] = [];
      const restarts: [number, number][] = [];
      const onRestart = (from: number, resume: number): void => {
        restarts.push([from, resume]);
        rows.length = 0; // the owner drops the old grid
      };
      const all = [
        ...before.a.map((x) => [0, x] as const),
        ...before.b.map((x) => [1, x] as const),
      ];
      for (const [leg, x] of all) al.add(leg, x.startMs, x.close);
      if (mode === 'live') al.advance(T + 40 * tf, 250, collect(rows), onRestart);
      for (const x of after.a) al.add(0, x.startMs, x.close);
      for (const x of after.b) al.add(1, x.startMs, x.close);
      const t0 = performance.now();
      const n = al.finish(collect(rows), onRestart);
      expect(performance.now() - t0).toBeLessThan(200);
      expect(n).toBeLessThan(before.a.length + N + after.a.length + after.b.length + 40);
      expect(al.restarts).toBe(1);
      expect(restarts.length).toBe(1);
      const lastBefore = Math.max(
        ...before.a.map((x) => x.startMs),
        ...before.b.map((x) => x.startMs),
      );
      expect(restarts[0][0]).toBe(lastBefore + (N + 1) * tf); // N fill rows, then the jump
      expect(restarts[0][1]).toBe(Math.min(after.a[0].startMs, after.b[0].startMs));
      const ref = alignCloses(after.a, after.b, tf);
      expect(rows.length, mode).toBe(ref.startMs.length);
      for (let i = 0; i < rows.length; i++) {
        expect([rows[i].t, rows[i].a, rows[i].b]).toEqual([ref.startMs[i], ref.a[i], ref.b[i]]);
      }
    }
  });

  it('a gap of exactly N quiet rows is filled, one more restarts', () => {
    for (const [gapRows, restarts] of [
      [5, 0],
      [6, 1],
    ] as const) {
      const al = new LiveAligner(tf, { maxFillRows: 5 });
      al.add(0, T, 10);
      al.add(1, T, 20);
      const resume = T + (gapRows + 1) * tf;
      al.add(0, resume, 11);
      al.add(1, resume, 21);
      const rows: Row[] = [];
      al.finish(collect(rows), () => (rows.length = 0));
      expect(al.restarts).toBe(restarts);
      expect(rows[rows.length - 1]).toEqual({ t: resume, a: 11, b: 21 });
      expect(rows.length).toBe(restarts === 0 ? gapRows + 2 : 1);
    }
  });

  it('the clock alone fills at most N rows past the last bar, then waits for data', () => {
    const al = new LiveAligner(tf, { maxFillRows: 3 });
    al.add(0, T, 10);
    al.add(1, T, 20);
    const rows: Row[] = [];
    let restarted = 0;
    al.advance(T + 1e9, 250, collect(rows), () => restarted++);
    expect(rows.map((x) => x.t)).toEqual([T, T + tf, T + 2 * tf, T + 3 * tf]);
    expect(restarted).toBe(0);
    // One leg resumes: the grid restarts there and waits for the other leg's first bar.
    al.add(0, T + 100 * tf, 12);
    expect(al.advance(T + 1e9, 250, collect(rows), () => restarted++)).toBe(0);
    expect(restarted).toBe(1);
    al.add(1, T + 102 * tf, 22);
    al.finish(collect(rows));
    expect(rows.slice(4)).toEqual([{ t: T + 102 * tf, a: 12, b: 22 }]);
  });
});
