/**
 * Rolling statistics: catastrophic-cancellation series, exactness against a two-pass reference,
 * NaN handling, and the RingBuffer.
 */
import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../src/core/stats/ringBuffer';
import {
  RollingCoMoments,
  RollingMoments,
  rollingCorr,
  rollingMean,
  rollingOls,
  rollingStd,
  rollingZScore,
} from '../../../src/core/stats/rolling';
import { mulberry32 as rng } from '../../support/prng';
import { maxRelDiff } from './helpers';

/**
 * Exact windowed reference for series of the form base + k·q with small integers k and a
 * power-of-two quantum q: all statistics are computed on the integers k (exact in doubles for
 * these sizes), then scaled. Returns mean offset (relative to base), std, z, corr.
 */
function exactWindow(k: Int32Array, end: number, W: number): { meanK: number; ssK: number } {
  let s = 0;
  for (let i = end - W + 1; i <= end; i++) s += k[i];
  // Σ(k − s/W)² = (W·Σk² − (Σk)²)/W, exact in integers (well below 2^53 here)
  let s2 = 0;
  for (let i = end - W + 1; i <= end; i++) s2 += k[i] * k[i];
  return { meanK: s / W, ssK: (W * s2 - s * s) / W };
}

describe('no catastrophic cancellation', () => {
  for (const [base, q, label] of [
    [1e8, 1 / 4, '1e8 ± 2 (quarter steps)'],
    [1e5, 1 / 1024, '1e5 with tiny variation'],
    [6.4e4, 1 / 128, 'BTC-like 64,000 ± sub-cent steps'],
  ] as const) {
    it(`rolling mean/std/z on ${label} stay exact to ~1e-12 over 200k bars (W=1000 and W=60)`, () => {
      const n = 200_000;
      const r = rng(42);
      const k = new Int32Array(n);
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        k[i] = Math.round((r() - 0.5) * 16); // ±8 quanta
        x[i] = base + k[i] * q;
      }
      for (const W of [1000, 60]) {
        const m = new RollingMoments(W);
        let worstStd = 0;
        let worstZ = 0;
        let worstMean = 0;
        for (let i = 0; i < n; i++) {
          m.push(x[i]);
          if (i >= W - 1 && (i % 97 === 0 || i === n - 1)) {
            const ref = exactWindow(k, i, W);
            const sd = Math.sqrt(ref.ssK / (W - 1)) * q;
            const mean = base + ref.meanK * q;
            const z = ((k[i] - ref.meanK) * q) / sd;
            worstStd = Math.max(worstStd, Math.abs(m.std() - sd) / sd);
            worstMean = Math.max(worstMean, Math.abs(m.mean() - mean) / sd);
            worstZ = Math.max(worstZ, Math.abs(m.zscoreOf(x[i]) - z) / Math.max(1, Math.abs(z)));
          }
        }
        expect(worstStd).toBeLessThan(1e-12);
        expect(worstMean).toBeLessThan(1e-9);
        expect(worstZ).toBeLessThan(1e-9);
      }
    });
  }

  it('naive Σx²−(Σx)²/n would fail on 1e8 ± 2 (sanity check of the test itself)', () => {
    const xs = [1e8 + 2, 1e8 - 2, 1e8 + 1, 1e8 - 1, 1e8];
    let s = 0;
    let s2 = 0;
    for (const v of xs) {
      s += v;
      s2 += v * v;
    }
    const naive = (s2 - (s * s) / xs.length) / (xs.length - 1);
    expect(Math.abs(naive - 2.5)).toBeGreaterThan(0.1);
    const m = new RollingMoments(5);
    xs.forEach((v) => m.push(v));
    expect(m.variance()).toBe(2.5);
  });

  it('co-moments / correlation / rolling β on 1e8-scale pairs match an exact reference', () => {
    const n = 50_000;
    const W = 500;
    const r = rng(7);
    const ka = new Int32Array(n);
    const kb = new Int32Array(n);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      kb[i] = Math.round((r() - 0.5) * 16);
      ka[i] = 3 * kb[i] + Math.round((r() - 0.5) * 8);
      a[i] = 1e8 + ka[i] * 0.25;
      b[i] = 5e7 + kb[i] * 0.25;
    }
    const corr = rollingCorr(a, b, W);
    const ols = rollingOls(a, b, W);
    let worst = 0;
    for (let i = W - 1; i < n; i += 101) {
      let sa = 0;
      let sb = 0;
      let saa = 0;
      let sbb = 0;
      let sab = 0;
      for (let j = i - W + 1; j <= i; j++) {
        sa += ka[j];
        sb += kb[j];
        saa += ka[j] * ka[j];
        sbb += kb[j] * kb[j];
        sab += ka[j] * kb[j];
      }
      const cab = W * sab - sa * sb;
      const caa = W * saa - sa * sa;
      const cbb = W * sbb - sb * sb;
      const c = cab / Math.sqrt(caa * cbb);
      const beta = cab / cbb;
      worst = Math.max(worst, Math.abs(corr[i] - c), Math.abs(ols.beta[i] - beta) / Math.abs(beta));
    }
    expect(worst).toBeLessThan(1e-11);
  });

  it('recovers immediately after a level jump (cancellation trigger) and reports flat windows as 0', () => {
    const W = 50;
    const m = new RollingMoments(W);
    for (let i = 0; i < 200; i++) m.push(1e5 + (i % 2) * 1e-3);
    for (let i = 0; i < 30; i++) m.push(2e5 + (i % 3) * 1e-3); // jump by 1e5
    for (let i = 0; i < W; i++) m.push(3e7);
    expect(m.variance()).toBe(0);
    expect(m.mean()).toBe(3e7);
    expect(Number.isNaN(m.zscoreOf(3e7))).toBe(true);
    for (let i = 0; i < W; i++) m.push(3e7 + (i % 2 === 0 ? 0.5 : -0.5));
    // exact: W/2 values each ±0.5 → var = W·0.25/(W−1)
    expect(Math.abs(m.variance() - (W * 0.25) / (W - 1))).toBeLessThan(1e-12);
  });
});

describe('batch rolling functions follow pandas rolling(W)', () => {
  it('NaN until W values, NaN for every window holding a NaN', () => {
    const x = [1, 2, 3, 4, NaN, 6, 7, 8, 9];
    const m = rollingMean(x, 3);
    expect(Array.from(m.slice(0, 2)).every(Number.isNaN)).toBe(true);
    expect(m[2]).toBe(2);
    expect(m[3]).toBe(3);
    expect([4, 5, 6].every((i) => Number.isNaN(m[i]))).toBe(true);
    expect(m[7]).toBe(7);
    const s = rollingStd([1, 2, 3, 4], 2);
    expect(s[1]).toBeCloseTo(Math.SQRT1_2, 15);
    const z = rollingZScore([5, 5, 5, 5], 2);
    expect(Array.from(z).every(Number.isNaN)).toBe(true); // zero std → undefined
  });

  it('agrees with a direct two-pass per window on random data', () => {
    const r = rng(3);
    const x = Float64Array.from({ length: 3000 }, () => 100 + r() * 10);
    const y = Float64Array.from(x, (v) => 0.5 * v + r());
    const W = 250;
    const z = rollingZScore(x, W);
    const c = rollingCorr(x, y, W);
    const zRef = new Float64Array(x.length).fill(NaN);
    const cRef = new Float64Array(x.length).fill(NaN);
    for (let i = W - 1; i < x.length; i++) {
      let mx = 0;
      let my = 0;
      for (let j = i - W + 1; j <= i; j++) {
        mx += x[j];
        my += y[j];
      }
      mx /= W;
      my /= W;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let j = i - W + 1; j <= i; j++) {
        sxx += (x[j] - mx) ** 2;
        syy += (y[j] - my) ** 2;
        sxy += (x[j] - mx) * (y[j] - my);
      }
      zRef[i] = (x[i] - mx) / Math.sqrt(sxx / (W - 1));
      cRef[i] = sxy / Math.sqrt(sxx * syy);
    }
    expect(maxRelDiff(z, zRef, 1)).toBeLessThan(1e-12);
    expect(maxRelDiff(c, cRef, 1)).toBeLessThan(1e-12);
  });

  it('RollingCoMoments exposes consistent moments', () => {
    const m = new RollingCoMoments(3);
    [
      [1, 2],
      [2, 4],
      [3, 7],
    ].forEach(([x, y]) => m.push(x, y));
    expect(m.meanX()).toBe(2);
    expect(m.covariance()).toBeCloseTo(2.5, 14);
    expect(m.slopeYonX()).toBeCloseTo(2.5, 14);
    expect(m.interceptYonX()).toBeCloseTo(13 / 3 - 5, 14);
    expect(() => new RollingMoments(1)).toThrow(RangeError);
  });
});

describe('RingBuffer', () => {
  it('keeps the last `capacity` values and returns evictions', () => {
    const rb = new RingBuffer(3);
    expect(rb.push(1)).toBeUndefined();
    rb.push(2);
    rb.push(3);
    expect(rb.full).toBe(true);
    expect(rb.push(4)).toBe(1);
    expect(Array.from(rb.toArray())).toEqual([2, 3, 4]);
    expect(rb.first()).toBe(2);
    expect(rb.last()).toBe(4);
    expect(rb.get(5)).toBeNaN();
    const seen: number[] = [];
    rb.forEach((v) => seen.push(v));
    expect(seen).toEqual([2, 3, 4]);
    rb.clear();
    expect(rb.length).toBe(0);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
