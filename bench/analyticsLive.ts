/**
 * Benchmarks of the live analytics engine (the code the analytics worker runs, timed in-process):
 * (a) µs per live bar at W = 1000: both legs' closed bars → LiveAligner → one row of every
 *     AnalyticsColumns column, for each hedge method — target ≤ 20 µs/bar;
 * (b) recompute of a selection from stored bars (align + analytics over the lookback) for
 *     lookback 10,000 and 100,000 — target well under 1 s.
 * Run alone: `npx tsx bench/analyticsLive.ts`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LivePairAnalytics } from '../src/core/analysis/liveAnalytics';
import type { HedgeMethod } from '../src/core/contract/contract';
import {
  cointegratedPair as pair,
  pairSelection as selection,
  startTimes as times,
  T0,
  TF,
} from '../tests/core/analysis/helpers';
import type { BenchRow } from './types';

/** (a) best-of-`rounds` µs per live bar (both legs + row) at window W. */
export function benchLivePerBar(
  method: HedgeMethod,
  window = 1000,
  bars = 200_000,
  rounds = 3,
  lookback = 10_000,
): number {
  const hist = 2 * window;
  const { a, b } = pair(hist + bars, 1);
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const la = new LivePairAnalytics({ selection: selection(method, window, lookback), tfMs: TF });
    la.load(
      { startMs: times(0, hist), close: a.subarray(0, hist) },
      { startMs: times(0, hist), close: b.subarray(0, hist) },
      null,
    );
    la.take();
    const t0 = performance.now();
    for (let i = hist; i < hist + bars; i++) {
      const t = T0 + i * TF;
      la.addBar(0, t, a[i]);
      la.addBar(1, t, b[i]);
      la.advance(null);
      // The worker takes the appended rows once per feed message (every 100 ms), not per bar.
      if ((i & 127) === 0) la.take();
    }
    best = Math.min(best, ((performance.now() - t0) * 1000) / bars);
  }
  return best;
}

/** (b) median ms of `reps` recomputes (align + analytics) of `lookback` stored bars per leg. */
export function benchRecompute(lookback: number, method: HedgeMethod = 'static', reps = 5): number {
  const { a, b } = pair(lookback, 2);
  const t = times(0, lookback);
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    const la = new LivePairAnalytics({ selection: selection(method, 1000, lookback), tfMs: TF });
    const t0 = performance.now();
    la.load({ startMs: t, close: a }, { startMs: t, close: b }, null);
    out.push(performance.now() - t0);
  }
  out.sort((x, y) => x - y);
  return out[Math.floor(out.length / 2)];
}

export function analyticsLiveBenchRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  // Live static redraws the whole lookback at each β re-estimate (every max(20, N/100) bars).
  const cases: [HedgeMethod, number][] = [
    ['rolling', 10_000],
    ['kalman', 10_000],
    ['static', 1_000],
    ['static', 10_000],
  ];
  for (const [method, lookback] of cases) {
    const us = benchLivePerBar(method, 1000, 200_000, 3, lookback);
    rows.push({
      name: `live analytics per bar, W = 1000, ${method} hedge, lookback ${lookback} (aligner + all columns)`,
      value: us,
      unit: 'µs/bar',
      target: '≤ 20 µs/bar',
      pass: us <= 20,
    });
  }
  for (const lookback of [10_000, 100_000]) {
    const ms = benchRecompute(lookback);
    rows.push({
      name: `recompute from stored bars, lookback ${lookback.toLocaleString('en-US')} (W = 1000)`,
      value: ms,
      unit: 'ms',
      target: '< 1000 ms',
      pass: ms < 1000,
    });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of analyticsLiveBenchRows()) {
    console.log(`${row.name}: ${row.value.toFixed(2)} ${row.unit} (target ${row.target})`);
  }
}
