/**
 * The market summary (issue #9): the current state of a pair read out in plain words from
 * statistics already computed (no new estimation here beyond a median and a min/max). Each line
 * names the rule that produced it, so the reader can see why a word was chosen. It describes what
 * the statistic says and nothing more: no trading advice.
 *
 * Rules (constants below):
 * - zscore: position |z| in σ above/below the spread's rolling mean (z > 0: A rich vs B, as the
 *   spread is A − β·B); direction from |z| against the bar before (widening / narrowing, or
 *   crossed the mean on a sign change). Tone: |z| ≥ K_crit bad, |z| ≥ K warn, else neutral.
 * - correlation of log returns: ρ ≥ 0.7 strong (good), 0.3 ≤ ρ < 0.7 moderate (neutral),
 *   ρ < 0.3 weak (warn).
 * - cointegration: Engle–Granger p < 0.05 cointegrated (good), else not (warn); plus the
 *   half-life in bars and in time (bars × timeframe).
 * - volatility: each leg's annualised vol against its median over the lookback: ratio > 1.5 high
 *   (warn), < 0.67 low, else normal (neutral).
 * - hedge: (max − min) of the rolling β over the lookback as a percentage of |last β|:
 *   < 5 % stable (good), else drifting (warn).
 * A missing input gives a neutral line saying what is not available yet.
 */
import { TIMEFRAME_MS, type Timeframe } from '../market/types';

export type SummaryTopic = 'zscore' | 'correlation' | 'cointegration' | 'volatility' | 'hedge';
export type SummaryTone = 'good' | 'warn' | 'bad' | 'neutral';

export interface SummaryLine {
  topic: SummaryTopic;
  text: string;
  tone: SummaryTone;
  /** The rule that produced the line, e.g. "|z| ≥ 2 (alert level): warn". */
  rule: string;
}

export interface MarketSummaryInput {
  /** Leg A (dependent) and leg B, e.g. BTCUSDT and ETHUSDT. */
  symbolA: string;
  symbolB: string;
  timeframe: Timeframe;
  /** Last rolling z-score of the spread (σ units); null/NaN when not defined yet. */
  zLast: number | null;
  /** z-score one bar before (direction); null/NaN when not defined. */
  zPrev: number | null;
  /** Alert level K (default 2) and critical level K_crit (default K + 1), for the tone. */
  alertK?: number;
  alertCritical?: number;
  /** Last rolling correlation of log returns. */
  correlation: number | null;
  /** Engle–Granger p-value (A on B), null when not run or not defined. */
  egPValue: number | null;
  /** Half-life of the spread's mean reversion, in bars; null when not defined. */
  halfLifeBars: number | null;
  /** Current annualised volatility of each leg (fraction: 0.5 = 50 %). */
  volA: number | null;
  volB: number | null;
  /** Each leg's annualised volatility over the lookback (non-finite entries are skipped). */
  volHistoryA: ArrayLike<number | null>;
  volHistoryB: ArrayLike<number | null>;
  /** Rolling β over the lookback (non-finite entries are skipped) and the last β. */
  betaRolling: ArrayLike<number | null>;
  betaLast: number | null;
}

export const SUMMARY_RULES = {
  /** |ρ| thresholds on the correlation of log returns. */
  strongCorrelation: 0.7,
  weakCorrelation: 0.3,
  /** Engle–Granger significance level. */
  cointegrationAlpha: 0.05,
  /** Current vol / median vol. */
  highVolRatio: 1.5,
  lowVolRatio: 0.67,
  /** β range over the lookback as a fraction of |β|. */
  stableBetaRange: 0.05,
  /** |z| below this reads as "at its mean". */
  atMeanZ: 0.05,
} as const;

function finite(x: number | null | undefined): x is number {
  return x !== null && x !== undefined && Number.isFinite(x);
}

/** Median of the finite values (mean of the two middle ones for an even count); NaN if none. */
export function finiteMedian(values: ArrayLike<number | null>): number {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (finite(x)) v.push(x);
  }
  if (v.length === 0) return Number.NaN;
  v.sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** 14, 2.5, 0.42: two significant figures below 10, whole numbers above. */
function short(x: number): string {
  const ax = Math.abs(x);
  if (ax >= 10) return String(Math.round(x));
  if (ax >= 1) return x.toFixed(1);
  return String(Number(x.toPrecision(2)));
}

/** A duration in the largest unit that keeps it ≥ 1: "45 s", "14 min", "2.5 h", "3.1 d". */
export function durationText(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${short(s)} s`;
  if (s < 3600) return `${short(s / 60)} min`;
  if (s < 86_400) return `${short(s / 3600)} h`;
  return `${short(s / 86_400)} d`;
}

function pText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

function zLine(i: MarketSummaryInput): SummaryLine {
  const k = i.alertK ?? 2;
  const crit = i.alertCritical ?? k + 1;
  if (!finite(i.zLast)) {
    return {
      topic: 'zscore',
      text: 'z-score not available yet: it needs a full rolling window of the spread',
      tone: 'neutral',
      rule: 'z defined once W spreads are available',
    };
  }
  const z = i.zLast;
  const abs = Math.abs(z);
  let text: string;
  if (abs < SUMMARY_RULES.atMeanZ) {
    text = `spread at its mean (z = ${z.toFixed(2)})`;
  } else {
    const where = z > 0 ? 'above' : 'below';
    const reading = z > 0 ? 'rich' : 'cheap';
    text = `spread ${abs.toFixed(1)}σ ${where} its mean: ${i.symbolA} ${reading} vs ${i.symbolB}`;
  }
  if (finite(i.zPrev)) {
    const prev = i.zPrev;
    if (prev !== 0 && z !== 0 && Math.sign(prev) !== Math.sign(z)) text += ', crossed its mean';
    else if (abs > Math.abs(prev)) text += ', and widening';
    else if (abs < Math.abs(prev)) text += ', and narrowing';
    else text += ', unchanged';
  }
  if (abs >= crit)
    return { topic: 'zscore', text, tone: 'bad', rule: `|z| ≥ ${crit} (critical level): bad` };
  if (abs >= k)
    return { topic: 'zscore', text, tone: 'warn', rule: `|z| ≥ ${k} (alert level): warn` };
  return { topic: 'zscore', text, tone: 'neutral', rule: `|z| < ${k} (alert level): neutral` };
}

function correlationLine(i: MarketSummaryInput): SummaryLine {
  const { strongCorrelation: strong, weakCorrelation: weak } = SUMMARY_RULES;
  if (!finite(i.correlation)) {
    return {
      topic: 'correlation',
      text: 'correlation not available yet: it needs a full rolling window of returns',
      tone: 'neutral',
      rule: 'ρ defined once W returns of both legs are available',
    };
  }
  const rho = i.correlation;
  const base = `correlation of log returns ${rho.toFixed(2)}`;
  if (rho >= strong) {
    return {
      topic: 'correlation',
      text: `${base}: strong`,
      tone: 'good',
      rule: `ρ ≥ ${strong}: strong, good`,
    };
  }
  if (rho >= weak) {
    return {
      topic: 'correlation',
      text: `${base}: moderate`,
      tone: 'neutral',
      rule: `${weak} ≤ ρ < ${strong}: moderate, neutral`,
    };
  }
  return {
    topic: 'correlation',
    text: `${base}: weak${rho < 0 ? ' (negative)' : ''}`,
    tone: 'warn',
    rule: `ρ < ${weak}: weak, warn`,
  };
}

function cointegrationLine(i: MarketSummaryInput): SummaryLine {
  const alpha = SUMMARY_RULES.cointegrationAlpha;
  const pct = `${alpha * 100} %`;
  let halfLife: string;
  if (finite(i.halfLifeBars) && i.halfLifeBars > 0) {
    const bars = i.halfLifeBars;
    const ms = bars * TIMEFRAME_MS[i.timeframe];
    halfLife = `half-life ${short(bars)} bar${short(bars) === '1' ? '' : 's'} ≈ ${durationText(ms)}`;
  } else {
    halfLife = 'half-life not defined (no mean reversion measured)';
  }
  if (!finite(i.egPValue)) {
    return {
      topic: 'cointegration',
      text: `Engle–Granger test not available yet; ${halfLife}`,
      tone: 'neutral',
      rule: 'Engle–Granger needs enough aligned bars (run the stationarity panel)',
    };
  }
  const p = i.egPValue;
  if (p < alpha) {
    return {
      topic: 'cointegration',
      text: `cointegrated at ${pct} (${pText(p)}), ${halfLife}`,
      tone: 'good',
      rule: `Engle–Granger p < ${alpha}: cointegrated, good`,
    };
  }
  return {
    topic: 'cointegration',
    text: `not cointegrated at ${pct} (${pText(p)}), ${halfLife}`,
    tone: 'warn',
    rule: `Engle–Granger p ≥ ${alpha}: not cointegrated, warn`,
  };
}

type VolRegime = 'high' | 'low' | 'normal' | 'n/a';

function volRegime(
  symbol: string,
  vol: number | null,
  history: ArrayLike<number | null>,
): { regime: VolRegime; text: string } {
  const median = finiteMedian(history);
  if (!finite(vol) || !(median > 0))
    return { regime: 'n/a', text: `not available yet for ${symbol}` };
  const ratio = vol / median;
  const regime: VolRegime =
    ratio > SUMMARY_RULES.highVolRatio
      ? 'high'
      : ratio < SUMMARY_RULES.lowVolRatio
        ? 'low'
        : 'normal';
  return {
    regime,
    text: `${regime} for ${symbol} (${short(vol * 100)} % annualised, ${ratio.toFixed(1)}× its median ${short(median * 100)} %)`,
  };
}

function volatilityLine(i: MarketSummaryInput): SummaryLine {
  const a = volRegime(i.symbolA, i.volA, i.volHistoryA);
  const b = volRegime(i.symbolB, i.volB, i.volHistoryB);
  const rule = `vol / lookback median > ${SUMMARY_RULES.highVolRatio}: high (warn); < ${SUMMARY_RULES.lowVolRatio}: low; else normal`;
  if (a.regime === 'n/a' && b.regime === 'n/a') {
    return {
      topic: 'volatility',
      text: 'volatility not available yet: it needs a full rolling window of returns',
      tone: 'neutral',
      rule,
    };
  }
  const high = a.regime === 'high' || b.regime === 'high';
  return {
    topic: 'volatility',
    text: `volatility ${a.text}; ${b.text}`,
    tone: high ? 'warn' : 'neutral',
    rule,
  };
}

function hedgeLine(i: MarketSummaryInput): SummaryLine {
  const limit = SUMMARY_RULES.stableBetaRange;
  const rule = `rolling β range < ${limit * 100} % of |β|: stable (good); else drifting (warn)`;
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < i.betaRolling.length; j++) {
    const b = i.betaRolling[j];
    if (!finite(b)) continue;
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  if (!finite(i.betaLast) || i.betaLast === 0 || lo > hi) {
    return {
      topic: 'hedge',
      text: 'hedge-ratio stability not available yet: it needs rolling β values',
      tone: 'neutral',
      rule,
    };
  }
  const beta = i.betaLast;
  const range = (hi - lo) / Math.abs(beta);
  const b4 = (x: number): string => String(Number(x.toPrecision(4)));
  const rangeText = `range ${b4(lo)}…${b4(hi)}, ${short(range * 100)} % of |β|`;
  const betaText = `hedge ratio β = ${b4(beta)}`;
  if (range < limit) {
    return {
      topic: 'hedge',
      text: `${betaText}, stable over the lookback (${rangeText})`,
      tone: 'good',
      rule,
    };
  }
  return {
    topic: 'hedge',
    text: `${betaText}, drifting over the lookback (${rangeText})`,
    tone: 'warn',
    rule,
  };
}

/** The five summary lines, in the order z-score, correlation, cointegration, volatility, hedge. */
export function marketSummary(input: MarketSummaryInput): SummaryLine[] {
  return [
    zLine(input),
    correlationLine(input),
    cointegrationLine(input),
    volatilityLine(input),
    hedgeLine(input),
  ];
}
