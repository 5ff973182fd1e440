/**
 * Exact, order-independent floating-point summation.
 *
 * A sum is kept as a list of non-overlapping "partials" (doubles of strictly increasing magnitude
 * whose exact mathematical sum is the exact sum of everything added), grown with error-free
 * transformations, and read back correctly rounded (round-to-nearest, ties-to-even). This is
 * J. R. Shewchuk, "Adaptive Precision Floating-Point Arithmetic and Fast Robust Geometric
 * Predicates", Discrete & Computational Geometry 18 (1997) 305–363 — GROW-EXPANSION with
 * zero elimination — in the form Python's `math.fsum` uses (msum + the half-even fix-up on read).
 *
 * Because the read value is the correctly rounded EXACT sum, it does not depend on the order of
 * the adds, nor on how the inputs were grouped (adding another ExactSum's partials is exact).
 *
 * Products are made exact with Dekker's TwoProduct using Veltkamp splitting (JS has no FMA):
 * a·b = hi + lo exactly, both doubles.
 *
 * Preconditions (validated market data is far inside them): inputs finite; no partial overflows
 * (|running sums| < 2^1023); for products, |a·b| < 2^1023 and a·b either 0 or with
 * exponent(a) + exponent(b) ≥ −969 so the low part does not underflow.
 */

/** 2^27 + 1: Veltkamp splits a 53-bit significand into two halves of ≤ 26 bits each. */
const SPLITTER = 134217729;
/** Above this, SPLITTER·a would overflow; such values are scaled by 2^−28 before splitting. */
const SPLIT_LIMIT = 2 ** 996;
const TWO_M28 = 2 ** -28;
const TWO_P28 = 2 ** 28;

/** Low part of the last {@link twoProductHi}-style computation; module scratch avoids allocation. */
let productLo = 0;

/**
 * Computes hi = fl(a·b) and stores lo = a·b − hi (exact) in the module scratch `productLo`.
 * Dekker 1971 / Shewchuk 1997 Two-Product: with a = ah + al and b = bh + bl split into ≤ 26-bit
 * halves, every partial product is exact, so the error term is recovered exactly.
 */
function productHiLo(a: number, b: number): number {
  const hi = a * b;
  let ah: number;
  let al: number;
  let bh: number;
  let bl: number;
  if (a > SPLIT_LIMIT || a < -SPLIT_LIMIT) {
    // Scaling by a power of two is exact; the halves are scaled back exactly too.
    const s = a * TWO_M28;
    const c = SPLITTER * s;
    ah = c - (c - s);
    al = (s - ah) * TWO_P28;
    ah *= TWO_P28;
  } else {
    const c = SPLITTER * a;
    ah = c - (c - a);
    al = a - ah;
  }
  if (b > SPLIT_LIMIT || b < -SPLIT_LIMIT) {
    const s = b * TWO_M28;
    const c = SPLITTER * s;
    bh = c - (c - s);
    bl = (s - bh) * TWO_P28;
    bh *= TWO_P28;
  } else {
    const c = SPLITTER * b;
    bh = c - (c - b);
    bl = b - bh;
  }
  const err1 = hi - ah * bh;
  const err2 = err1 - al * bh;
  const err3 = err2 - ah * bl;
  productLo = al * bl - err3;
  return hi;
}

/**
 * Error-free product: returns [hi, lo] with hi = fl(a·b) and hi + lo = a·b exactly (see the
 * module preconditions). Allocates; the hot path uses {@link ExactSum.addProduct} instead.
 */
export function twoProduct(a: number, b: number): [number, number] {
  const hi = productHiLo(a, b);
  return [hi, productLo];
}

/**
 * Exact running sum Σx of doubles, read as the correctly rounded (ties-to-even) double.
 * Mutable and reusable ({@link reset}).
 *
 * Representation (hot path is {@link add}, called several times per tick): the exact sum is
 * h0 + h1 + h2 + Σ p[0, n). Each add cascades x through the three "head" doubles with Knuth's
 * branch-free Two-Sum (s + e = a + b exactly, whatever their magnitudes): h0 takes x, h1 takes
 * h0's rounding error, h2 takes h1's; only h2's error (nonzero only when the exact sum spans more
 * than ~3·53 bits, i.e. never for market volumes) is added to the Shewchuk expansion p. Every step
 * is error-free, so the invariant holds exactly; the heads need not be non-overlapping, because
 * they are only read through {@link value}, which first folds everything into one Shewchuk
 * expansion. This replaces a loop over 3–6 partials per add by 2–3 fixed Two-Sums.
 */
export class ExactSum {
  private h0 = 0;
  private h1 = 0;
  private h2 = 0;
  /**
   * Spill-over: non-overlapping, nonzero partials in increasing magnitude; [0, n) is live.
   * Allocated on first spill (rare), so a fresh sum costs one small object.
   */
  private p: number[] | null = null;
  private n = 0;

  /** Adds x exactly. O(1) unless the sum needs more than three heads (then O(spill size)). */
  add(x: number): void {
    // Two-Sum (Knuth): s = fl(a + b), e = a + b − s exactly, no magnitude ordering needed.
    const a = this.h0;
    const s0 = a + x;
    const b0 = s0 - a;
    const e0 = a - (s0 - b0) + (x - b0);
    this.h0 = s0;
    if (e0 === 0) return;
    const c = this.h1;
    const s1 = c + e0;
    const b1 = s1 - c;
    const e1 = c - (s1 - b1) + (e0 - b1);
    this.h1 = s1;
    if (e1 === 0) return;
    const d = this.h2;
    const s2 = d + e1;
    const b2 = s2 - d;
    const e2 = d - (s2 - b2) + (e1 - b2);
    this.h2 = s2;
    if (e2 !== 0) this.spill(e2);
  }

  /** Adds the exact product a·b (quote volume = Σ price·qty without rounding each product). */
  addProduct(a: number, b: number): void {
    const hi = productHiLo(a, b);
    const lo = productLo;
    this.add(hi);
    if (lo !== 0) this.add(lo);
  }

  /** Adds another sum exactly by merging its parts (not its rounded value). */
  addSum(other: ExactSum): void {
    // add() rewrites this.p in place, so a self-merge must read from a copy.
    const m = other.n;
    const h0 = other.h0;
    const h1 = other.h1;
    const h2 = other.h2;
    if (m > 0 && other.p !== null) {
      const q = other === this ? other.p.slice(0, m) : other.p;
      for (let j = 0; j < m; j++) this.add(q[j]);
    }
    this.add(h2);
    this.add(h1);
    this.add(h0);
  }

  /** Makes this sum equal to `other` (exact copy). */
  copyFrom(other: ExactSum): void {
    const m = other.n;
    if (m > 0 && other.p !== null) {
      const p = (this.p ??= []);
      for (let j = 0; j < m; j++) p[j] = other.p[j];
    }
    this.n = m;
    this.h0 = other.h0;
    this.h1 = other.h1;
    this.h2 = other.h2;
  }

  /** Back to zero, keeping the backing array for reuse. */
  reset(): void {
    this.h0 = 0;
    this.h1 = 0;
    this.h2 = 0;
    this.n = 0;
  }

  /** Number of partials of the normalised expansion (diagnostics and tests). */
  get size(): number {
    return this.normalize().n;
  }

  /** Copy of the normalised expansion's partials, increasing magnitude (tests). */
  partials(): number[] {
    const e = this.normalize();
    return e.p.slice(0, e.n);
  }

  /**
   * The exact sum rounded to the nearest double, ties to even. Does not mutate. Folds the heads
   * into a Shewchuk expansion, then reads it as CPython's math.fsum does (see {@link readExpansion}).
   */
  value(): number {
    // Nothing spilled and at most two nonzero heads: the exact sum is h0 + h1, and one IEEE
    // addition of two doubles is already correctly rounded (ties to even). −0 reads as 0.
    if (this.n === 0 && this.h2 === 0) {
      const v = this.h0 + this.h1;
      return v === 0 ? 0 : v;
    }
    const e = this.normalize();
    return readExpansion(e.p, e.n);
  }

  /** The exact sum as a non-overlapping expansion (module scratch; valid until the next call). */
  private normalize(): Expansion {
    const e = scratch;
    const m = this.n;
    const p = this.p;
    if (p !== null) for (let j = 0; j < m; j++) e.p[j] = p[j];
    e.n = p !== null ? m : 0;
    growExpansion(e, this.h2);
    growExpansion(e, this.h1);
    growExpansion(e, this.h0);
    return e;
  }

  /** Adds a head's overflow error to the spill expansion. */
  private spill(x: number): void {
    this.n = growInto((this.p ??= []), this.n, x);
  }
}

interface Expansion {
  p: number[];
  n: number;
}

/** Scratch for {@link ExactSum.value}: reads are synchronous, so one shared buffer is safe. */
const scratch: Expansion = { p: [], n: 0 };

function growExpansion(e: Expansion, x: number): void {
  e.n = growInto(e.p, e.n, x);
}

/**
 * Shewchuk GROW-EXPANSION with zero elimination on p[0, n) (non-overlapping, increasing
 * magnitude, nonzero): adds x exactly and returns the new live length.
 */
function growInto(p: number[], n: number, x: number): number {
  let i = 0;
  for (let j = 0; j < n; j++) {
    let y = p[j];
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    // Two-Sum with |x| ≥ |y|: hi + lo = x + y exactly.
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) p[i++] = lo;
    x = hi;
  }
  if (x !== 0) p[i++] = x;
  return i;
}

/**
 * Correctly rounded (ties-to-even) value of the expansion p[0, n). Sums the partials from the top
 * while that is exact, then corrects a possible half-way case using the next partial's sign
 * (as CPython's math.fsum does).
 */
function readExpansion(p: number[], n: number): number {
  if (n === 0) return 0;
  let hi = p[--n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = p[--n];
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  // hi + lo is exact; if lo is exactly half an ulp of hi, the remaining partials decide the
  // rounding direction: same sign as lo means the true sum is past the half-way point.
  if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
    const y = lo * 2;
    const x = hi + y;
    const yr = x - hi;
    if (y === yr) hi = x;
  }
  return hi;
}

/** Correctly rounded Σ values (like Python's math.fsum), independent of order. */
export function exactSum(values: Iterable<number>): number {
  const s = new ExactSum();
  for (const v of values) s.add(v);
  return s.value();
}
