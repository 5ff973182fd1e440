import { afterAll, describe, expect, it } from 'vitest';
import { mackinnoncrit, mackinnonp, type Regression } from '../../../src/core/stats/mackinnon';
import { erfc, normCdf } from '../../../src/core/stats/normal';
import { absDiff, DeviationLog, loadFixture, relDiff } from './helpers';

interface MackinnonFixture {
  pvalues: { regression: Regression; N: number; stats: number[]; p: number[] }[];
  crit: { regression: Regression; N: number; nobs: number; crit: [number, number, number] }[];
  normCdf: { x: number[]; cdf: number[] };
}

const fx = loadFixture<MackinnonFixture>('mackinnon.json');
const log = new DeviationLog('MacKinnon / normal CDF vs statsmodels / scipy');
afterAll(() => log.print());

describe('normal CDF (Cody erfc) vs scipy.stats.norm.cdf', () => {
  it('agrees to 1e-15 absolute and 1e-13 relative over [-38, 9]', () => {
    let maxAbs = 0;
    let maxRel = 0;
    fx.normCdf.x.forEach((x, i) => {
      const p = normCdf(x);
      const e = fx.normCdf.cdf[i];
      maxAbs = Math.max(maxAbs, absDiff(p, e));
      if (e > 1e-300) maxRel = Math.max(maxRel, relDiff(p, e));
    });
    log.record('normCdf (abs)', maxAbs, 'abs', 1e-15);
    log.record('normCdf (rel, incl. far tail)', maxRel, 'rel', 1e-13);
    expect(maxAbs).toBeLessThanOrEqual(1e-15);
    expect(maxRel).toBeLessThanOrEqual(1e-13);
  });

  it('has the textbook values', () => {
    expect(normCdf(0)).toBe(0.5);
    expect(normCdf(1.6448536269514722)).toBeCloseTo(0.95, 15);
    expect(normCdf(-Infinity)).toBe(0);
    expect(normCdf(Infinity)).toBe(1);
    expect(erfc(0)).toBe(1);
    expect(Number.isNaN(normCdf(NaN))).toBe(true);
  });
});

describe('mackinnonp (MacKinnon 1994) vs statsmodels', () => {
  it('matches the whole fixture grid within 1e-6 absolute (all regressions, N = 1..6)', () => {
    let worst = 0;
    for (const row of fx.pvalues) {
      row.stats.forEach((s, i) => {
        worst = Math.max(worst, absDiff(mackinnonp(s, row.regression, row.N), row.p[i]));
      });
    }
    log.record('mackinnonp (abs)', worst, 'abs', 1e-6);
    expect(worst).toBeLessThanOrEqual(1e-6);
    expect(worst).toBeLessThanOrEqual(1e-14);
  });

  it('reproduces the reference spot checks', () => {
    const spots: [number, number, number, number][] = [
      // stat, p(c,1), p(c,2), p(ct,1)
      [-4.0, 0.00141051, 0.00718131, 0.0087937],
      [-3.0, 0.0348944, 0.11020549, 0.13208098],
      [-2.0, 0.2865731, 0.52857808, 0.60143377],
    ];
    for (const [s, c1, c2, ct1] of spots) {
      expect(Math.abs(mackinnonp(s, 'c', 1) - c1)).toBeLessThan(5e-9);
      expect(Math.abs(mackinnonp(s, 'c', 2) - c2)).toBeLessThan(5e-9);
      expect(Math.abs(mackinnonp(s, 'ct', 1) - ct1)).toBeLessThan(5e-9);
    }
  });

  it('clamps outside [τ_min, τ_max]', () => {
    expect(mackinnonp(2.75, 'c', 1)).toBe(1);
    expect(mackinnonp(-18.84, 'c', 1)).toBe(0);
    expect(mackinnonp(-Infinity, 'c', 2)).toBe(0);
    expect(mackinnonp(50, 'n', 1)).toBe(1); // τ_max = +∞ for 'n', N = 1: Φ saturates
  });

  it('rejects an N outside the tables', () => {
    expect(() => mackinnonp(-3, 'c', 7)).toThrow(RangeError);
  });
});

describe('mackinnoncrit (MacKinnon 2010) vs statsmodels', () => {
  it('matches the fixture grid within 1e-13 relative', () => {
    let worst = 0;
    for (const row of fx.crit) {
      const c = mackinnoncrit(row.N, row.regression, Number.isNaN(row.nobs) ? Infinity : row.nobs);
      worst = Math.max(
        worst,
        relDiff(c['1%'], row.crit[0]),
        relDiff(c['5%'], row.crit[1]),
        relDiff(c['10%'], row.crit[2]),
      );
    }
    log.record('mackinnoncrit (rel)', worst, 'rel', 1e-13);
    expect(worst).toBeLessThanOrEqual(1e-13);
  });

  it("keeps statsmodels' −33.527 for (c, N=2, 1 %), not the paper's −22.527", () => {
    const T = 100;
    const c = mackinnoncrit(2, 'c', T);
    expect(c['1%']).toBeCloseTo(-3.89644 - 10.9519 / T - 33.527 / (T * T), 12);
    expect(mackinnoncrit(1, 'c', Infinity)['5%']).toBe(-2.86154);
  });
});
