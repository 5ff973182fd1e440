/**
 * Kalman-filter hedge ratio (Chan 2013, "Algorithmic Trading", ch. 3).
 *
 * State θ = [β, α]; observation y_t = F_t·θ_t + v, F_t = [x_t, 1], v ~ N(0, Ve);
 * θ_t = θ_{t−1} + w, w ~ N(0, Vw), Vw = δ/(1−δ)·I. Per bar, from the prior state:
 *   R = P + Vw;  ŷ = F·θ;  e = y − ŷ;  Q = F·R·Fᵀ + Ve;  K = R·Fᵀ/Q;  θ ← θ + K·e;  P ← R − K·F·R.
 * e is the spread forecast error and √Q its standard deviation; trading signals (e/√Q) use the
 * PRIOR state — the one before this bar's update — so they carry no look-ahead. θ₀ = 0, P₀ = 0.
 *
 * Defaults for PairDesk: δ = 1e−7, Ve = 10 (y = A = BTCUSDT, x = B = ETHUSDT in USDT).
 * Chan's δ = 1e−4, Ve = 1e−3 assume ETF prices of 20–60. Only the ratio δ/Ve sets how fast β
 * adapts (scaling δ, Ve and P together leaves θ unchanged), and what matters is the β-drift
 * variance seen in y, x²·δ, against Ve. At x ≈ 3,000 Chan's values make x²·δ/Ve ≈ 9e5, so β just
 * follows the instantaneous price ratio and √Q (≈ 30 USDT) is many times the real forecast error
 * (e/√Q has a std of 0.09–0.24 on the real captures). δ = 1e−7, Ve = 10 (observation noise
 * √Ve ≈ 3.2 USDT on BTC, the size of 1 s spread noise) gives on the captured BTCUSDT/ETHUSDT 1 s
 * data: convergence from θ₀ = 0 within ~20–25 bars, half the bar-to-bar β movement of Chan's
 * values, and a roughly calibrated e/√Q (std 1.1–2.4). For other price scales keep δ/Ve·x² in
 * the same range (e.g. scale Ve with the square of A's price level), or pass your own values.
 */

export interface KalmanConfig {
  /** Random-walk intensity δ of the state: Vw = δ/(1−δ)·I. In (0, 1). */
  delta: number;
  /** Observation noise variance Ve (units of y²). > 0. */
  ve: number;
  /** Initial β (default 0, as Chan). */
  beta0?: number;
  /** Initial α (default 0, as Chan). */
  alpha0?: number;
}

/** PairDesk defaults for BTCUSDT/ETHUSDT-scale prices (see module doc). */
export const KALMAN_DEFAULTS: Readonly<KalmanConfig> = Object.freeze({ delta: 1e-7, ve: 10 });

/** Chan's (2013) ETF parameters, for prices of 20–60. */
export const KALMAN_CHAN: Readonly<KalmanConfig> = Object.freeze({ delta: 1e-4, ve: 1e-3 });

/** One filter step. */
export interface KalmanStep {
  /** β and α before this bar's observation (use these for signals). */
  priorBeta: number;
  priorAlpha: number;
  /** β and α after the update. */
  beta: number;
  alpha: number;
  /** Forecast error y − (priorBeta·x + priorAlpha). */
  e: number;
  /** √Q, the standard deviation of e. */
  sqrtQ: number;
}

function checkConfig(c: KalmanConfig): void {
  if (!(c.delta > 0 && c.delta < 1))
    throw new RangeError(`Kalman delta must be in (0, 1), got ${c.delta}`);
  if (!(c.ve > 0)) throw new RangeError(`Kalman ve must be > 0, got ${c.ve}`);
}

/** Incremental Kalman hedge-ratio filter; O(1) per bar, no allocation in `update`. */
export class KalmanHedge {
  readonly delta: number;
  readonly ve: number;
  private readonly vw: number;
  private b: number;
  private a: number;
  private p00 = 0;
  private p01 = 0;
  private p10 = 0;
  private p11 = 0;
  private readonly initBeta: number;
  private readonly initAlpha: number;
  private n = 0;

  constructor(config: KalmanConfig = KALMAN_DEFAULTS) {
    checkConfig(config);
    this.delta = config.delta;
    this.ve = config.ve;
    this.vw = config.delta / (1 - config.delta);
    this.initBeta = config.beta0 ?? 0;
    this.initAlpha = config.alpha0 ?? 0;
    this.b = this.initBeta;
    this.a = this.initAlpha;
  }

  get count(): number {
    return this.n;
  }

  get beta(): number {
    return this.b;
  }

  get alpha(): number {
    return this.a;
  }

  /** Feeds y (A's close) and x (B's close); writes the step into `out` (or a new object). */
  update(y: number, x: number, out?: KalmanStep): KalmanStep {
    const r00 = this.p00 + this.vw;
    const r01 = this.p01;
    const r10 = this.p10;
    const r11 = this.p11 + this.vw;
    const priorBeta = this.b;
    const priorAlpha = this.a;
    const yhat = x * priorBeta + priorAlpha;
    const e = y - yhat;
    const fr0 = x * r00 + r10; // (F·R)_0
    const fr1 = x * r01 + r11; // (F·R)_1
    const q = fr0 * x + fr1 + this.ve;
    const k0 = (r00 * x + r01) / q;
    const k1 = (r10 * x + r11) / q;
    this.b = priorBeta + k0 * e;
    this.a = priorAlpha + k1 * e;
    // P = R − K·(F·R)
    this.p00 = r00 - k0 * fr0;
    this.p01 = r01 - k0 * fr1;
    this.p10 = r10 - k1 * fr0;
    this.p11 = r11 - k1 * fr1;
    this.n++;
    const s = out ?? { priorBeta: 0, priorAlpha: 0, beta: 0, alpha: 0, e: 0, sqrtQ: 0 };
    s.priorBeta = priorBeta;
    s.priorAlpha = priorAlpha;
    s.beta = this.b;
    s.alpha = this.a;
    s.e = e;
    s.sqrtQ = Math.sqrt(q);
    return s;
  }

  reset(): void {
    this.b = this.initBeta;
    this.a = this.initAlpha;
    this.p00 = this.p01 = this.p10 = this.p11 = 0;
    this.n = 0;
  }
}

/** Batch output of `kalmanFilter`, one entry per bar. */
export interface KalmanSeries {
  priorBeta: Float64Array;
  priorAlpha: Float64Array;
  beta: Float64Array;
  alpha: Float64Array;
  e: Float64Array;
  sqrtQ: Float64Array;
}

/** Runs the filter over whole arrays (y = A, x = B). Non-finite inputs give NaN rows and are skipped. */
export function kalmanFilter(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  config: KalmanConfig = KALMAN_DEFAULTS,
): KalmanSeries {
  const n = Math.min(y.length, x.length);
  const out: KalmanSeries = {
    priorBeta: new Float64Array(n),
    priorAlpha: new Float64Array(n),
    beta: new Float64Array(n),
    alpha: new Float64Array(n),
    e: new Float64Array(n),
    sqrtQ: new Float64Array(n),
  };
  const f = new KalmanHedge(config);
  const s: KalmanStep = { priorBeta: 0, priorAlpha: 0, beta: 0, alpha: 0, e: 0, sqrtQ: 0 };
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]) || !Number.isFinite(x[i])) {
      out.priorBeta[i] =
        out.priorAlpha[i] =
        out.beta[i] =
        out.alpha[i] =
        out.e[i] =
        out.sqrtQ[i] =
          NaN;
      continue;
    }
    f.update(y[i], x[i], s);
    out.priorBeta[i] = s.priorBeta;
    out.priorAlpha[i] = s.priorAlpha;
    out.beta[i] = s.beta;
    out.alpha[i] = s.alpha;
    out.e[i] = s.e;
    out.sqrtQ[i] = s.sqrtQ;
  }
  return out;
}
