/**
 * ExactSum's three-head fast representation: market-like sums (which never spill) and sums with a
 * huge dynamic range (which spill into the Shewchuk expansion) both read back as the correctly
 * rounded exact sum, in any order and under any grouping (addSum, copyFrom, self-merge).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactSum } from '../../../src/core/bars/exactSum';
import { refSum, refSumOfProducts, rng, shuffle } from './exactReference';

/** Decimal with `d` decimals, as the decoder produces it (nearest double). */
const dec = (units: number, d: number): number => Number((units / 10 ** d).toFixed(d));

const price = fc
  .tuple(fc.integer({ min: 1, max: 200_000_00 }), fc.constantFrom(1, 2, 8))
  .map(([u, d]) => dec(u, d));
const qty = fc
  .tuple(fc.integer({ min: 1, max: 5_000_000 }), fc.constantFrom(3, 8))
  .map(([u, d]) => dec(u, d));

/** Values spanning ~2^±300, so the exact sum needs far more than three doubles. */
const wide = fc
  .tuple(
    fc.double({ min: 1, max: 2, maxExcluded: true, noNaN: true }),
    fc.integer({ min: -300, max: 300 }),
    fc.boolean(),
  )
  .map(([m, e, neg]) => (neg ? -1 : 1) * m * 2 ** e);

function sumOf(xs: readonly number[]): ExactSum {
  const s = new ExactSum();
  for (const x of xs) s.add(x);
  return s;
}

function isExpansion(p: readonly number[]): boolean {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 0) return false;
    if (i > 0 && !(Math.abs(p[i - 1]) < Math.abs(p[i]))) return false;
  }
  return true;
}

describe('ExactSum heads', () => {
  it('market volumes and quote volumes: exact in any order, and grouping-independent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(price, qty), { minLength: 1, maxLength: 200 }),
        fc.integer(),
        fc.nat(),
        (trades, seed, cut) => {
          const qs = trades.map(([, q]) => q);
          const wantV = refSum(qs);
          const wantQ = refSumOfProducts(trades);
          const order = shuffle(trades, rng(seed));
          const v = new ExactSum();
          const q = new ExactSum();
          for (const [p, x] of order) {
            v.add(x);
            q.addProduct(p, x);
          }
          expect(v.value()).toBe(wantV);
          expect(q.value()).toBe(wantQ);
          // Split in two groups and merge (the roll-up path).
          const k = cut % (order.length + 1);
          const a = new ExactSum();
          const b = new ExactSum();
          for (const [p, x] of order.slice(0, k)) a.addProduct(p, x);
          for (const [p, x] of order.slice(k)) b.addProduct(p, x);
          a.addSum(b);
          expect(a.value()).toBe(wantQ);
          expect(isExpansion(a.partials())).toBe(true);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('spills when the range exceeds the heads, and stays exact through copy and merges', () => {
    fc.assert(
      fc.property(
        fc.array(wide, { minLength: 1, maxLength: 60 }),
        fc.array(wide, { maxLength: 60 }),
        fc.integer(),
        (xs, ys, seed) => {
          const a = sumOf(shuffle(xs, rng(seed)));
          const b = sumOf(ys);
          expect(a.value()).toBe(refSum(xs));
          const c = new ExactSum();
          c.copyFrom(a);
          expect(c.value()).toBe(refSum(xs));
          c.addSum(b);
          expect(c.value()).toBe(refSum([...xs, ...ys]));
          c.addSum(c); // self-merge doubles exactly
          expect(c.value()).toBe(refSum([...xs, ...ys, ...xs, ...ys]));
          expect(isExpansion(c.partials())).toBe(true);
          expect(c.size).toBe(c.partials().length);
        },
      ),
      { numRuns: 1_000 },
    );
    // The spill really happens: 2^±300 apart needs more than three doubles.
    const s = sumOf([2 ** 300, 1, 2 ** -300, 3 * 2 ** -600]);
    expect(s.size).toBe(4);
    expect(s.value()).toBe(2 ** 300);
  });

  it('exact cancellation reads +0, also after a reset', () => {
    const s = sumOf([0.1, 0.2, -0.1, -0.2]);
    expect(Object.is(s.value(), 0)).toBe(true);
    const t = sumOf([-0, -0]);
    expect(Object.is(t.value(), 0)).toBe(true);
    s.add(1e300);
    s.add(1e-300);
    s.reset();
    expect(Object.is(s.value(), 0)).toBe(true);
    expect(s.size).toBe(0);
    s.add(0.5);
    expect(s.value()).toBe(0.5);
  });
});
