import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactSum, exactSum, twoProduct } from '../../../src/core/bars/exactSum';
import {
  decompose,
  isExactProduct,
  refSum,
  refSumOfProducts,
  rng,
  roundDyadic,
  shuffle,
} from './exactReference';

/** Doubles over a wide but overflow-safe exponent range, both signs, including subnormal-ish. */
const wideDouble = fc
  .tuple(
    fc.double({ min: 1, max: 2, maxExcluded: true, noNaN: true }),
    fc.integer({ min: -60, max: 60 }),
  )
  .chain(([m, e]) => fc.constantFrom(m * 2 ** e, -m * 2 ** e));

const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 });

describe('BigInt reference (self-check)', () => {
  it('round-trips every finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const d = decompose(x);
        expect(Object.is(roundDyadic(d.m, d.e), x === 0 ? 0 : x)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with Number(BigInt) (spec: nearest, ties to even) on big integers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }), (n) => {
        expect(roundDyadic(n, 0)).toBe(Number(n));
      }),
      { numRuns: 2000 },
    );
    expect(roundDyadic((1n << 53n) + 1n, 0)).toBe(2 ** 53); // tie → even
    expect(roundDyadic((1n << 53n) + 3n, 0)).toBe(2 ** 53 + 4); // tie → even (up)
  });

  it('rounds subnormals', () => {
    expect(roundDyadic(1n, -1074)).toBe(Number.MIN_VALUE);
    expect(roundDyadic(1n, -1075)).toBe(0); // half of MIN_VALUE → tie → even (0)
    expect(roundDyadic(3n, -1076)).toBe(Number.MIN_VALUE); // 0.75 → 1
  });
});

describe('ExactSum', () => {
  it('handles the classic adversarial cases', () => {
    expect(exactSum([1e16, 1, -1e16])).toBe(1);
    expect(exactSum([1, 1e100, 1, -1e100])).toBe(2);
    expect(exactSum([0.1, 0.2, 0.3, -0.6])).toBe(refSum([0.1, 0.2, 0.3, -0.6]));
    // Half-way case decided by a far-away partial (CPython's sum([1e-16, 1, 1e16]) case).
    expect(exactSum([1e-16, 1, 1e16])).toBe(1e16 + 2);
    expect(exactSum([2 ** 53, 1])).toBe(2 ** 53); // tie → even
    expect(exactSum([2 ** 53, 1, 2 ** -60])).toBe(2 ** 53 + 2); // just past half-way → up
    expect(exactSum([2 ** 53, 1, -(2 ** -60)])).toBe(2 ** 53); // just below → down
    expect(exactSum([2 ** 53, 3])).toBe(2 ** 53 + 4);
    expect(exactSum([])).toBe(0);
    expect(exactSum([5e-324, 5e-324])).toBe(1e-323);
  });

  it('many tiny values next to huge ones', () => {
    const xs: number[] = [1e300];
    for (let i = 0; i < 1000; i++) xs.push(1e-300);
    xs.push(-1e300);
    expect(exactSum(xs)).toBe(refSum(xs));
    expect(exactSum(xs)).toBe(1e-297);
    const ys = Array.from({ length: 10_000 }, () => 0.1);
    expect(exactSum(ys)).toBe(refSum(ys)); // naive summation gives 1000.0000000001588
    expect(exactSum(ys)).toBe(1000);
  });

  it('catastrophic cancellation keeps the residue exactly', () => {
    const rand = rng(7);
    const xs: number[] = [];
    for (let i = 0; i < 500; i++) {
      const x = (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
      xs.push(x, -x * (1 + 2 ** -52));
    }
    expect(exactSum(xs)).toBe(refSum(xs));
    expect(exactSum(shuffle(xs, rng(8)))).toBe(refSum(xs));
  });

  it('equals the correctly rounded exact sum for random inputs, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(wideDouble, anyFinite), { maxLength: 40 }),
        fc.integer(),
        (xs, seed) => {
          const want = refSum(xs);
          expect(exactSum(xs)).toBe(want);
          expect(exactSum(shuffle(xs, rng(seed)))).toBe(want);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('merging partials (addSum) equals summing everything', () => {
    fc.assert(
      fc.property(
        fc.array(wideDouble, { maxLength: 30 }),
        fc.array(wideDouble, { maxLength: 30 }),
        (xs, ys) => {
          const a = new ExactSum();
          const b = new ExactSum();
          for (const x of xs) a.add(x);
          for (const y of ys) b.add(y);
          a.addSum(b);
          expect(a.value()).toBe(refSum([...xs, ...ys]));
          // Partials stay non-overlapping and increasing in magnitude.
          const p = a.partials();
          for (let i = 1; i < p.length; i++) expect(Math.abs(p[i - 1]) < Math.abs(p[i])).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('self-merge doubles exactly; copyFrom and reset', () => {
    const a = new ExactSum();
    for (const x of [1e16, 1, 0.1, -3e-20]) a.add(x);
    const c = new ExactSum();
    c.copyFrom(a);
    a.addSum(a);
    expect(a.value()).toBe(refSum([2e16, 2, 0.2, -6e-20]));
    expect(c.value()).toBe(refSum([1e16, 1, 0.1, -3e-20]));
    c.reset();
    expect(c.value()).toBe(0);
    expect(c.size).toBe(0);
  });
});

describe('twoProduct / addProduct', () => {
  it('hi + lo is the exact product (Veltkamp/Dekker without FMA)', () => {
    fc.assert(
      fc.property(anyFinite, anyFinite, (a, b) => {
        // Module precondition: no overflow, and no underflow of the low part.
        fc.pre(Math.abs(a * b) < 1e300 && (a === 0 || b === 0 || Math.abs(a * b) > 1e-280));
        const [hi, lo] = twoProduct(a, b);
        expect(hi).toBe(a * b);
        expect(isExactProduct(a, b, hi, lo)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('products with all 106 bits set, and operands too large to split directly', () => {
    const a = 2 ** 53 - 1; // 53 ones
    const cases: [number, number][] = [
      [a, a],
      [a * 2 ** -60, a * 2 ** 30],
      [1 - 2 ** -53, 1 + 2 ** -52],
      [0.1, 0.3],
      [64123.45678901, 0.00012345],
      [2 ** 1000 * 1.2345678901234567, 3 * 2 ** -1000], // SPLITTER·a would overflow
      [-(2 ** 1020) * 1.9999999999999998, 0.1 * 2 ** -30],
      [0.7 * 2 ** -900, 2 ** 990 * 1.3],
    ];
    for (const [x, y] of cases) {
      for (const [p, q] of [
        [x, y],
        [y, x],
        [-x, y],
      ]) {
        const [hi, lo] = twoProduct(p, q);
        expect(hi).toBe(p * q);
        expect(isExactProduct(p, q, hi, lo)).toBe(true);
      }
    }
  });

  it('Σ price·qty is the correctly rounded exact sum of exact products, in any order', () => {
    const price = fc
      .integer({ min: 1, max: 10 ** 9 })
      .chain((n) => fc.integer({ min: 0, max: 8 }).map((d) => Number(n) / 10 ** d));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(price, price), { maxLength: 60 }),
        fc.integer(),
        (pairs, seed) => {
          const want = refSumOfProducts(pairs);
          const s = new ExactSum();
          for (const [p, q] of shuffle(pairs, rng(seed))) s.addProduct(p, q);
          expect(s.value()).toBe(want);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
