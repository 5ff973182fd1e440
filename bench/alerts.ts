/**
 * Benchmark of the alert rules (issue #9): cost per closed bar of evaluating the z-score rule and
 * the correlation rule (ZScoreRule.evaluate + CorrelationRule.evaluate), over 1 M seeded values
 * that cross the levels often (an AR(1) z with σ ≈ 1.6, so many breach/escalate/revert events,
 * and a wandering ρ around the 0.3 level). Target ≤ 2 µs per bar. Reference in the same run: a
 * bare loop counting |z| ≥ K over the same array (the least any rule can cost).
 * Run alone: `npm run bench -- --only alerts`.
 */
import { performance } from 'node:perf_hooks';
import { CorrelationRule } from '../src/core/alerts/correlationRule';
import { DEFAULT_ALERT_REARM, DEFAULT_CORRELATION_LEVEL } from '../src/core/alerts/types';
import { ZScoreRule } from '../src/core/alerts/zScoreRule';
import { mulberry32 } from '../tests/support/prng';
import type { BenchRow } from './types';

const N = 1_000_000;
const ROUNDS = 5;
const K = 2;

/** z: AR(1) with φ = 0.95 and stationary σ ≈ 1.6; ρ: a bounded random walk in [−1, 1]. */
function inputs(n: number): { z: Float64Array; rho: Float64Array } {
  const r = mulberry32(9);
  const z = new Float64Array(n);
  const rho = new Float64Array(n);
  let zv = 0;
  let rv = 0.5;
  for (let i = 0; i < n; i++) {
    zv = 0.95 * zv + 0.5 * (r() + r() + r() - 1.5) * 2;
    rv = Math.max(-1, Math.min(1, rv + (r() - 0.5) * 0.1));
    z[i] = i < 60 ? Number.NaN : zv; // a warm-up, as live
    rho[i] = i < 60 ? Number.NaN : rv;
  }
  return { z, rho };
}

export function alertsBenchRows(): BenchRow[] {
  const { z, rho } = inputs(N);
  const start = 1_721_347_200_000;
  let best = Infinity;
  let bestBare = Infinity;
  let events = 0;
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const zr = new ZScoreRule({ k: K, rearm: DEFAULT_ALERT_REARM, critical: K + 1 });
    const cr = new CorrelationRule({ level: DEFAULT_CORRELATION_LEVEL });
    let n = 0;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const t = start + i * 1000;
      n += zr.evaluate(t, z[i]).length;
      n += cr.evaluate(t, rho[i]).length;
    }
    const t1 = performance.now();
    events = n;
    best = Math.min(best, ((t1 - t0) * 1000) / N);

    let hits = 0;
    const b0 = performance.now();
    for (let i = 0; i < N; i++) if (Math.abs(z[i]) >= K) hits++;
    const b1 = performance.now();
    sink += hits;
    bestBare = Math.min(bestBare, ((b1 - b0) * 1000) / N);
  }
  if (sink === -1) console.log(''); // keep the reference loop observable
  return [
    {
      name: `ZScoreRule + CorrelationRule per closed bar (1 M bars, ${events.toLocaleString('en-US')} events, best of ${ROUNDS})`,
      value: best,
      unit: 'µs/bar',
      reference:
        'bare loop counting |z| ≥ K over the same array (µs/value); ratio = reference / rules',
      referenceValue: bestBare,
      ratio: bestBare / best,
      target: '≤ 2 µs/bar',
      pass: best <= 2,
    },
  ];
}
