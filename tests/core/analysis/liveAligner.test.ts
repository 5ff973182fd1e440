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
): Row[] {
  const events: { at: number; leg: Leg; bar: TBar }[] = [];
  for (const [leg, bars] of [
    [0, barsA],
    [1, barsB],
  ] as const) {
    for (const bar of bars) events.push({ at: bar.startMs + bar.tfMs + r() * grace, leg, bar });
  }
  events.sort((x, y) => x.at - y.at);
  const al = new LiveAligner(tf);
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
