/**
 * The stationarity panel's report for the live engine: Engle–Granger coint(A, B) (trend 'c',
 * autolag AIC) first, then ADF on the defined part of the selected method's spread (regression
 * 'c', autolag AIC; undefined bars dropped like pandas dropna()), half-life and Hurst exponent of
 * that spread, and a plain-words reading. Same estimators and options as `analyzePair`'s summary.
 * Degenerate input gives `{ ok: false, reason }` / null, never NaN and never a throw. Pure: the
 * caller stamps the wall-clock time and duration.
 */
import type { AnalyticsSelection, StationarityReport, TestOutcome } from '../contract/contract';
import { adfuller } from '../stats/adf';
import { coint } from '../stats/coint';
import { halfLife, hurstExponent } from '../stats/meanReversion';
import { olsAB } from '../stats/ols';

export interface StationarityInput {
  selection: AnalyticsSelection;
  /** Timeframe in ms (half-life in ms). */
  tfMs: number;
  /** Aligned closes of A and B (the retained lookback). */
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  /** Spread of the selected hedge method over the same rows; NaN where undefined. */
  spread: ArrayLike<number>;
  /** Max lags of the Hurst estimator (default 100, as analyzePair). */
  hurstMaxLags?: number;
}

export type StationarityBody = Omit<StationarityReport, 'computedAtMs' | 'durationMs'>;

/** Finite values of `x` in order (pandas dropna()). */
export function definedValues(x: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) out[k++] = x[i];
  return out;
}

function isFlat(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

function finiteCrit(c: { '1%': number; '5%': number; '10%': number } | null): boolean {
  return c !== null && [c['1%'], c['5%'], c['10%']].every(Number.isFinite);
}

function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** 1.5 s, 4.2 min, 3.1 h, 2.0 d. */
export function durationText(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${s.toPrecision(3)} s`;
  if (s < 5400) return `${(s / 60).toPrecision(3)} min`;
  if (s < 172_800) return `${(s / 3600).toPrecision(3)} h`;
  return `${(s / 86_400).toPrecision(3)} d`;
}

function engleGranger(input: StationarityInput): TestOutcome {
  const { a, b, selection } = input;
  const n = Math.min(a.length, b.length);
  if (n === 0) return { ok: false, reason: 'no aligned bars yet' };
  if (isFlat(b)) {
    return {
      ok: false,
      reason: `constant series: ${selection.pairB} did not move over the ${n} bars`,
    };
  }
  if (isFlat(a)) {
    return {
      ok: false,
      reason: `constant series: ${selection.pairA} did not move over the ${n} bars`,
    };
  }
  const eg = coint(a, b, { trend: 'c', autolag: 'AIC' });
  if (!eg.ok) return { ok: false, reason: eg.reason };
  if (eg.collinear || !Number.isFinite(eg.stat) || eg.usedlag === null) {
    return {
      ok: false,
      reason: `${selection.pairA} and ${selection.pairB} are almost perfectly collinear (R² ≈ 1): the Engle–Granger statistic is not finite`,
    };
  }
  if (!finiteCrit(eg.critical) || !Number.isFinite(eg.pvalue) || eg.critical === null) {
    return { ok: false, reason: 'Engle–Granger: critical values or p-value not finite' };
  }
  return {
    ok: true,
    stat: eg.stat,
    pvalue: eg.pvalue,
    usedlag: eg.usedlag,
    nobs: n - 1 - eg.usedlag,
    crit: { '1%': eg.critical['1%'], '5%': eg.critical['5%'], '10%': eg.critical['10%'] },
  };
}

function adfOnSpread(s: Float64Array, method: string): TestOutcome {
  if (s.length === 0) {
    return { ok: false, reason: `the ${method} spread is not defined on any bar yet` };
  }
  if (isFlat(s)) return { ok: false, reason: `constant spread: the ${method} spread did not move` };
  const r = adfuller(s, { regression: 'c', autolag: 'AIC' });
  if (!r.ok) return { ok: false, reason: r.reason };
  if (!Number.isFinite(r.stat) || !Number.isFinite(r.pvalue) || !finiteCrit(r.critical)) {
    return { ok: false, reason: 'ADF: statistic or p-value not finite' };
  }
  return {
    ok: true,
    stat: r.stat,
    pvalue: r.pvalue,
    usedlag: r.usedlag,
    nobs: r.nobs,
    crit: { '1%': r.critical['1%'], '5%': r.critical['5%'], '10%': r.critical['10%'] },
  };
}

function level(p: number): '1 %' | '5 %' | '10 %' | null {
  if (p <= 0.01) return '1 %';
  if (p <= 0.05) return '5 %';
  if (p <= 0.1) return '10 %';
  return null;
}

/** The plain-words reading: Engle–Granger first, then ADF (with its caveat), then half-life. */
export function stationarityReading(
  eg: TestOutcome,
  adf: TestOutcome,
  halfLifeBars: number | null,
  halfLifeMs: number | null,
  method: string,
): string {
  const parts: string[] = [];
  if (eg.ok) {
    const l = level(eg.pvalue);
    if (l === '1 %' || l === '5 %') {
      parts.push(
        `Engle–Granger: cointegrated at ${l}: the spread mean-reverts (${pText(eg.pvalue)}).`,
      );
    } else if (l === '10 %') {
      parts.push(
        `Engle–Granger: cointegrated at 10 % only: weak evidence the spread mean-reverts (${pText(eg.pvalue)}).`,
      );
    } else {
      parts.push(
        `Engle–Granger: not cointegrated at 10 %: no evidence the spread mean-reverts (${pText(eg.pvalue)}).`,
      );
    }
  } else {
    parts.push(`Engle–Granger could not run: ${eg.reason}.`);
  }
  if (adf.ok) {
    const l = level(adf.pvalue);
    parts.push(
      l === null
        ? `ADF on the ${method} spread: not stationary at 10 % (${pText(adf.pvalue)}).`
        : `ADF on the ${method} spread: stationary at ${l} (${pText(adf.pvalue)}).`,
    );
  } else {
    parts.push(`ADF on the ${method} spread could not run: ${adf.reason}.`);
  }
  parts.push(
    'Plain ADF p-values on an OLS residual overstate stationarity (β was fitted to make the spread look stationary); the Engle–Granger critical values account for the estimated β, so read Engle–Granger first.',
  );
  if (halfLifeBars !== null) {
    const ms = halfLifeMs !== null ? ` (${durationText(halfLifeMs)})` : '';
    parts.push(`Half-life ≈ ${halfLifeBars.toPrecision(3)} bars${ms}.`);
  } else if (adf.ok || eg.ok) {
    parts.push('No half-life: the spread shows no mean reversion (λ ≥ 0).');
  }
  return parts.join(' ');
}

/** Runs the tests (see module doc). */
export function stationarityReport(input: StationarityInput): StationarityBody {
  const n = Math.min(input.a.length, input.b.length);
  const method = `${input.selection.hedgeMethod}-hedge`;
  const eg = engleGranger(input);
  // Same rows as coint above; olsAB refuses too few points, a constant leg or unequal lengths.
  const ols = olsAB(input.a, input.b);
  const finite = (x: number): boolean => Number.isFinite(x);
  const hedgeRegression =
    ols.ok && [ols.beta, ols.alpha, ols.r2, ols.seBeta].every(finite)
      ? { beta: ols.beta, alpha: ols.alpha, r2: ols.r2, seBeta: ols.seBeta }
      : null;
  const s = definedValues(input.spread);
  const adf = adfOnSpread(s, method);
  let halfLifeBars: number | null = null;
  let hurst: number | null = null;
  if (s.length > 0) {
    const hl = halfLife(s);
    if (hl.ok && Number.isFinite(hl.halfLife)) halfLifeBars = hl.halfLife;
    const hu = hurstExponent(s, input.hurstMaxLags ?? 100);
    if (hu.ok && Number.isFinite(hu.hurst)) hurst = hu.hurst;
  }
  const halfLifeMs = halfLifeBars === null ? null : halfLifeBars * input.tfMs;
  return {
    selection: { ...input.selection },
    bars: n,
    hedgeRegression,
    engleGranger: eg,
    adf,
    halfLifeBars,
    halfLifeMs,
    hurst,
    reading: stationarityReading(eg, adf, halfLifeBars, halfLifeMs, method),
  };
}
