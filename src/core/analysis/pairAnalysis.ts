/**
 * Offline pair analysis over aligned closes: the per-bar series written to `analytics.csv` and
 * the whole-sample summary written to `summary.json`. Pure (no Node, Electron or DOM); built only
 * from src/core/stats, so the numbers are the live engine's.
 *
 * Definitions (A = first symbol, B = second, W = window):
 * - lookback N: only the last N aligned bars are used, for everything (rolling windows start fresh
 *   inside the lookback);
 * - hedge ratio h_t:
 *   - static: OLS β of A on B (with intercept) over the lookback, the same for every bar;
 *   - rolling: OLS β over the last W bars ending at t (undefined for the first W−1 bars);
 *   - kalman: Chan's (2013) filter, the PRIOR β at bar t (built from bars < t only). The filter
 *     starts from θ₀ = 0, so its first W bars are a warm-up and the hedge is left undefined there
 *     (same length of history as the rolling hedge, which needs W bars);
 * - spread s_t = A_t − h_t·B_t; z_t = rolling z-score of s over W (pandas rolling(W), ddof 1);
 * - correlation = rolling(W) correlation of the log returns of A and B;
 * - summary: OLS (β, α, R²) over the lookback; ADF (regression 'c', autolag AIC) on the defined
 *   part of the spread of the selected hedge method (non-finite values dropped, like pandas
 *   `dropna()`); Engle–Granger coint(A, B) (trend 'c', autolag AIC); half-life and Hurst exponent
 *   of that spread; the Kalman filter's final (posterior) β and α (null
 *   when the sample does not get past the W-bar warm-up).
 * Degenerate input never throws and never yields NaN in the summary: a value that cannot be
 * computed is null and `notes` says why in plain words.
 */
import { adfuller } from '../stats/adf';
import { coint } from '../stats/coint';
import { KALMAN_DEFAULTS, kalmanFilter, type KalmanConfig } from '../stats/kalman';
import { halfLife, hurstExponent } from '../stats/meanReversion';
import { olsAB } from '../stats/ols';
import { logReturns } from '../stats/returns';
import { rollingCorr, rollingOls, rollingZScore } from '../stats/rolling';

export type HedgeMethod = 'static' | 'rolling' | 'kalman';

export const HEDGE_METHODS: readonly HedgeMethod[] = ['static', 'rolling', 'kalman'];

export interface PairAnalysisOptions {
  /** Display name of the pair, e.g. `BTCUSDT/ETHUSDT`. */
  pair: string;
  /** Display name of the timeframe, e.g. `1s`. */
  timeframe: string;
  /** Rolling window W in bars (integer ≥ 2). */
  window: number;
  hedge: HedgeMethod;
  /** Use only the last N aligned bars (integer ≥ 1); undefined = all. */
  lookback?: number;
  /** Kalman parameters; default KALMAN_DEFAULTS. */
  kalman?: KalmanConfig;
  /** Max lags of the Hurst estimator (default 100, as the fixtures / arbitragelab). */
  hurstMaxLags?: number;
}

/** Aligned input: interval starts and the two closes, same length. */
export interface AlignedPair {
  startMs: ArrayLike<number>;
  a: ArrayLike<number>;
  b: ArrayLike<number>;
}

/** Per-bar output; NaN = not defined at that bar (an empty CSV cell). */
export interface PairAnalysisSeries {
  startMs: Float64Array;
  a: Float64Array;
  b: Float64Array;
  hedgeRatio: Float64Array;
  spread: Float64Array;
  zscore: Float64Array;
  correlation: Float64Array;
}

export interface CriticalValuesJson {
  '1%': number | null;
  '5%': number | null;
  '10%': number | null;
}

/** The `summary.json` document. Every number is finite or null. */
export interface PairSummary {
  pair: string;
  timeframe: string;
  hedge: HedgeMethod;
  window: number;
  /** Aligned bars analysed (after the lookback). */
  bars: number;
  /** First / last aligned interval start (ISO-8601 UTC), null without bars. */
  from: string | null;
  to: string | null;
  /** Static OLS of A on B with intercept over the lookback; se_beta = standard error of β. */
  ols: { beta: number | null; alpha: number | null; r2: number | null; se_beta: number | null };
  adf: {
    stat: number | null;
    pvalue: number | null;
    usedlag: number | null;
    nobs: number | null;
    crit: CriticalValuesJson;
  };
  eg: { stat: number | null; pvalue: number | null; crit: CriticalValuesJson };
  half_life_bars: number | null;
  hurst: number | null;
  /** Final (posterior) Kalman β and α, and the δ and Ve the filter ran with. */
  kalman: { beta: number | null; alpha: number | null; delta: number; ve: number };
  /** Plain-words reasons for every null above (empty when all is defined). */
  notes: string[];
}

export interface PairAnalysis {
  series: PairAnalysisSeries;
  summary: PairSummary;
}

function finiteOrNull(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

const NULL_CRIT: CriticalValuesJson = { '1%': null, '5%': null, '10%': null };

function critJson(c: { '1%': number; '5%': number; '10%': number } | null): CriticalValuesJson {
  if (c === null) return { ...NULL_CRIT };
  return {
    '1%': finiteOrNull(c['1%']),
    '5%': finiteOrNull(c['5%']),
    '10%': finiteOrNull(c['10%']),
  };
}

function isoOrNull(ms: number | undefined): string | null {
  if (ms === undefined || !Number.isFinite(ms)) return null;
  return new Date(ms).toISOString();
}

function checkOptions(o: PairAnalysisOptions): void {
  if (!Number.isInteger(o.window) || o.window < 2) {
    throw new RangeError(`window must be an integer ≥ 2, got ${o.window}`);
  }
  if (o.lookback !== undefined && (!Number.isInteger(o.lookback) || o.lookback < 1)) {
    throw new RangeError(`lookback must be an integer ≥ 1, got ${o.lookback}`);
  }
  if (!HEDGE_METHODS.includes(o.hedge))
    throw new RangeError(`unknown hedge method ${String(o.hedge)}`);
}

/** Finite values of `x`, in order (pandas `dropna()`), and whether any gap lay inside them. */
function definedPart(x: Float64Array): { values: Float64Array; innerGaps: number } {
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) {
      if (first < 0) first = i;
      last = i;
      count++;
    }
  }
  if (count === x.length) return { values: x, innerGaps: 0 };
  const values = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) values[k++] = x[i];
  return { values, innerGaps: first < 0 ? 0 : last - first + 1 - count };
}

/**
 * Runs the analysis. Throws RangeError only for invalid options (programming errors); degenerate
 * data gives nulls and notes.
 */
export function analyzePair(input: AlignedPair, options: PairAnalysisOptions): PairAnalysis {
  checkOptions(options);
  const W = options.window;
  const total = Math.min(input.startMs.length, input.a.length, input.b.length);
  const from = options.lookback === undefined ? 0 : Math.max(0, total - options.lookback);
  const n = total - from;
  const startMs = Float64Array.from({ length: n }, (_, i) => input.startMs[from + i]);
  const a = Float64Array.from({ length: n }, (_, i) => input.a[from + i]);
  const b = Float64Array.from({ length: n }, (_, i) => input.b[from + i]);
  const notes: string[] = [];
  const methodName = `${options.hedge} hedge`;

  if (n === 0) {
    notes.push(
      'no aligned bars: the pair needs at least one bar of each symbol (check --pair, the files and the timeframe)',
    );
  } else if (n < W) {
    notes.push(
      `only ${n} aligned bar${n === 1 ? '' : 's'}, fewer than the window of ${W}: rolling z-score and correlation are undefined`,
    );
  }

  // Static OLS over the lookback (reported whatever the hedge method).
  const ols = olsAB(a, b);
  if (!ols.ok && n > 0) notes.push(`OLS of A on B: ${ols.reason}`);

  // Kalman filter over every bar (prior state per bar, posterior at the end).
  const kalmanConfig = options.kalman ?? KALMAN_DEFAULTS;
  const kalman = kalmanFilter(a, b, kalmanConfig);

  const hedgeRatio = new Float64Array(n).fill(NaN);
  if (options.hedge === 'static') {
    if (ols.ok) hedgeRatio.fill(ols.beta);
  } else if (options.hedge === 'rolling') {
    hedgeRatio.set(rollingOls(a, b, W).beta);
  } else {
    for (let i = W; i < n; i++) hedgeRatio[i] = kalman.priorBeta[i];
  }

  const spread = new Float64Array(n);
  for (let i = 0; i < n; i++) spread[i] = a[i] - hedgeRatio[i] * b[i];
  const zscore = rollingZScore(spread, W);
  const correlation = rollingCorr(logReturns(a), logReturns(b), W);

  // Tests on the defined part of the spread.
  const defined = definedPart(spread);
  const s = defined.values;
  if (n > 0 && s.length === 0 && ols.ok) {
    notes.push(
      options.hedge === 'rolling'
        ? `${methodName}: no bar has a defined hedge ratio (needs ${W} bars with B varying)`
        : `${methodName}: no bar has a defined hedge ratio (the filter's ${W}-bar warm-up covers all ${n} bars)`,
    );
  }
  if (defined.innerGaps > 0) {
    notes.push(
      `${methodName}: ${defined.innerGaps} bar(s) inside the sample have no hedge ratio (B flat over a window) and were left out of ADF, half-life and Hurst`,
    );
  }

  const adfOut: PairSummary['adf'] = {
    stat: null,
    pvalue: null,
    usedlag: null,
    nobs: null,
    crit: { ...NULL_CRIT },
  };
  let halfLifeBars: number | null = null;
  let hurst: number | null = null;
  if (s.length > 0) {
    const adf = adfuller(s, { regression: 'c', autolag: 'AIC' });
    if (adf.ok) {
      adfOut.stat = finiteOrNull(adf.stat);
      adfOut.pvalue = finiteOrNull(adf.pvalue);
      adfOut.usedlag = adf.usedlag;
      adfOut.nobs = adf.nobs;
      adfOut.crit = critJson(adf.critical);
      if (adfOut.stat === null)
        notes.push(`ADF on the spread: statistic is not finite (${adf.stat})`);
    } else {
      notes.push(`ADF on the spread: ${adf.reason}`);
    }
    const hl = halfLife(s);
    if (hl.ok) halfLifeBars = finiteOrNull(hl.halfLife);
    else notes.push(`half-life of the spread: ${hl.reason}`);
    const hu = hurstExponent(s, options.hurstMaxLags ?? 100);
    if (hu.ok) hurst = finiteOrNull(hu.hurst);
    else notes.push(`Hurst exponent of the spread: ${hu.reason}`);
  } else if (n > 0 && !ols.ok && options.hedge === 'static') {
    notes.push('spread undefined (no static hedge ratio): ADF, half-life and Hurst are null');
  }

  const egOut: PairSummary['eg'] = { stat: null, pvalue: null, crit: { ...NULL_CRIT } };
  if (n > 0) {
    const eg = coint(a, b, { trend: 'c', autolag: 'AIC' });
    if (eg.ok) {
      if (eg.collinear) {
        notes.push(
          'Engle–Granger: A and B are almost perfectly collinear (R² ≈ 1); the statistic is −∞ and is reported as null, p-value 0',
        );
      }
      egOut.stat = finiteOrNull(eg.stat);
      egOut.pvalue = finiteOrNull(eg.pvalue);
      egOut.crit = critJson(eg.critical);
    } else {
      notes.push(`Engle–Granger cointegration: ${eg.reason}`);
    }
  }

  let kBeta: number | null = null;
  let kAlpha: number | null = null;
  if (n > W) {
    kBeta = finiteOrNull(kalman.beta[n - 1]);
    kAlpha = finiteOrNull(kalman.alpha[n - 1]);
    if (kBeta === null || kAlpha === null) notes.push('Kalman filter: final state is not finite');
  } else if (n > 0) {
    notes.push(
      `Kalman filter: ${n} bar${n === 1 ? '' : 's'} do not get past the ${W}-bar warm-up from θ₀ = 0; final β/α not reported`,
    );
  }

  const summary: PairSummary = {
    pair: options.pair,
    timeframe: options.timeframe,
    hedge: options.hedge,
    window: W,
    bars: n,
    from: isoOrNull(startMs[0]),
    to: isoOrNull(startMs[n - 1]),
    ols: ols.ok
      ? {
          beta: finiteOrNull(ols.beta),
          alpha: finiteOrNull(ols.alpha),
          r2: finiteOrNull(ols.r2),
          se_beta: finiteOrNull(ols.seBeta),
        }
      : { beta: null, alpha: null, r2: null, se_beta: null },
    adf: adfOut,
    eg: egOut,
    half_life_bars: halfLifeBars,
    hurst,
    kalman: { beta: kBeta, alpha: kAlpha, delta: kalmanConfig.delta, ve: kalmanConfig.ve },
    notes,
  };
  return { series: { startMs, a, b, hedgeRatio, spread, zscore, correlation }, summary };
}
