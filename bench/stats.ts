/**
 * Benchmarks for src/core/stats.
 * (a) cost per bar of every incremental pair metric (PairAnalyticsEngine) at W = 1000 — target
 *     ≤ 20 µs/bar;
 * (b) adfuller with AIC autolag on a 2,000-point series — target ≤ 5 ms — next to statsmodels'
 *     adfuller on the same series, timed inside /usr/bin/python3 (time.perf_counter, several
 *     repetitions) in the same run.
 * Run alone: `npx tsx bench/stats.ts`.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { adfuller } from '../src/core/stats/adf';
import { PairAnalyticsEngine } from '../src/core/stats/engine';
import { mulberry32 } from '../tests/support/prng';
import type { BenchRow } from './types';

/** Seeded standard normals (mulberry32 + Box–Muller). */
function normals(n: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  // Half a step above mulberry32's value: never 0, so log() stays finite (exact in doubles).
  const u = (): number => r() + 2 ** -33;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}

/** A seeded random walk at BTC-like scale. */
export function benchSeries(n = 2000, seed = 12345): Float64Array {
  const e = normals(n, seed);
  const x = new Float64Array(n);
  let v = 60_000;
  for (let i = 0; i < n; i++) {
    v += 5 * e[i];
    x[i] = v;
  }
  return x;
}

/** (a) µs per bar for all incremental metrics at window W (best of `rounds`). */
export function benchIncrementalPerBar(window = 1000, bars = 200_000, rounds = 3): number {
  const ea = normals(bars, 1);
  const eb = normals(bars, 2);
  const a = new Float64Array(bars);
  const b = new Float64Array(bars);
  let pa = 60_000;
  let pb = 3_000;
  for (let i = 0; i < bars; i++) {
    pb += 0.3 * eb[i];
    pa += 20 * 0.3 * eb[i] + 2 * ea[i];
    a[i] = pa;
    b[i] = pb;
  }
  let best = Infinity;
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const eng = new PairAnalyticsEngine({ window, timeframeMs: 1000 });
    const t0 = performance.now();
    for (let i = 0; i < bars; i++) {
      const u = eng.push(a[i], b[i]);
      if (u.ok && u.zscore !== null) sink += u.zscore;
    }
    const dt = performance.now() - t0;
    best = Math.min(best, (dt * 1000) / bars);
  }
  if (sink === 42) console.log(''); // keep the loop observable
  return best;
}

/**
 * (b) adfuller(x, autolag='AIC') on `x` after warm-up: median wall-clock ms of `reps` runs, and
 * the mean process CPU ms per run (robust when the machine is shared and the process is
 * descheduled).
 */
export function benchAdf(
  x: Float64Array = benchSeries(),
  reps = 40,
): { wallMs: number; cpuMs: number } {
  for (let i = 0; i < 10; i++) adfuller(x, { autolag: 'AIC' });
  const times: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const r = adfuller(x, { autolag: 'AIC' });
    times.push(performance.now() - t0);
    if (!r.ok) throw new Error(r.reason);
  }
  const c = process.cpuUsage(c0);
  times.sort((p, q) => p - q);
  return { wallMs: times[Math.floor(times.length / 2)], cpuMs: (c.user + c.system) / 1000 / reps };
}

/** (b) median wall-clock ms per adfuller(x, autolag='AIC'). */
export function benchAdfMs(x: Float64Array = benchSeries(), reps = 40): number {
  return benchAdf(x, reps).wallMs;
}

const PY_TIMER = `
import json, sys, time
import numpy as np
from statsmodels.tsa.stattools import adfuller
x = np.array(json.load(sys.stdin), dtype=float)
reps = int(sys.argv[1])
for _ in range(3):
    adfuller(x, autolag="AIC")
ts = []
for _ in range(reps):
    t0 = time.perf_counter()
    r = adfuller(x, autolag="AIC")
    ts.append(time.perf_counter() - t0)
ts.sort()
print(json.dumps({"ms": ts[len(ts) // 2] * 1000, "stat": r[0], "usedlag": r[2]}))
`;

/**
 * ms per statsmodels adfuller(x, autolag='AIC') (median of `reps`, timed inside Python), or null
 * when /usr/bin/python3 with statsmodels is not available.
 */
export function timeStatsmodelsAdfMs(
  x: Float64Array = benchSeries(),
  reps = 10,
): { ms: number; stat: number; usedlag: number } | null {
  const res = spawnSync('/usr/bin/python3', ['-c', PY_TIMER, String(reps)], {
    input: JSON.stringify(Array.from(x)),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (res.status !== 0 || !res.stdout) return null;
  try {
    return JSON.parse(res.stdout.trim()) as { ms: number; stat: number; usedlag: number };
  } catch {
    return null;
  }
}

/** All stats benchmark rows. */
export function statsBenchRows(): BenchRow[] {
  const perBar = benchIncrementalPerBar();
  const x = benchSeries();
  const adf = benchAdf(x);
  const adfMs = adf.wallMs;
  const py = timeStatsmodelsAdfMs(x);
  const ours = adfuller(x, { autolag: 'AIC' });
  const rows: BenchRow[] = [
    {
      name: 'stats: incremental pair metrics per bar (W=1000)',
      value: perBar,
      unit: 'µs/bar',
      target: '<= 20 µs/bar',
      pass: perBar <= 20,
    },
    {
      name: 'stats: adfuller AIC autolag, 2,000 points (median wall)',
      value: adfMs,
      unit: 'ms',
      target: '<= 5 ms',
      pass: adfMs <= 5,
    },
    {
      name: 'stats: adfuller AIC autolag, 2,000 points (process CPU)',
      value: adf.cpuMs,
      unit: 'ms',
      target: '<= 5 ms',
      pass: adf.cpuMs <= 5,
    },
  ];
  if (py) {
    rows[1].reference = 'statsmodels adfuller (same series, /usr/bin/python3)';
    rows[1].referenceValue = py.ms;
    rows[1].ratio = py.ms / adfMs; // > 1: faster than statsmodels
    if (ours.ok && ours.usedlag !== py.usedlag) {
      rows[1].name += ` [lag mismatch: ${ours.usedlag} vs ${py.usedlag}]`;
    }
  }
  return rows;
}

if (process.argv[1] && /bench[/\\]stats\.ts$/.test(process.argv[1])) {
  for (const r of statsBenchRows()) console.log(JSON.stringify(r));
}
