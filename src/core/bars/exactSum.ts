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
 * Mutable and reusable ({@link reset}); typical market sums need 1–3 partials.
 */
export class ExactSum {
  /** Non-overlapping, nonzero partials in increasing magnitude; only [0, n) is live. */
  private p: number[] = [];
  private n = 0;

  /** Adds x exactly (Shewchuk GROW-EXPANSION with zero elimination). O(number of partials). */
  add(x: number): void {
    const p = this.p;
    const n = this.n;
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
    this.n = i;
  }

  /** Adds the exact product a·b (quote volume = Σ price·qty without rounding each product). */
  addProduct(a: number, b: number): void {
    const hi = productHiLo(a, b);
    const lo = productLo;
    // Add the smaller part first: it keeps the partials list short in the common case.
    if (lo !== 0) this.add(lo);
    this.add(hi);
  }

  /** Adds another sum exactly by merging its partials (not its rounded value). */
  addSum(other: ExactSum): void {
    // add() rewrites this.p in place, so a self-merge must read from a copy.
    const q = other === this ? this.p.slice(0, this.n) : other.p;
    const m = other.n;
    for (let j = 0; j < m; j++) this.add(q[j]);
  }

  /** Makes this sum equal to `other` (exact copy of the partials). */
  copyFrom(other: ExactSum): void {
    const m = other.n;
    for (let j = 0; j < m; j++) this.p[j] = other.p[j];
    this.n = m;
  }

  /** Back to zero, keeping the backing array for reuse. */
  reset(): void {
    this.n = 0;
  }

  /** Number of live partials (diagnostics and tests). */
  get size(): number {
    return this.n;
  }

  /** Copy of the live partials, increasing magnitude (tests). */
  partials(): number[] {
    return this.p.slice(0, this.n);
  }

  /**
   * The exact sum rounded to the nearest double, ties to even. Sums the partials from the top
   * while that is exact, then corrects a possible half-way case using the next partial's sign
   * (as CPython's math.fsum does). Does not mutate.
   */
  value(): number {
    const p = this.p;
    let n = this.n;
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
}

/** Correctly rounded Σ values (like Python's math.fsum), independent of order. */
export function exactSum(values: Iterable<number>): number {
  const s = new ExactSum();
  for (const v of values) s.add(v);
  return s.value();
}
