/**
 * Engle–Granger two-step cointegration test, equal to statsmodels' `coint(y0, y1, trend, method=
 * 'aeg', maxlag, autolag)`:
 * 1. OLS of y0 on [y1, deterministic terms] (trend 'c': constant).
 * 2. If R² < 1 − 100·√ε, ADF on the residuals with regression 'n' (always) and the same
 *    maxlag/autolag; otherwise the series are (almost) perfectly collinear and the statistic is −∞
 *    (p = 0), flagged `collinear: true`.
 * 3. p-value = MacKinnon (1994) `mackinnonp(stat, trend, N = 2)` (asymptotic); critical values =
 *    MacKinnon (2010) `mackinnoncrit(2, trend, nobs = len(y0) − 1)` (finite sample), so near the
 *    boundary the two can disagree slightly. For trend 'n' no 2010 values exist: `critical` null.
 */
import { adfuller, type AdfOptions, type Autolag } from './adf';
import { householderQr, nestedCoefficients } from './linalg';
import { mackinnoncrit, mackinnonp, type CriticalValues, type Regression } from './mackinnon';
import { olsAB, olsResiduals } from './ols';
import { checkSeries, fail, type StatsResult } from './types';

export interface CointOptions {
  trend?: Regression;
  maxlag?: number | null;
  autolag?: Autolag;
}

export interface CointValues {
  /** Engle–Granger τ (ADF t-value on the residuals); −Infinity when collinear. */
  stat: number;
  pvalue: number;
  critical: CriticalValues | null;
  /** Lag used by the residual ADF; null when collinear. */
  usedlag: number | null;
  /** The cointegrating regression y0 = β·y1 + … */
  beta: number;
  r2: number;
  collinear: boolean;
  trend: Regression;
}

export type CointResult = StatsResult<CointValues>;

const SQRTEPS = Math.sqrt(Number.EPSILON);

/** Residuals, β and R² of y0 on [y1, trend terms] for the non-'c' trends (Householder QR). */
function regressGeneral(
  y0: ArrayLike<number>,
  y1: ArrayLike<number>,
  trend: Regression,
): { resid: Float64Array; beta: number; r2: number } {
  const n = y0.length;
  const ntrend = trend === 'n' ? 0 : trend.length;
  const K = 1 + ntrend;
  const X = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    X[i] = y1[i];
    if (ntrend >= 1) X[n + i] = 1;
    if (ntrend >= 2) X[2 * n + i] = i + 1;
    if (ntrend >= 3) X[3 * n + i] = (i + 1) * (i + 1);
  }
  const Xc = Float64Array.from(X);
  const y = Float64Array.from(y0 as ArrayLike<number>);
  const f = householderQr(Xc, n, K, y);
  const b = nestedCoefficients(f, K);
  const resid = new Float64Array(n);
  let tss = 0;
  let ym = 0;
  if (ntrend >= 1) {
    for (let i = 0; i < n; i++) ym += y[i];
    ym /= n;
  }
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let k = 0; k < K; k++) fit += X[k * n + i] * b[k];
    resid[i] = y[i] - fit;
    tss += (y[i] - ym) * (y[i] - ym);
  }
  return { resid, beta: b[0], r2: 1 - f.tailSsr / tss };
}

/** Engle–Granger cointegration test of y0 on y1 (statsmodels `coint`). */
export function coint(
  y0: ArrayLike<number>,
  y1: ArrayLike<number>,
  options: CointOptions = {},
): CointResult {
  const trend: Regression = options.trend ?? 'c';
  const autolag = options.autolag === undefined ? 'aic' : options.autolag;
  if (y0.length !== y1.length) {
    return fail(`length mismatch: y0 has ${y0.length} values, y1 has ${y1.length}`);
  }
  const c0 = checkSeries(y0, 'y0', 10);
  if (c0) return c0;
  const c1 = checkSeries(y1, 'y1', 10);
  if (c1) return c1;
  const n = y0.length;

  let resid: Float64Array;
  let beta: number;
  let r2: number;
  if (trend === 'c') {
    const fit = olsAB(y0, y1);
    if (!fit.ok) return fit;
    beta = fit.beta;
    r2 = fit.r2;
    resid = olsResiduals(y0, y1, fit.beta);
  } else {
    ({ resid, beta, r2 } = regressGeneral(y0, y1, trend));
  }

  const critical = trend === 'n' ? null : mackinnoncrit(2, trend, n - 1);
  if (!(r2 < 1 - 100 * SQRTEPS)) {
    return {
      ok: true,
      stat: -Infinity,
      pvalue: mackinnonp(-Infinity, trend, 2),
      critical,
      usedlag: null,
      beta,
      r2,
      collinear: true,
      trend,
    };
  }
  const adfOpts: AdfOptions = { regression: 'n', autolag, maxlag: options.maxlag ?? null };
  const adf = adfuller(resid, adfOpts);
  if (!adf.ok) return fail(`Engle–Granger residual ADF failed: ${adf.reason}`);
  return {
    ok: true,
    stat: adf.stat,
    pvalue: mackinnonp(adf.stat, trend, 2),
    critical,
    usedlag: adf.usedlag,
    beta,
    r2,
    collinear: false,
    trend,
  };
}
