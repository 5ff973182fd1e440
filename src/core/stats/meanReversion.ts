/**
 * Mean-reversion diagnostics of a spread.
 *
 * Half-life: OLS Δs_t = a + λ·s_{t−1} + ε (closed form, centred); HL = −ln 2 / λ bars, undefined
 * (ok: false) when λ ≥ 0 (no mean reversion).
 *
 * Hurst exponent — estimator: variance of lagged differences (arbitragelab
 * `get_hurst_exponent`): for lags 2..maxLags−1, τ(lag) = √std(x[lag:] − x[:−lag]) (population
 * std, ddof 0), H = 2·slope of the least-squares line of ln τ on ln lag. H ≈ 0.5 random walk,
 * < 0.5 mean-reverting, > 0.5 trending. Rescaled-range (R/S) estimators give different numbers.
 */
import { olsAB } from './ols';
import { accurateMean, checkSeries, fail, type StatsResult } from './types';

export interface HalfLifeValues {
  /** Half-life in bars. */
  halfLife: number;
  /** Mean-reversion speed λ (< 0). */
  lambda: number;
  /** Intercept a. */
  intercept: number;
}

export type HalfLifeResult = StatsResult<HalfLifeValues>;

/** Half-life of mean reversion of `s` in bars. Needs ≥ 4 values. */
export function halfLife(s: ArrayLike<number>): HalfLifeResult {
  const c = checkSeries(s, 'spread', 4);
  if (c) return c;
  const n = s.length;
  const ds = new Float64Array(n - 1);
  const lag = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) {
    ds[i - 1] = s[i] - s[i - 1];
    lag[i - 1] = s[i - 1];
  }
  const fit = olsAB(ds, lag);
  if (!fit.ok) return fail(`half-life regression failed: ${fit.reason}`);
  const lambda = fit.beta;
  if (!(lambda < 0)) {
    return fail(`no mean reversion: λ = ${lambda.toPrecision(4)} ≥ 0, half-life undefined`);
  }
  return { ok: true, halfLife: -Math.LN2 / lambda, lambda, intercept: fit.alpha };
}

export interface HurstValues {
  hurst: number;
  maxLags: number;
}

export type HurstResult = StatsResult<HurstValues>;

/** Hurst exponent by the variance-of-lagged-differences estimator (see module doc). */
export function hurstExponent(x: ArrayLike<number>, maxLags = 100): HurstResult {
  if (!Number.isInteger(maxLags) || maxLags < 4)
    return fail(`maxLags must be an integer ≥ 4, got ${maxLags}`);
  const c = checkSeries(x, 'series', maxLags + 1);
  if (c) return c;
  const n = x.length;
  const m = maxLags - 2;
  const lx = new Float64Array(m);
  const lt = new Float64Array(m);
  const d = new Float64Array(n);
  for (let lag = 2; lag < maxLags; lag++) {
    const len = n - lag;
    for (let i = 0; i < len; i++) d[i] = x[i + lag] - x[i];
    const mean = accurateMean(d, 0, len);
    let ss = 0;
    for (let i = 0; i < len; i++) ss += (d[i] - mean) * (d[i] - mean);
    const sd = Math.sqrt(ss / len);
    if (!(sd > 0)) return fail(`degenerate series: lagged differences at lag ${lag} do not vary`);
    lx[lag - 2] = Math.log(lag);
    lt[lag - 2] = Math.log(Math.sqrt(sd));
  }
  const fit = olsAB(lt, lx);
  if (!fit.ok) return fail(`Hurst regression failed: ${fit.reason}`);
  return { ok: true, hurst: 2 * fit.beta, maxLags };
}
