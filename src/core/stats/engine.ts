/**
 * Pair analytics per bar, incrementally (live worker) and in batch (whole arrays), with the same
 * definitions:
 * - rolling OLS of A on B over the last W aligned closes: β_t, α_t, R²_t (window ends at t);
 * - spread s_t = A_t − h_t·B_t with hedge ratio h_t = rolling β_t (default) or a fixed β;
 * - z_t = (s_t − mean(s over W))/std(s over W, ddof 1), pandas rolling semantics (defined once W
 *   spreads exist, so from bar 2W−2 with the rolling hedge);
 * - log returns r_t = ln(p_t/p_{t−1}); rolling correlation of rA, rB over W returns; rolling
 *   volatility std(r over W)·√(bars per year), 365-day year;
 * - Kalman hedge (Chan): prior β/α, forecast error e, √Q, and the signal e/√Q (prior state).
 * Every incremental update is O(1) amortised (shifted sums with periodic exact recompute, see
 * rolling.ts); no look-ahead: bar t uses closes up to and including t.
 */
import {
  KALMAN_DEFAULTS,
  KalmanHedge,
  kalmanFilter,
  type KalmanConfig,
  type KalmanSeries,
  type KalmanStep,
} from './kalman';
import { barsPerYear, logReturns } from './returns';
import {
  RollingCoMoments,
  RollingMoments,
  rollingCorr,
  rollingOls,
  rollingStd,
  rollingZScore,
} from './rolling';
import { RollingReturnStats } from './rollingReturns';
import { fail, type StatsResult } from './types';

/** Which hedge ratio the spread uses. */
export type HedgeMode = 'rollingOls' | { fixedBeta: number };

export interface PairEngineConfig {
  /** Rolling window W in bars (≥ 2). */
  window: number;
  /** Bar timeframe in ms (annualisation of volatility). */
  timeframeMs: number;
  /** Hedge ratio for the spread (default 'rollingOls'). */
  hedge?: HedgeMode;
  /** Kalman parameters (default KALMAN_DEFAULTS). */
  kalman?: KalmanConfig;
}

/** Metrics after one bar; null = not defined yet (warm-up) or undefined (zero variance). */
export interface PairBarMetrics {
  /** 0-based index of this bar in the engine's stream. */
  index: number;
  a: number;
  b: number;
  rollingBeta: number | null;
  rollingAlpha: number | null;
  rollingR2: number | null;
  /** Hedge ratio used for this bar's spread. */
  hedgeRatio: number | null;
  spread: number | null;
  zscore: number | null;
  logReturnA: number | null;
  logReturnB: number | null;
  corr: number | null;
  /** Annualised volatility of A's / B's log returns over W. */
  volA: number | null;
  volB: number | null;
  kalman: KalmanStep & { zscore: number };
}

export type PairBarUpdate = StatsResult<PairBarMetrics>;

function orNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function checkConfig(c: PairEngineConfig): void {
  if (!Number.isInteger(c.window) || c.window < 2) {
    throw new RangeError(`window must be an integer ≥ 2, got ${c.window}`);
  }
  if (!(c.timeframeMs > 0)) throw new RangeError(`timeframeMs must be > 0, got ${c.timeframeMs}`);
}

/** Incremental pair analytics; feed aligned closes one bar at a time. */
export class PairAnalyticsEngine {
  readonly window: number;
  readonly timeframeMs: number;
  private readonly hedge: HedgeMode;
  private readonly prices: RollingCoMoments; // x = B, y = A
  private readonly spreads: RollingMoments;
  private readonly returns: RollingReturnStats;
  private readonly kalman: KalmanHedge;
  private n = 0;

  constructor(config: PairEngineConfig) {
    checkConfig(config);
    this.window = config.window;
    this.timeframeMs = config.timeframeMs;
    this.hedge = config.hedge ?? 'rollingOls';
    this.prices = new RollingCoMoments(config.window);
    this.spreads = new RollingMoments(config.window);
    this.returns = new RollingReturnStats(config.window, config.timeframeMs);
    this.kalman = new KalmanHedge(config.kalman ?? KALMAN_DEFAULTS);
  }

  /** Bars consumed so far. */
  get count(): number {
    return this.n;
  }

  /**
   * Consumes one aligned bar (closes of A and B). A non-finite or non-positive price is rejected
   * with `{ ok: false, reason }` and leaves the state unchanged.
   */
  push(a: number, b: number): PairBarUpdate {
    if (!Number.isFinite(a) || !(a > 0) || !Number.isFinite(b) || !(b > 0)) {
      return fail(`rejected bar: prices must be finite and > 0, got A=${a}, B=${b}`);
    }
    const index = this.n++;
    this.prices.push(b, a);
    let rollingBeta = NaN;
    let rollingAlpha = NaN;
    let rollingR2 = NaN;
    if (this.prices.ready) {
      rollingBeta = this.prices.slopeYonX();
      rollingAlpha = this.prices.interceptYonX();
      const r = this.prices.correlation();
      rollingR2 = r * r;
    }
    const h = this.hedge === 'rollingOls' ? rollingBeta : this.hedge.fixedBeta;
    let spread = NaN;
    let zscore = NaN;
    if (Number.isFinite(h)) {
      spread = a - h * b;
      this.spreads.push(spread);
      if (this.spreads.ready) zscore = this.spreads.zscoreOf(spread);
    } else {
      this.spreads.clear();
    }

    const r = this.returns;
    r.push(a, b);
    const k = this.kalman.update(a, b);
    return {
      ok: true,
      index,
      a,
      b,
      rollingBeta: orNull(rollingBeta),
      rollingAlpha: orNull(rollingAlpha),
      rollingR2: orNull(rollingR2),
      hedgeRatio: orNull(h),
      spread: orNull(spread),
      zscore: orNull(zscore),
      logReturnA: orNull(r.returnA),
      logReturnB: orNull(r.returnB),
      corr: orNull(r.correlation),
      volA: orNull(r.volA),
      volB: orNull(r.volB),
      kalman: { ...k, zscore: k.e / k.sqrtQ },
    };
  }

  /** Forgets all history. */
  reset(): void {
    this.prices.clear();
    this.spreads.clear();
    this.returns.reset();
    this.kalman.reset();
    this.n = 0;
  }
}

/** Whole-array version of the engine's metrics; NaN = undefined at that bar. */
export interface PairAnalyticsSeries {
  rollingBeta: Float64Array;
  rollingAlpha: Float64Array;
  rollingR2: Float64Array;
  hedgeRatio: Float64Array;
  spread: Float64Array;
  zscore: Float64Array;
  logReturnA: Float64Array;
  logReturnB: Float64Array;
  corr: Float64Array;
  volA: Float64Array;
  volB: Float64Array;
  kalman: KalmanSeries;
  /** e/√Q (prior-state signal). */
  kalmanZ: Float64Array;
}

/**
 * Batch computation over aligned closes (same definitions as PairAnalyticsEngine, built from the
 * batch rolling functions). Throws RangeError only for an invalid config.
 */
export function computePairAnalytics(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  config: PairEngineConfig,
): PairAnalyticsSeries {
  checkConfig(config);
  const n = Math.min(a.length, b.length);
  const W = config.window;
  const ols = rollingOls(a, b, W);
  const hedge = config.hedge ?? 'rollingOls';
  const hedgeRatio = hedge === 'rollingOls' ? ols.beta : new Float64Array(n).fill(hedge.fixedBeta);
  const spread = new Float64Array(n);
  for (let i = 0; i < n; i++) spread[i] = a[i] - hedgeRatio[i] * b[i];
  const zscore = rollingZScore(spread, W);
  const logReturnA = logReturns(a);
  const logReturnB = logReturns(b);
  const corr = rollingCorr(logReturnA, logReturnB, W);
  const f = Math.sqrt(barsPerYear(config.timeframeMs));
  const volA = rollingStd(logReturnA, W).map((v) => v * f);
  const volB = rollingStd(logReturnB, W).map((v) => v * f);
  const kalman = kalmanFilter(a, b, config.kalman ?? KALMAN_DEFAULTS);
  const kalmanZ = kalman.e.map((e, i) => e / kalman.sqrtQ[i]);
  return {
    rollingBeta: ols.beta,
    rollingAlpha: ols.alpha,
    rollingR2: ols.r2,
    hedgeRatio,
    spread,
    zscore,
    logReturnA,
    logReturnB,
    corr,
    volA,
    volB,
    kalman,
    kalmanZ,
  };
}
