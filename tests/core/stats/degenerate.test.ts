import { describe, expect, it } from 'vitest';
import { adfuller } from '../../../src/core/stats/adf';
import { alignCloses, MAX_ALIGNED_ROWS } from '../../../src/core/stats/align';
import { coint } from '../../../src/core/stats/coint';
import { halfLife, hurstExponent } from '../../../src/core/stats/meanReversion';
import { olsAB } from '../../../src/core/stats/ols';

const walk = (n: number, seed = 1): number[] => {
  let s = seed;
  let x = 100;
  return Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    x += s / 2147483647 - 0.5;
    return x;
  });
};

describe('degenerate input gives { ok: false, reason }, never NaN or a throw', () => {
  it('ADF: too short, constant, NaN inside, bad maxlag, deterministic', () => {
    expect(adfuller([1, 2, 3])).toEqual({
      ok: false,
      reason: "not enough data: ADF with regression 'c' needs at least 4 values, have 3",
    });
    expect(adfuller(new Array(50).fill(7))).toEqual({
      ok: false,
      reason: 'constant series: every value is 7',
    });
    const x = walk(50);
    x[10] = NaN;
    expect(adfuller(x)).toEqual({
      ok: false,
      reason: 'series contains a non-finite value (NaN) at index 10',
    });
    const r = adfuller(walk(20), { maxlag: 15 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^not enough data: maxlag 15 needs at least 34 values/);
    const lin = Array.from({ length: 40 }, (_, i) => 2 * i + 1);
    const d = adfuller(lin, { regression: 'ct' });
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toMatch(/singular|exactly/);
    expect(adfuller([], { regression: 'n' }).ok).toBe(false);
  });

  it('ADF works at the minimum length (4 values for c)', () => {
    const r = adfuller(walk(4));
    expect(r.ok).toBe(true);
  });

  it('OLS: mismatched lengths, too short, constant B or A, NaN', () => {
    expect(olsAB([1, 2, 3], [1, 2])).toEqual({
      ok: false,
      reason: 'length mismatch: A has 3 values, B has 2',
    });
    expect(olsAB([1, 2], [1, 2])).toEqual({
      ok: false,
      reason: 'not enough data: need 3 values of B, have 2',
    });
    expect(olsAB([1, 2, 3], [5, 5, 5])).toEqual({
      ok: false,
      reason: 'constant series: every value of B is 5',
    });
    expect(olsAB([4, 4, 4], [1, 2, 3])).toEqual({
      ok: false,
      reason: 'constant series: every value of A is 4',
    });
    const r = olsAB([1, NaN, 3], [1, 2, 3]);
    expect(r).toEqual({ ok: false, reason: 'A contains a non-finite value (NaN) at index 1' });
  });

  it('coint: too short, constant', () => {
    expect(coint([1, 2], [3, 4]).ok).toBe(false);
    const r = coint(walk(100), new Array(100).fill(1));
    expect(r).toEqual({ ok: false, reason: 'constant series: every value of y1 is 1' });
  });

  it('half-life: no mean reversion, too short; Hurst: too short, constant', () => {
    const explosive = Array.from({ length: 50 }, (_, i) => Math.pow(1.05, i));
    const h = halfLife(explosive);
    expect(h.ok).toBe(false);
    if (!h.ok) expect(h.reason).toMatch(/^no mean reversion: λ = .* ≥ 0, half-life undefined$/);
    expect(halfLife([1, 2])).toEqual({
      ok: false,
      reason: 'not enough data: need 4 values of spread, have 2',
    });
    expect(hurstExponent(walk(50))).toEqual({
      ok: false,
      reason: 'not enough data: need 101 values of series, have 50',
    });
    expect(hurstExponent(new Array(200).fill(3)).ok).toBe(false);
    expect(hurstExponent(walk(500)).ok).toBe(true);
  });

  it('alignCloses: empty side, gaps forward-filled, later start, unsorted input, coarser timeframe', () => {
    const bar = (startMs: number, close: number) => ({ startMs, close });
    expect(alignCloses([], [bar(0, 1)], 1000).a.length).toBe(0);
    const A = [bar(1000, 10), bar(4000, 13), bar(2000, 11)]; // unsorted
    const B = [bar(2000, 20), bar(6000, 26)];
    const al = alignCloses(A, B, 1000);
    expect(Array.from(al.startMs)).toEqual([2000, 3000, 4000, 5000, 6000]);
    expect(Array.from(al.a)).toEqual([11, 11, 13, 13, 13]);
    expect(Array.from(al.b)).toEqual([20, 20, 20, 20, 26]);
    // 1 s bars resampled to 1 m: last close in each minute
    const A1 = [bar(0, 1), bar(59_000, 2), bar(60_000, 3), bar(125_000, 4)];
    const B1 = [bar(30_000, 5), bar(61_000, 6)];
    const m = alignCloses(A1, B1, 60_000);
    expect(Array.from(m.startMs)).toEqual([0, 60_000, 120_000]);
    expect(Array.from(m.a)).toEqual([2, 3, 4]);
    expect(Array.from(m.b)).toEqual([5, 6, 6]);
  });

  it('alignCloses refuses a grid past MAX_ALIGNED_ROWS (a 2017 tick before 2024 data) at once', () => {
    const bar = (startMs: number, close: number) => ({ startMs, close });
    const t2017 = Date.UTC(2017, 0, 1);
    const t2024 = Date.UTC(2024, 6, 18);
    const A = [bar(t2017, 1), bar(t2024, 2)];
    const B = [bar(t2017, 3), bar(t2024 + 1000, 4)];
    const started = performance.now();
    expect(() => alignCloses(A, B, 1000)).toThrow(
      /^the aligned grid from 2017-01-01T00:00:00\.000Z to 2024-07-18T00:00:01\.000Z would have 238032002 rows of 1000 ms, more than 10000000/,
    );
    expect(performance.now() - started).toBeLessThan(100);
    // Just under the cap is still built, exactly as before.
    const n = MAX_ALIGNED_ROWS;
    const ok = alignCloses([bar(0, 1)], [bar(0, 2), bar((n - 1) * 1000, 3)], 1000);
    expect(ok.startMs.length).toBe(n);
    expect(ok.a[n - 1]).toBe(1);
    expect(ok.b[n - 1]).toBe(3);
  });
});
