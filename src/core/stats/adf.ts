/**
 * Augmented Dickey–Fuller test, equal to statsmodels' `adfuller` (0.13–0.15):
 *
 *   Δx_t = γ·x_{t−1} + Σ_{i=1..p} φᵢ·Δx_{t−i} + deterministic terms + ε_t
 *
 * - Deterministic terms: 'c' constant, 'ct' + trend 1..T, 'ctt' + trend², 'n' none.
 * - Default maxlag = ceil(12·(n/100)^¼), capped at n//2 − ntrend − 1 (statsmodels).
 * - autolag 'AIC' / 'BIC': every lag 0..maxlag is fitted on the SAME sample of n − 1 − maxlag rows;
 *   llf = −T/2·ln(2π) − T/2·ln(SSR/T) − T/2, AIC = −2·llf + 2k, BIC = −2·llf + ln(T)·k; the
 *   minimum wins, ties to the smaller lag. 't-stat': from maxlag down, the first lag whose last
 *   coefficient has |t| ≥ 1.6448536269514722 (else lag 0). The chosen lag is then refitted on its
 *   full sample; nobs = n − 1 − usedlag. autolag null: usedlag = maxlag, icbest null.
 * - statistic = t-value of γ; p-value = MacKinnon (1994) `mackinnonp(stat, regression, 1)`;
 *   critical values = MacKinnon (2010) `mackinnoncrit(1, regression, nobs)`.
 *
 * Numerics: one Householder QR of the widest autolag design gives every nested fit (SSR_k =
 * ‖(Qᵀy)_{k..}‖², no cancellation), and the final t-value comes from R and Qᵀy directly with the
 * level column placed last (t = sign(R_kk)·(Qᵀy)_k / s). statsmodels uses pinv (SVD); both are
 * backward stable, the fixtures agree to ~1e-12 relative.
 */
import {
  householderQr,
  leadingColumnsFullRank,
  nestedLastTValue,
  nestedSsr,
  type QrFactorization,
} from './linalg';
import { mackinnoncrit, mackinnonp, type CriticalValues, type Regression } from './mackinnon';
import { fail, firstNonFinite, isConstant, type StatsResult } from './types';

export type { Regression, CriticalValues } from './mackinnon';

/** Lag-length selection. Case-insensitive like statsmodels; null = use maxlag. */
export type Autolag = 'AIC' | 'BIC' | 't-stat' | 'aic' | 'bic' | null;

export interface AdfOptions {
  /** Highest lag considered (default: statsmodels' Schwert rule, see module doc). */
  maxlag?: number | null;
  /** Deterministic terms (default 'c'). */
  regression?: Regression;
  /** Lag selection (default 'AIC'). */
  autolag?: Autolag;
}

export interface AdfValues {
  /** ADF τ statistic (t-value of γ). */
  stat: number;
  /** MacKinnon (1994) approximate p-value. */
  pvalue: number;
  /** Number of lagged differences in the final regression. */
  usedlag: number;
  /** Rows in the final regression: n − 1 − usedlag. */
  nobs: number;
  /** The maxlag searched (after defaulting / capping). */
  maxlag: number;
  /** MacKinnon (2010) critical values for nobs. */
  critical: CriticalValues;
  /** Best information criterion (AIC/BIC) or |t| of the chosen last lag ('t-stat'); null without autolag. */
  icbest: number | null;
  regression: Regression;
  autolag: 'aic' | 'bic' | 't-stat' | null;
}

export type AdfResult = StatsResult<AdfValues>;

/** 5 % one-sided normal quantile used by statsmodels' 't-stat' autolag. */
const T_STAT_STOP = 1.6448536269514722;

function ntrendOf(regression: Regression): number {
  return regression === 'n' ? 0 : regression.length;
}

/** Default maxlag (may be negative when n is too small). */
export function adfDefaultMaxlag(n: number, regression: Regression = 'c'): number {
  const ntrend = ntrendOf(regression);
  const m = Math.ceil(12 * Math.pow(n / 100, 1 / 4));
  return Math.min(Math.floor(n / 2) - ntrend - 1, m);
}

/** Smallest series length for which adfuller with default maxlag has ≥ 1 residual degree of freedom. */
export function adfMinLength(regression: Regression = 'c'): number {
  for (let n = 2; n < 1000; n++) {
    const ml = adfDefaultMaxlag(n, regression);
    if (ml >= 0 && n - 1 - ml - (ntrendOf(regression) + 1 + ml) >= 1) return n;
  }
  return 1000;
}

/**
 * Builds the column-major design on the sample that drops the first `sampleLag` differences:
 * T = n − 1 − sampleLag rows, row r ↔ Δx_d with d = sampleLag + r (Δx_d = x[d+1] − x[d]).
 * Columns: trend terms (1, t, t² with t = 1..T), then the level x[d] and the lagged differences
 * Δx_{d−1..d−lags} — level first (autolag nesting) or last (final fit, so its t-value is read
 * directly off R and Qᵀy).
 */
function buildDesign(
  dx: Float64Array,
  x: ArrayLike<number>,
  regression: Regression,
  sampleLag: number,
  lags: number,
  levelLast: boolean,
): { X: Float64Array; y: Float64Array; T: number; K: number } {
  const T = dx.length - sampleLag;
  const ntrend = ntrendOf(regression);
  const K = ntrend + 1 + lags;
  const X = new Float64Array(T * K);
  const y = dx.slice(sampleLag, sampleLag + T);
  let col = 0;
  if (ntrend >= 1) {
    X.fill(1, 0, T);
    col++;
  }
  if (ntrend >= 2) {
    const off = col++ * T;
    for (let r = 0; r < T; r++) X[off + r] = r + 1;
  }
  if (ntrend >= 3) {
    const off = col++ * T;
    for (let r = 0; r < T; r++) X[off + r] = (r + 1) * (r + 1);
  }
  const putLevel = (): void => {
    const off = col++ * T;
    for (let r = 0; r < T; r++) X[off + r] = x[sampleLag + r];
  };
  if (!levelLast) putLevel();
  for (let i = 1; i <= lags; i++) X.set(dx.subarray(sampleLag - i, sampleLag - i + T), col++ * T);
  if (levelLast) putLevel();
  return { X, y, T, K };
}

function normaliseAutolag(a: Autolag | undefined): 'aic' | 'bic' | 't-stat' | null {
  if (a === undefined) return 'aic';
  if (a === null) return null;
  const l = a.toLowerCase();
  return l === 'aic' || l === 'bic' ? l : 't-stat';
}

/** AIC/BIC of a Gaussian OLS fit with T rows, k regressors and residual sum of squares ssr. */
function infoCriterion(kind: 'aic' | 'bic', ssr: number, T: number, k: number): number {
  const nobs2 = T / 2;
  const llf = -nobs2 * Math.log(2 * Math.PI) - nobs2 * Math.log(ssr / T) - nobs2;
  return kind === 'aic' ? -2 * llf + 2 * k : -2 * llf + Math.log(T) * k;
}

/**
 * Augmented Dickey–Fuller unit-root test (statsmodels `adfuller`). Never throws on data:
 * too-short, constant, non-finite or exactly-fitting input gives `{ ok: false, reason }`.
 */
export function adfuller(x: ArrayLike<number>, options: AdfOptions = {}): AdfResult {
  const regression: Regression = options.regression ?? 'c';
  const autolag = normaliseAutolag(options.autolag);
  const n = x.length;
  const ntrend = ntrendOf(regression);
  const bad = firstNonFinite(x);
  if (bad >= 0) return fail(`series contains a non-finite value (${x[bad]}) at index ${bad}`);

  let maxlag: number;
  if (options.maxlag === undefined || options.maxlag === null) {
    maxlag = adfDefaultMaxlag(n, regression);
    if (maxlag < 0) {
      return fail(
        `not enough data: ADF with regression '${regression}' needs at least ${adfMinLength(regression)} values, have ${n}`,
      );
    }
  } else {
    maxlag = options.maxlag;
    if (!Number.isInteger(maxlag) || maxlag < 0) {
      return fail(`maxlag must be a non-negative integer, got ${maxlag}`);
    }
    if (maxlag > Math.floor(n / 2) - ntrend - 1) {
      return fail(
        `not enough data: maxlag ${maxlag} needs at least ${2 * (maxlag + ntrend + 1)} values for regression '${regression}', have ${n}`,
      );
    }
  }
  if (n - 1 - maxlag - (ntrend + 1 + maxlag) < 1) {
    return fail(
      `not enough data: ADF with regression '${regression}' and maxlag ${maxlag} needs at least ${adfMinLength(regression)} values, have ${n}`,
    );
  }
  if (isConstant(x)) return fail(`constant series: every value is ${x[0]}`);

  const dx = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) dx[i] = x[i + 1] - x[i];
  let usedlag = maxlag;
  let icbest: number | null = null;
  if (autolag !== null) {
    const d = buildDesign(dx, x, regression, maxlag, maxlag, false);
    const f = householderQr(d.X, d.T, d.K, d.y);
    const startlag = ntrend + 1;
    if (!leadingColumnsFullRank(f, startlag)) {
      return fail('singular regression: the series is deterministic for this regression');
    }
    if (autolag === 't-stat') {
      usedlag = 0;
      icbest = 0;
      for (let lag = maxlag; lag >= 0; lag--) {
        const t = tValueOrNaN(f, startlag + lag);
        icbest = Math.abs(t);
        usedlag = lag;
        if (icbest >= T_STAT_STOP) break;
      }
    } else {
      let best = Infinity;
      for (let lag = 0; lag <= maxlag; lag++) {
        const k = startlag + lag;
        const ic = infoCriterion(autolag, nestedSsr(f, k), d.T, k);
        if (ic < best) {
          best = ic;
          usedlag = lag;
        }
      }
      icbest = best;
    }
  }

  const d = buildDesign(dx, x, regression, usedlag, usedlag, true);
  const f = householderQr(d.X, d.T, d.K, d.y);
  if (!leadingColumnsFullRank(f, d.K)) {
    return fail('singular regression: the series is deterministic for this regression');
  }
  if (!(f.tailSsr > 0)) {
    return fail('the regression fits exactly (deterministic series): no test statistic');
  }
  const stat = nestedLastTValue(f, d.K);
  return {
    ok: true,
    stat,
    pvalue: mackinnonp(stat, regression, 1),
    usedlag,
    nobs: d.T,
    maxlag,
    critical: mackinnoncrit(1, regression, d.T),
    icbest,
    regression,
    autolag,
  };
}

function tValueOrNaN(f: QrFactorization, k: number): number {
  const t = nestedLastTValue(f, k);
  return Number.isFinite(t) ? t : NaN;
}
