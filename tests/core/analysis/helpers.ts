/** Seeded data for the live-analytics tests (and bench/analyticsLive.ts). */
import type { AnalyticsSelection, HedgeMethod } from '../../../src/core/contract/contract';
import { mulberry32 as rng } from '../../support/prng';
import { KALMAN_DEFAULTS } from '../../../src/core/stats/kalman';

export { rng };

export function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

/** A cointegrated pair at BTC/ETH scale: B random walk, A = 20·B + AR(1) noise. */
export function cointegratedPair(n: number, seed: number): { a: Float64Array; b: Float64Array } {
  const r = rng(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  let pb = 3000;
  let e = 0;
  for (let i = 0; i < n; i++) {
    pb += 0.8 * normal(r);
    e = 0.9 * e + 3 * normal(r);
    b[i] = pb;
    a[i] = 20 * pb + 500 + e;
  }
  return { a, b };
}

/** |x − y| ≤ tol·max(1, |y|), NaN ≡ NaN; returns the first mismatch or null. */
export function mismatch(x: ArrayLike<number>, y: ArrayLike<number>, tol = 1e-9): string | null {
  if (x.length !== y.length) return `length ${x.length} vs ${y.length}`;
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    if (Number.isNaN(u) && Number.isNaN(v)) continue;
    if (Number.isNaN(u) !== Number.isNaN(v) || Math.abs(u - v) > tol * Math.max(1, Math.abs(v))) {
      return `index ${i}: ${u} vs ${v}`;
    }
  }
  return null;
}

/** 1s bars from a fixed start. */
export const TF = 1000;
export const T0 = 1_700_000_000_000;

/** BTCUSDT/ETHUSDT at 1s with rolling window W, lookback N and the given hedge method. */
export function pairSelection(method: HedgeMethod, W: number, N: number): AnalyticsSelection {
  return {
    pairA: 'BTCUSDT',
    pairB: 'ETHUSDT',
    timeframe: '1s',
    rollingWindow: W,
    lookback: N,
    hedgeMethod: method,
    kalmanDelta: KALMAN_DEFAULTS.delta,
    kalmanVe: KALMAN_DEFAULTS.ve,
  };
}

/** Start times of bars from..from+n−1 on the TF grid from T0. */
export function startTimes(from: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => T0 + (from + i) * TF);
}
