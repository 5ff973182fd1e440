/**
 * Real Binance captures at 1 s (BTCUSDT = A, ETHUSDT = B) against pandas / statsmodels / numpy
 * references computed by scripts/generate-stats-fixtures.py.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Bar } from '../../../src/core/market/types';
import { adfuller, type Autolag } from '../../../src/core/stats/adf';
import { alignCloses } from '../../../src/core/stats/align';
import { coint } from '../../../src/core/stats/coint';
import { computePairAnalytics } from '../../../src/core/stats/engine';
import { kalmanFilter } from '../../../src/core/stats/kalman';
import { halfLife, hurstExponent } from '../../../src/core/stats/meanReversion';
import { olsAB, spread as spreadOf } from '../../../src/core/stats/ols';
import { barsPerYear, logReturns, rollingVolatility } from '../../../src/core/stats/returns';
import { rollingCorr, rollingOls, rollingZScore } from '../../../src/core/stats/rolling';
import {
  absDiff,
  DeviationLog,
  loadFixture,
  maxRelDiff,
  realFixtureNames,
  relDiff,
  type RealFixture,
} from './helpers';

/** Tolerances required by the brief. */
const OLS_REL = 1e-9;
/** z-scores and correlations are O(1) and cross zero: relative to max(|ref|, 1). */
const ROLL_REL = 1e-9;
const STAT_REL = 1e-8;
const P_ABS = 1e-6;
const KALMAN_REL = 1e-9;

const log = new DeviationLog('real 1 s captures vs pandas / statsmodels / numpy');
afterAll(() => log.print());

function toBars(symbol: string, f: { startMs: number[]; close: number[] }): Bar[] {
  return f.startMs.map((t, i) => ({
    symbol,
    timeframeMs: 1000,
    startMs: t,
    open: f.close[i],
    high: f.close[i],
    low: f.close[i],
    close: f.close[i],
    volume: 1,
    quoteVolume: f.close[i],
    trades: 1,
    takerBuyVolume: 0,
    vwap: f.close[i],
  }));
}

for (const file of realFixtureNames()) {
  const fx = loadFixture<RealFixture>(file);
  const a = Float64Array.from(fx.aligned.a);
  const b = Float64Array.from(fx.aligned.b);
  const W = fx.window;

  describe(fx.name, () => {
    it('alignCloses reproduces pandas resample(1s).last().ffill() alignment', () => {
      const al = alignCloses(
        toBars('BTCUSDT', fx.bars.BTCUSDT),
        toBars('ETHUSDT', fx.bars.ETHUSDT),
        fx.timeframeMs,
      );
      expect(Array.from(al.startMs)).toEqual(fx.aligned.startMs);
      expect(Array.from(al.a)).toEqual(fx.aligned.a);
      expect(Array.from(al.b)).toEqual(fx.aligned.b);
      expect(a.length).toBeGreaterThan(300);
    });

    it('OLS of A on B (β, α, R², se β) within 1e-9 relative of statsmodels', () => {
      const r = olsAB(a, b);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const d = Math.max(
        log.record('OLS β', relDiff(r.beta, fx.ols.beta), 'rel', OLS_REL),
        log.record('OLS α', relDiff(r.alpha, fx.ols.alpha), 'rel', OLS_REL),
        log.record('OLS R²', relDiff(r.r2, fx.ols.r2), 'rel', OLS_REL),
        log.record('OLS se(β)', relDiff(r.seBeta, fx.ols.seBeta), 'rel', OLS_REL),
      );
      expect(d).toBeLessThanOrEqual(OLS_REL);
    });

    it('rolling z-score of the OLS spread (W=60) within 1e-9 of pandas', () => {
      const s = spreadOf(a, b, fx.ols.beta);
      expect(maxRelDiff(s, fx.spread, 1)).toBeLessThanOrEqual(1e-12);
      const z = rollingZScore(s, W);
      const d = log.record(
        'rolling z (static β spread)',
        maxRelDiff(z, fx.zscore, 1),
        'rel',
        ROLL_REL,
      );
      expect(d).toBeLessThanOrEqual(ROLL_REL);
    });

    it('rolling OLS β/α (W=60) within 1e-9 relative of an extended-precision two-pass', () => {
      const r = rollingOls(a, b, W);
      const db = log.record(
        'rolling OLS β',
        maxRelDiff(r.beta, fx.rollingOls.beta),
        'rel',
        OLS_REL,
      );
      const da = log.record(
        'rolling OLS α',
        maxRelDiff(r.alpha, fx.rollingOls.alpha, 1),
        'rel',
        OLS_REL,
      );
      expect(db).toBeLessThanOrEqual(OLS_REL);
      expect(da).toBeLessThanOrEqual(OLS_REL);
      const rs = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) rs[i] = a[i] - r.beta[i] * b[i];
      const dz = log.record(
        'rolling z (rolling-β spread)',
        maxRelDiff(rollingZScore(rs, W), fx.rollingSpreadZ, 1),
        'rel',
        ROLL_REL,
      );
      expect(dz).toBeLessThanOrEqual(ROLL_REL);
    });

    it('log returns, rolling correlation and annualised volatility within 1e-9 of pandas', () => {
      const ra = logReturns(a);
      const rb = logReturns(b);
      expect(maxRelDiff(ra, fx.logReturns.a, 1e-300)).toBeLessThanOrEqual(1e-14);
      expect(maxRelDiff(rb, fx.logReturns.b, 1e-300)).toBeLessThanOrEqual(1e-14);
      const dc = log.record(
        'rolling corr of log returns',
        maxRelDiff(rollingCorr(ra, rb, W), fx.corr, 1),
        'rel',
        ROLL_REL,
      );
      expect(dc).toBeLessThanOrEqual(ROLL_REL);
      expect(barsPerYear(fx.timeframeMs)).toBe(fx.barsPerYear);
      const dva = maxRelDiff(rollingVolatility(ra, W, fx.timeframeMs), fx.volA);
      const dvb = maxRelDiff(rollingVolatility(rb, W, fx.timeframeMs), fx.volB);
      log.record('rolling volatility', Math.max(dva, dvb), 'rel', ROLL_REL);
      expect(Math.max(dva, dvb)).toBeLessThanOrEqual(ROLL_REL);
    });

    it('ADF of the spread within 1e-8 relative, same lag', () => {
      for (const f of fx.adfSpread) {
        const r = adfuller(fx.spread, {
          regression: f.regression,
          autolag: f.autolag as Autolag,
          maxlag: f.autolag === null ? f.maxlag : null,
        });
        expect(r.ok).toBe(true);
        if (!r.ok) continue;
        expect(r.usedlag).toBe(f.usedlag);
        expect(r.nobs).toBe(f.nobs);
        expect(
          log.record('ADF statistic (spread)', relDiff(r.stat, f.stat), 'rel', STAT_REL),
        ).toBeLessThanOrEqual(STAT_REL);
        expect(
          log.record('ADF p-value (spread)', absDiff(r.pvalue, f.pvalue), 'abs', P_ABS),
        ).toBeLessThanOrEqual(P_ABS);
        if (f.autolag !== null) {
          expect(relDiff(r.icbest ?? NaN, f.icbest)).toBeLessThanOrEqual(STAT_REL);
        }
      }
    });

    it('coint(A, B) and coint(B, A) within 1e-8 relative, p within 1e-6', () => {
      const pairs: [Float64Array, Float64Array][] = [
        [a, b],
        [b, a],
        [a, b],
      ];
      fx.coint.forEach((f, i) => {
        const [y0, y1] = pairs[i];
        const r = coint(y0, y1, {
          autolag: f.autolag,
          maxlag: f.autolag === null ? f.maxlag : null,
        });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.usedlag).toBe(f.usedlag);
        expect(
          log.record('Engle–Granger statistic (real)', relDiff(r.stat, f.stat), 'rel', STAT_REL),
        ).toBeLessThanOrEqual(STAT_REL);
        expect(
          log.record('Engle–Granger p-value (real)', absDiff(r.pvalue, f.pvalue), 'abs', P_ABS),
        ).toBeLessThanOrEqual(P_ABS);
        expect(r.critical?.['5%']).toBeCloseTo(f.crit[1], 12);
      });
    });

    it('half-life and Hurst within 1e-9 relative', () => {
      const hl = halfLife(fx.spread);
      if (Number.isNaN(fx.halfLife.halfLife)) expect(hl.ok).toBe(false);
      else {
        expect(hl.ok).toBe(true);
        if (hl.ok)
          expect(
            log.record('half-life (real)', relDiff(hl.halfLife, fx.halfLife.halfLife), 'rel', 1e-9),
          ).toBeLessThanOrEqual(1e-9);
      }
      for (const [x, ref] of [
        [fx.spread, fx.hurstSpread],
        [fx.aligned.a, fx.hurstA],
      ] as const) {
        const h = hurstExponent(x, ref.maxLags);
        expect(h.ok).toBe(true);
        if (h.ok)
          expect(
            log.record('Hurst (real)', relDiff(h.hurst, ref.hurst), 'rel', 1e-9),
          ).toBeLessThanOrEqual(1e-9);
      }
    });

    it('Kalman filter (defaults and Chan parameters) within 1e-9 of the numpy reference', () => {
      for (const k of fx.kalman) {
        const r = kalmanFilter(a, b, { delta: k.delta, ve: k.ve });
        const tag = k.delta === 1e-4 ? 'Chan' : 'default';
        const d = Math.max(
          maxRelDiff(r.beta, k.beta, 1),
          maxRelDiff(r.priorBeta, k.priorBeta, 1),
          maxRelDiff(r.alpha, k.alpha, 1),
          maxRelDiff(r.priorAlpha, k.priorAlpha, 1),
          maxRelDiff(r.sqrtQ, k.sqrtQ, 1),
        );
        log.record(`Kalman β/α/√Q (${tag})`, d, 'rel', KALMAN_REL);
        // e = y − ŷ is a few USDT out of ~60,000: relative to max(|e|, 1).
        const de = maxRelDiff(r.e, k.e, 1);
        log.record(`Kalman e (${tag})`, de, 'rel', KALMAN_REL);
        expect(d).toBeLessThanOrEqual(KALMAN_REL);
        expect(de).toBeLessThanOrEqual(KALMAN_REL);
      }
    });

    it('batch pair analytics agree with the references (static hedge)', () => {
      const s = computePairAnalytics(a, b, {
        window: W,
        timeframeMs: fx.timeframeMs,
        hedge: { fixedBeta: fx.ols.beta },
      });
      expect(maxRelDiff(s.zscore, fx.zscore, 1)).toBeLessThanOrEqual(ROLL_REL);
      expect(maxRelDiff(s.corr, fx.corr, 1)).toBeLessThanOrEqual(ROLL_REL);
      expect(maxRelDiff(s.volA, fx.volA)).toBeLessThanOrEqual(ROLL_REL);
      expect(maxRelDiff(s.kalman.beta, fx.kalman[0].beta, 1)).toBeLessThanOrEqual(KALMAN_REL);
      const r = computePairAnalytics(a, b, { window: W, timeframeMs: fx.timeframeMs });
      expect(maxRelDiff(r.zscore, fx.rollingSpreadZ, 1)).toBeLessThanOrEqual(ROLL_REL);
    });
  });
}
