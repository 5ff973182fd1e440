/**
 * Ordinary least squares of A on B with an intercept: a_i = α + β·b_i + ε_i.
 *
 * Closed form on centred data (corrected two-pass means, then centred cross-products), so prices
 * near 1e5 with tiny variation lose nothing to cancellation:
 *   β = Σ(a−ā)(b−b̄) / Σ(b−b̄)²,  α = ā − β·b̄,
 *   SSR = Σ((a−ā) − β(b−b̄))²,  R² = 1 − SSR / Σ(a−ā)²,
 *   se(β) = √(SSR/(n−2) / Σ(b−b̄)²),  se(α) = √(SSR/(n−2)·(1/n + b̄²/Σ(b−b̄)²)).
 * Matches statsmodels `OLS(a, add_constant(b)).fit()` (params, rsquared, bse).
 */
import { accurateMean, checkSeries, fail, type StatsResult } from './types';

export interface OlsValues {
  beta: number;
  alpha: number;
  /** Coefficient of determination (centred). */
  r2: number;
  /** Standard error of β. */
  seBeta: number;
  /** Standard error of α. */
  seAlpha: number;
  /** Residual standard deviation √(SSR/(n−2)). */
  residualStd: number;
  ssr: number;
  n: number;
}

export type OlsResult = StatsResult<OlsValues>;

/** OLS of `a` on `b` with intercept. Needs ≥ 3 finite points; neither series may be constant. */
export function olsAB(a: ArrayLike<number>, b: ArrayLike<number>): OlsResult {
  if (a.length !== b.length)
    return fail(`length mismatch: A has ${a.length} values, B has ${b.length}`);
  const n = a.length;
  const cb = checkSeries(b, 'B', 3);
  if (cb) return cb;
  const ca = checkSeries(a, 'A', 3);
  if (ca) return ca;
  const ma = accurateMean(a);
  const mb = accurateMean(b);
  let sbb = 0;
  let sab = 0;
  let saa = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sbb += db * db;
    sab += da * db;
    saa += da * da;
  }
  if (!(sbb > 0)) return fail('constant series: B does not vary');
  const beta = sab / sbb;
  const alpha = ma - beta * mb;
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const r = a[i] - ma - beta * (b[i] - mb);
    ssr += r * r;
  }
  const s2 = ssr / (n - 2);
  return {
    ok: true,
    beta,
    alpha,
    r2: 1 - ssr / saa,
    seBeta: Math.sqrt(s2 / sbb),
    seAlpha: Math.sqrt(s2 * (1 / n + (mb * mb) / sbb)),
    residualStd: Math.sqrt(s2),
    ssr,
    n,
  };
}

/**
 * Residuals a_i − α − β·b_i computed in centred form ((a−ā) − β(b−b̄)) for accuracy.
 * Requires a successful fit of the same arrays.
 */
export function olsResiduals(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  beta: number,
): Float64Array {
  const ma = accurateMean(a);
  const mb = accurateMean(b);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - ma - beta * (b[i] - mb);
  return out;
}

/** Spread A − β·B (no intercept), element-wise. */
export function spread(a: ArrayLike<number>, b: ArrayLike<number>, beta: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - beta * b[i];
  return out;
}
