/**
 * The stationarity report: equal to adfuller / coint / halfLife / hurstExponent run directly on
 * the same data, Engle–Granger first in the reading with the ADF caveat, plain-words failures.
 */
import { describe, expect, it } from 'vitest';
import { stationarityReport } from '../../../src/core/analysis/stationarity';
import { adfuller } from '../../../src/core/stats/adf';
import { coint } from '../../../src/core/stats/coint';
import { halfLife, hurstExponent } from '../../../src/core/stats/meanReversion';
import { olsAB } from '../../../src/core/stats/ols';
import { cointegratedPair, rng } from './helpers';
import { analyticsSelection } from '../../support/analyticsFixtures';

const selection = analyticsSelection();

describe('stationarityReport', () => {
  it('equals the estimators run directly; cointegrated pair reads as mean-reverting', () => {
    const { a, b } = cointegratedPair(1000, 11);
    const fit = olsAB(a, b);
    if (!fit.ok) throw new Error(fit.reason);
    const spread = a.map((x, i) => x - fit.beta * b[i]);
    spread[0] = NaN; // undefined bars are dropped like pandas dropna()
    const r = stationarityReport({ selection, tfMs: 1000, a, b, spread });
    const eg = coint(a, b, { trend: 'c', autolag: 'AIC' });
    const adf = adfuller(spread.subarray(1), { regression: 'c', autolag: 'AIC' });
    if (!eg.ok || !adf.ok || !r.engleGranger.ok || !r.adf.ok) throw new Error('tests failed');
    expect(r.engleGranger.stat).toBe(eg.stat);
    expect(r.engleGranger.pvalue).toBe(eg.pvalue);
    expect(r.engleGranger.crit).toEqual(eg.critical);
    expect(r.adf.stat).toBe(adf.stat);
    expect(r.adf.pvalue).toBe(adf.pvalue);
    expect(r.adf.usedlag).toBe(adf.usedlag);
    expect(r.adf.nobs).toBe(adf.nobs);
    const hl = halfLife(spread.subarray(1));
    const hu = hurstExponent(spread.subarray(1), 100);
    expect(r.halfLifeBars).toBe(hl.ok ? hl.halfLife : null);
    expect(r.halfLifeMs).toBe(hl.ok ? hl.halfLife * 1000 : null);
    expect(r.hurst).toBe(hu.ok ? hu.hurst : null);
    expect(r.bars).toBe(1000);
    // The static hedge regression (olsAB = statsmodels params, rsquared, bse: tests/core/stats).
    expect(r.hedgeRegression).toEqual({
      beta: fit.beta,
      alpha: fit.alpha,
      r2: fit.r2,
      seBeta: fit.seBeta,
    });
    expect(r.reading).toMatch(/^Engle–Granger: cointegrated at (1|5) %: the spread mean-reverts/);
    expect(r.reading).toMatch(/overstate stationarity/);
    expect(r.reading.indexOf('Engle–Granger')).toBeLessThan(r.reading.indexOf('ADF'));
  });

  it('independent random walks: not cointegrated at 10 %', () => {
    const r0 = rng(5);
    const n = 800;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    let x = 60_000;
    let y = 3000;
    for (let i = 0; i < n; i++) {
      x += 30 * (r0() - 0.5);
      y += 2 * (r0() - 0.5);
      a[i] = x;
      b[i] = y;
    }
    const spread = a.map((v, i) => v - 20 * b[i]);
    const r = stationarityReport({ selection, tfMs: 60_000, a, b, spread });
    const eg = coint(a, b, { trend: 'c', autolag: 'AIC' });
    if (eg.ok && eg.pvalue > 0.1) {
      expect(r.reading).toMatch(
        /^Engle–Granger: not cointegrated at 10 %: no evidence the spread mean-reverts/,
      );
    }
  });

  it('degenerate input: plain-words reasons, no NaN, no throw', () => {
    const short = stationarityReport({
      selection,
      tfMs: 1000,
      a: [1, 2, 3],
      b: [2, 3, 5],
      spread: [NaN, NaN, NaN],
    });
    expect(short.engleGranger.ok).toBe(false);
    expect(short.adf).toEqual({
      ok: false,
      reason: 'the static-hedge spread is not defined on any bar yet',
    });
    expect(short.halfLifeBars).toBeNull();
    expect(short.hedgeRegression).not.toBeNull(); // three points fit a line
    const flat = stationarityReport({
      selection,
      tfMs: 1000,
      a: Float64Array.from({ length: 200 }, (_, i) => 60_000 + i),
      b: new Float64Array(200).fill(3000),
      spread: new Float64Array(200).fill(NaN),
    });
    expect(flat.engleGranger).toEqual({
      ok: false,
      reason: 'constant series: ETHUSDT did not move over the 200 bars',
    });
    expect(flat.hedgeRegression).toBeNull();
    expect(JSON.stringify(flat)).not.toMatch(/NaN/);
    expect(flat.reading).toMatch(/^Engle–Granger could not run: constant series: ETHUSDT/);
  });
});
