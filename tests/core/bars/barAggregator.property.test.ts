/**
 * The aggregator's exactness contract, by property: whatever the arrival order, late ticks and
 * clock advances, the final bars equal an independent direct recomputation bit for bit; bars close
 * neither early nor late; in-progress bars equal the direct computation of what is in them; and a
 * tick is rejected as too late exactly when it is older than watermark − horizon.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BarAggregator } from '../../../src/core/bars/barAggregator';
import type { Bar, Tick } from '../../../src/core/market/types';
import { barDiff, barKey, directBars, RecordingSink, rng, shuffle } from './exactReference';
import { rawTick, SYMBOLS, toTicks } from './ticks';

const ORIGIN = 1_721_347_200_000; // 2024-07-19T00:00:00Z, 5-minute aligned

type Step = { kind: 'tick'; tick: Tick } | { kind: 'advance'; nowMs: number } | { kind: 'peek' };

interface Scenario {
  ticks: Tick[];
  steps: Step[];
  timeframesMs: number[];
  graceMs: number;
  horizonMs: number;
}

/** Builds an arrival order (full shuffle or bounded delay) with advance() and peeks mixed in. */
function scenario(spanMs: number, horizons: number[]): fc.Arbitrary<Scenario> {
  return fc
    .record({
      raw: fc.array(rawTick(3, spanMs), { minLength: 1, maxLength: 120 }),
      idSeed: fc.nat({ max: 100_000 }),
      seed: fc.integer(),
      mode: fc.constantFrom('shuffle', 'delay'),
      maxDelayMs: fc.constantFrom(0, 1500, 20_000, 200_000),
      graceMs: fc.constantFrom(0, 250, 1000),
      timeframesMs: fc.constantFrom<number[]>(
        [1000, 60_000, 300_000],
        [60_000, 300_000],
        [2000, 3000, 12_000],
      ),
      horizonMs: fc.constantFrom(...horizons),
    })
    .map((r) => {
      const rand = rng(r.seed);
      const ticks = toTicks(r.raw, ORIGIN, r.idSeed);
      const arrival =
        r.mode === 'shuffle'
          ? shuffle(ticks, rand)
          : ticks
              .map((t) => ({ t, at: t.timeMs + rand() * r.maxDelayMs }))
              .sort((a, b) => a.at - b.at)
              .map((x) => x.t);
      const steps: Step[] = [];
      let maxT = -Infinity;
      for (const t of arrival) {
        maxT = Math.max(maxT, t.timeMs);
        steps.push({ kind: 'tick', tick: t });
        const u = rand();
        if (u < 0.2)
          steps.push({ kind: 'advance', nowMs: maxT + Math.floor(rand() * 12_000) - 3000 });
        else if (u < 0.3) steps.push({ kind: 'peek' });
      }
      return {
        ticks,
        steps,
        timeframesMs: r.timeframesMs,
        graceMs: r.graceMs,
        horizonMs: Math.max(r.horizonMs, ...r.timeframesMs),
      };
    });
}

/** Runs a scenario against an independent model of watermarks; asserts along the way. */
function run(
  s: Scenario,
  finalNowMs: number,
): { accepted: Tick[]; rejected: number; sink: RecordingSink; agg: BarAggregator } {
  const sink = new RecordingSink();
  const agg = new BarAggregator(s.timeframesMs, sink, {
    graceMs: s.graceMs,
    horizonMs: s.horizonMs,
  });
  const tfs = s.timeframesMs;
  // Model: wm(sym) = max(latest accepted trade time of sym, max advance − grace).
  let now = -Infinity;
  const maxT = new Map<string, number>();
  const wm = (sym: string): number => Math.max(maxT.get(sym) ?? -Infinity, now - s.graceMs);
  const accepted: Tick[] = [];
  let rejected = 0;

  sink.check = (bar: Bar, kind) => {
    // No bar is final before its symbol's watermark reaches its end (tick in a later interval,
    // or feed clock ≥ end + grace).
    const end = bar.startMs + bar.timeframeMs;
    if (!(wm(bar.symbol) >= end))
      sink.errors.push(`${kind} early: ${barKey(bar.symbol, bar.timeframeMs, bar.startMs)}`);
  };

  const checkTimely = (): void => {
    // Every interval holding accepted ticks whose end ≤ watermark has been emitted closed.
    for (const t of accepted) {
      for (const tf of tfs) {
        const start = Math.floor(t.timeMs / tf) * tf;
        if (start + tf <= wm(t.symbol) && !sink.closedCount.has(barKey(t.symbol, tf, start))) {
          throw new Error(`not closed on time: ${barKey(t.symbol, tf, start)} wm=${wm(t.symbol)}`);
        }
      }
    }
  };

  const checkInProgress = (): void => {
    for (const sym of SYMBOLS) {
      const m = maxT.get(sym);
      for (const tf of tfs) {
        const got = agg.current(sym, tf);
        if (m === undefined) {
          expect(got).toBeNull();
          continue;
        }
        const start = Math.floor(m / tf) * tf;
        if (start + tf <= wm(sym)) {
          expect(got).toBeNull();
          continue;
        }
        const inside = accepted.filter(
          (t) => t.symbol === sym && t.timeMs >= start && t.timeMs < start + tf,
        );
        const want = directBars(inside, [tf]).get(barKey(sym, tf, start));
        expect(got).not.toBeNull();
        if (got !== null && want !== undefined) expect(barDiff(got, want)).toBeNull();
      }
    }
  };

  for (const step of s.steps) {
    if (step.kind === 'advance') {
      now = Math.max(now, step.nowMs);
      agg.advance(step.nowMs);
    } else if (step.kind === 'peek') {
      checkInProgress();
      continue;
    } else {
      const t = step.tick;
      const tooLate = t.timeMs < wm(t.symbol) - s.horizonMs;
      if (!tooLate) maxT.set(t.symbol, Math.max(maxT.get(t.symbol) ?? -Infinity, t.timeMs));
      const r = agg.add(t);
      expect(r === null ? 'accepted' : r.reason).toBe(tooLate ? 'too_late' : 'accepted');
      if (r === null) accepted.push(t);
      else rejected++;
    }
    checkTimely();
  }
  checkInProgress();
  // Close everything through the clock, then check again.
  now = Math.max(now, finalNowMs);
  agg.advance(finalNowMs);
  checkTimely();
  return { accepted, rejected, sink, agg };
}

function expectFinalBarsExact(sink: RecordingSink, accepted: Tick[], tfs: number[]): void {
  expect(sink.errors).toEqual([]);
  const want = directBars(accepted, tfs);
  // Every interval with ticks has exactly one final bar, none without.
  expect([...sink.final.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [key, bar] of want) {
    const got = sink.final.get(key);
    expect(got).toBeDefined();
    if (got !== undefined) expect(barDiff(got, bar), key).toBeNull();
    expect(sink.closedCount.get(key)).toBe(1);
  }
}

describe('BarAggregator properties', () => {
  it('final bars equal the direct recomputation, any arrival order, with late ticks (nothing too late)', () => {
    let revisions = 0;
    fc.assert(
      fc.property(scenario(9 * 60_000, [600_000]), (s) => {
        const { accepted, rejected, sink, agg } = run(s, ORIGIN + 3_600_000);
        expect(rejected).toBe(0);
        revisions += sink.revised;
        expectFinalBarsExact(sink, accepted, s.timeframesMs);
        expect(accepted.length).toBe(s.ticks.length);
        expect(sink.ticks).toBe(accepted.length);
        // Everything closed and the horizon passed: all state evicted.
        expect(agg.retainedBars()).toBe(0);
      }),
      { numRuns: 300 },
    );
    // The generated arrival orders really exercise the late-tick path.
    expect(revisions).toBeGreaterThan(100);
  });

  it('with a short horizon: too_late exactly beyond it, and bars still exact for accepted ticks', () => {
    let sawRejections = 0;
    fc.assert(
      fc.property(scenario(15 * 60_000, [300_000, 360_000]), (s) => {
        const { accepted, rejected, sink } = run(s, ORIGIN + 3_600_000);
        sawRejections += rejected;
        expectFinalBarsExact(sink, accepted, s.timeframesMs);
      }),
      { numRuns: 300 },
    );
    expect(sawRejections).toBeGreaterThan(0);
  });

  it('memory stays bounded by the horizon during a long run', () => {
    const sink = new RecordingSink();
    const agg = new BarAggregator([1000, 60_000, 300_000], sink, { horizonMs: 300_000 });
    const rand = rng(3);
    let peak = 0;
    for (let i = 0; i < 40_000; i++) {
      const t = ORIGIN + i * 100; // 10 ticks/s per symbol over 66 minutes
      for (const sym of ['A', 'B']) {
        agg.add({
          symbol: sym,
          tradeId: i,
          timeMs: t - Math.floor(rand() * 5000), // up to 5 s late
          eventTimeMs: t,
          price: 100 + rand(),
          qty: 1,
          priceText: '',
          qtyText: '',
          isBuyerMaker: rand() < 0.5,
          stream: 'trade',
          tradeType: 'MARKET',
        });
      }
      if (i % 10 === 0) agg.advance(t);
      peak = Math.max(peak, agg.retainedBars());
    }
    // Per symbol: ≤ 300 + a few 1 s bars, ≤ 6 1 m bars, ≤ 2–3 5 m bars in the horizon.
    expect(peak).toBeLessThan(2 * (310 + 7 + 3));
    expect(sink.errors).toEqual([]);
  });
});
