/**
 * Rolling-window moments with O(1) work per value and no catastrophic cancellation.
 *
 * Method: shifted sums. Each window keeps Σd, Σd² (and Σd·e for two series) of d = x − K where
 * the shift K is the window mean at the last exact recompute. For prices, x − K is exact
 * (Sterbenz) and the sums only hold small numbers, so series like 1e8 ± 2 or 1e5 with tiny
 * variation keep full precision. Accumulated rounding is bounded by an exact two-pass recompute
 * (which also re-centres K) every `window` values — amortised O(1) — and immediately when the
 * shifted sums show cancellation (Σd² more than 64× the centred sum of squares, i.e. the mean
 * drifted far from K relative to the spread, e.g. after a jump).
 *
 * Conventions follow pandas `rolling(W)`: the window ends at (includes) the current value, and a
 * statistic is defined only once W values are in it; variance uses ddof = 1.
 */
import { RingBuffer } from './ringBuffer';

/** Recompute when Σd² exceeds this multiple of the centred sum of squares. */
const CANCELLATION_RATIO = 64;

/**
 * Sums of squares at or below n·(8·ε·|K|)² are rounding noise of the shift itself (every value in
 * the window equals K to within a few ulps): they count as exactly 0 (a flat window) and never
 * trigger a recompute.
 */
function noiseFloor(n: number, k: number): number {
  const u = 8 * Number.EPSILON * k;
  return n * u * u;
}

function checkWindow(window: number): void {
  if (!Number.isInteger(window) || window < 2) {
    throw new RangeError(`rolling window must be an integer ≥ 2, got ${window}`);
  }
}

/** Rolling mean / variance of one series over the last `window` values. */
export class RollingMoments {
  readonly window: number;
  private readonly buf: RingBuffer;
  private k = 0;
  private s1 = 0;
  private s2 = 0;
  private sinceRecompute = 0;

  constructor(window: number) {
    checkWindow(window);
    this.window = window;
    this.buf = new RingBuffer(window);
  }

  get count(): number {
    return this.buf.length;
  }

  /** True once the window holds `window` values. */
  get ready(): boolean {
    return this.buf.full;
  }

  push(x: number): void {
    if (this.buf.length === 0) {
      this.k = x;
      this.s1 = 0;
      this.s2 = 0;
      this.sinceRecompute = 0;
    }
    const old = this.buf.push(x);
    const d = x - this.k;
    this.s1 += d;
    this.s2 += d * d;
    if (old !== undefined) {
      const o = old - this.k;
      this.s1 -= o;
      this.s2 -= o * o;
    }
    if (++this.sinceRecompute >= this.window) {
      this.recompute();
    } else {
      const n = this.buf.length;
      const c = this.s2 - (this.s1 * this.s1) / n;
      if (this.s2 > noiseFloor(n, this.k) && !(c * CANCELLATION_RATIO > this.s2)) this.recompute();
    }
  }

  /** Exact two-pass recomputation; re-centres the shift on the window mean. */
  recompute(): void {
    const n = this.buf.length;
    this.sinceRecompute = 0;
    if (n === 0) return;
    let s = 0;
    for (let i = 0; i < n; i++) s += this.buf.get(i);
    let m = s / n;
    let c = 0;
    for (let i = 0; i < n; i++) c += this.buf.get(i) - m;
    m += c / n;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const d = this.buf.get(i) - m;
      s1 += d;
      s2 += d * d;
    }
    this.k = m;
    this.s1 = s1;
    this.s2 = s2;
  }

  /** Mean of the values in the window (NaN when empty). */
  mean(): number {
    const n = this.buf.length;
    return n === 0 ? NaN : this.k + this.s1 / n;
  }

  /** Centred sum of squares Σ(x − x̄)² (≥ 0). */
  sumSquares(): number {
    const n = this.buf.length;
    if (n === 0) return NaN;
    const c = this.s2 - (this.s1 * this.s1) / n;
    return c > noiseFloor(n, this.k) ? c : 0;
  }

  /** Sample variance (ddof = 1) of the current window, NaN with fewer than 2 values. */
  variance(): number {
    const n = this.buf.length;
    return n < 2 ? NaN : this.sumSquares() / (n - 1);
  }

  std(): number {
    return Math.sqrt(this.variance());
  }

  /** (x − mean)/std for a value x using the current window; NaN when std is 0 or undefined. */
  zscoreOf(x: number): number {
    const n = this.buf.length;
    if (n < 2) return NaN;
    const sd = this.std();
    if (!(sd > 0)) return NaN;
    return (x - this.k - this.s1 / n) / sd;
  }

  /** Newest value (NaN when empty). */
  last(): number {
    return this.buf.last();
  }

  clear(): void {
    this.buf.clear();
    this.k = 0;
    this.s1 = 0;
    this.s2 = 0;
    this.sinceRecompute = 0;
  }
}

/** Rolling co-moments of two series (x, y) over the last `window` pairs. */
export class RollingCoMoments {
  readonly window: number;
  private readonly bx: RingBuffer;
  private readonly by: RingBuffer;
  private kx = 0;
  private ky = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private syy = 0;
  private sxy = 0;
  private sinceRecompute = 0;

  constructor(window: number) {
    checkWindow(window);
    this.window = window;
    this.bx = new RingBuffer(window);
    this.by = new RingBuffer(window);
  }

  get count(): number {
    return this.bx.length;
  }

  get ready(): boolean {
    return this.bx.full;
  }

  push(x: number, y: number): void {
    if (this.bx.length === 0) {
      this.kx = x;
      this.ky = y;
      this.sx = this.sy = this.sxx = this.syy = this.sxy = 0;
      this.sinceRecompute = 0;
    }
    const ox = this.bx.push(x);
    const oy = this.by.push(y);
    const dx = x - this.kx;
    const dy = y - this.ky;
    this.sx += dx;
    this.sy += dy;
    this.sxx += dx * dx;
    this.syy += dy * dy;
    this.sxy += dx * dy;
    if (ox !== undefined && oy !== undefined) {
      const ex = ox - this.kx;
      const ey = oy - this.ky;
      this.sx -= ex;
      this.sy -= ey;
      this.sxx -= ex * ex;
      this.syy -= ey * ey;
      this.sxy -= ex * ey;
    }
    if (++this.sinceRecompute >= this.window) {
      this.recompute();
    } else {
      const n = this.bx.length;
      const cxx = this.sxx - (this.sx * this.sx) / n;
      const cyy = this.syy - (this.sy * this.sy) / n;
      if (
        (this.sxx > noiseFloor(n, this.kx) && !(cxx * CANCELLATION_RATIO > this.sxx)) ||
        (this.syy > noiseFloor(n, this.ky) && !(cyy * CANCELLATION_RATIO > this.syy))
      ) {
        this.recompute();
      }
    }
  }

  /** Exact two-pass recomputation; re-centres both shifts on the window means. */
  recompute(): void {
    const n = this.bx.length;
    this.sinceRecompute = 0;
    if (n === 0) return;
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < n; i++) {
      sa += this.bx.get(i);
      sb += this.by.get(i);
    }
    let mx = sa / n;
    let my = sb / n;
    let ca = 0;
    let cb = 0;
    for (let i = 0; i < n; i++) {
      ca += this.bx.get(i) - mx;
      cb += this.by.get(i) - my;
    }
    mx += ca / n;
    my += cb / n;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const dx = this.bx.get(i) - mx;
      const dy = this.by.get(i) - my;
      sx += dx;
      sy += dy;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
    this.kx = mx;
    this.ky = my;
    this.sx = sx;
    this.sy = sy;
    this.sxx = sxx;
    this.syy = syy;
    this.sxy = sxy;
  }

  meanX(): number {
    const n = this.bx.length;
    return n === 0 ? NaN : this.kx + this.sx / n;
  }

  meanY(): number {
    const n = this.bx.length;
    return n === 0 ? NaN : this.ky + this.sy / n;
  }

  /** Σ(x − x̄)². */
  sxxCentered(): number {
    const n = this.bx.length;
    const c = this.sxx - (this.sx * this.sx) / n;
    return c > noiseFloor(n, this.kx) ? c : 0;
  }

  /** Σ(y − ȳ)². */
  syyCentered(): number {
    const n = this.bx.length;
    const c = this.syy - (this.sy * this.sy) / n;
    return c > noiseFloor(n, this.ky) ? c : 0;
  }

  /** Σ(x − x̄)(y − ȳ). */
  sxyCentered(): number {
    return this.sxy - (this.sx * this.sy) / this.bx.length;
  }

  varX(): number {
    const n = this.bx.length;
    return n < 2 ? NaN : this.sxxCentered() / (n - 1);
  }

  varY(): number {
    const n = this.bx.length;
    return n < 2 ? NaN : this.syyCentered() / (n - 1);
  }

  covariance(): number {
    const n = this.bx.length;
    return n < 2 ? NaN : this.sxyCentered() / (n - 1);
  }

  /** Pearson correlation; NaN when either variance is 0 or fewer than 2 values. */
  correlation(): number {
    if (this.bx.length < 2) return NaN;
    const cxx = this.sxxCentered();
    const cyy = this.syyCentered();
    if (!(cxx > 0) || !(cyy > 0)) return NaN;
    const r = this.sxyCentered() / Math.sqrt(cxx * cyy);
    return r > 1 ? 1 : r < -1 ? -1 : r;
  }

  /** OLS slope of y on x (with intercept); NaN when x does not vary. */
  slopeYonX(): number {
    if (this.bx.length < 2) return NaN;
    const cxx = this.sxxCentered();
    return cxx > 0 ? this.sxyCentered() / cxx : NaN;
  }

  /** OLS intercept of y on x: ȳ − β·x̄. */
  interceptYonX(): number {
    const b = this.slopeYonX();
    return this.meanY() - b * this.meanX();
  }

  clear(): void {
    this.bx.clear();
    this.by.clear();
    this.kx = this.ky = 0;
    this.sx = this.sy = this.sxx = this.syy = this.sxy = 0;
    this.sinceRecompute = 0;
  }
}

// ------------------------------------------------------------------------------------------------
// Batch helpers over whole arrays (pandas rolling(W) semantics: NaN until W valid values, and NaN
// for every window that contains a NaN).

/** Runs `fn` on each index with a RollingMoments that is reset at every non-finite value. */
function rollOne(
  x: ArrayLike<number>,
  window: number,
  out: (m: RollingMoments, v: number) => number,
): Float64Array {
  const res = new Float64Array(x.length).fill(NaN);
  const m = new RollingMoments(window);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) {
      m.clear();
      continue;
    }
    m.push(v);
    if (m.ready) res[i] = out(m, v);
  }
  return res;
}

/** pandas `s.rolling(W).mean()`. */
export function rollingMean(x: ArrayLike<number>, window: number): Float64Array {
  return rollOne(x, window, (m) => m.mean());
}

/** pandas `s.rolling(W).std()` (ddof = 1). */
export function rollingStd(x: ArrayLike<number>, window: number): Float64Array {
  return rollOne(x, window, (m) => m.std());
}

/** pandas `(s − s.rolling(W).mean()) / s.rolling(W).std()`; NaN where the std is 0. */
export function rollingZScore(x: ArrayLike<number>, window: number): Float64Array {
  return rollOne(x, window, (m, v) => m.zscoreOf(v));
}

/** Runs a RollingCoMoments over pairs, reset whenever either value is non-finite. */
function rollTwo(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  window: number,
  outs: ((m: RollingCoMoments) => number)[],
): Float64Array[] {
  const n = Math.min(x.length, y.length);
  const res = outs.map(() => new Float64Array(n).fill(NaN));
  const m = new RollingCoMoments(window);
  for (let i = 0; i < n; i++) {
    const a = x[i];
    const b = y[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      m.clear();
      continue;
    }
    m.push(a, b);
    if (m.ready) for (let k = 0; k < outs.length; k++) res[k][i] = outs[k](m);
  }
  return res;
}

/** pandas `x.rolling(W).corr(y)`; NaN where either window variance is 0. */
export function rollingCorr(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  window: number,
): Float64Array {
  return rollTwo(x, y, window, [(m) => m.correlation()])[0];
}

/** pandas `x.rolling(W).cov(y)` (ddof = 1). */
export function rollingCov(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  window: number,
): Float64Array {
  return rollTwo(x, y, window, [(m) => m.covariance()])[0];
}

/**
 * Rolling OLS of `a` on `b` (with intercept) over the last W bars, per bar:
 * β_t = Σ(a−ā)(b−b̄)/Σ(b−b̄)², α_t = ā − β_t·b̄, r2_t = corr². NaN until W bars / when b is flat.
 */
export function rollingOls(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  window: number,
): { beta: Float64Array; alpha: Float64Array; r2: Float64Array } {
  const [beta, alpha, r2] = rollTwo(b, a, window, [
    (m) => m.slopeYonX(),
    (m) => m.interceptYonX(),
    (m) => {
      const r = m.correlation();
      return r * r;
    },
  ]);
  return { beta, alpha, r2 };
}
