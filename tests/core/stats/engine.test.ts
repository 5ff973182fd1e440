import { describe, expect, it } from 'vitest';
import {
  computePairAnalytics,
  PairAnalyticsEngine,
  type PairEngineConfig,
} from '../../../src/core/stats/engine';
import { loadFixture, maxRelDiff, realFixtureNames, type RealFixture } from './helpers';

function runEngine(a: ArrayLike<number>, b: ArrayLike<number>, config: PairEngineConfig) {
  const e = new PairAnalyticsEngine(config);
  const n = a.length;
  const col = () => new Float64Array(n).fill(NaN);
  const out = {
    rollingBeta: col(),
    rollingAlpha: col(),
    rollingR2: col(),
    spread: col(),
    zscore: col(),
    corr: col(),
    volA: col(),
    volB: col(),
    kalmanBeta: col(),
    kalmanE: col(),
    kalmanZ: col(),
  };
  for (let i = 0; i < n; i++) {
    const u = e.push(a[i], b[i]);
    if (!u.ok) throw new Error(u.reason);
    expect(u.index).toBe(i);
    out.rollingBeta[i] = u.rollingBeta ?? NaN;
    out.rollingAlpha[i] = u.rollingAlpha ?? NaN;
    out.rollingR2[i] = u.rollingR2 ?? NaN;
    out.spread[i] = u.spread ?? NaN;
    out.zscore[i] = u.zscore ?? NaN;
    out.corr[i] = u.corr ?? NaN;
    out.volA[i] = u.volA ?? NaN;
    out.volB[i] = u.volB ?? NaN;
    out.kalmanBeta[i] = u.kalman.beta;
    out.kalmanE[i] = u.kalman.e;
    out.kalmanZ[i] = u.kalman.zscore;
  }
  return out;
}

const TOL = 1e-12;

describe('PairAnalyticsEngine (incremental) agrees with computePairAnalytics (batch)', () => {
  for (const file of realFixtureNames()) {
    const fx = loadFixture<RealFixture>(file);
    for (const hedge of ['rollingOls', { fixedBeta: fx.ols.beta }] as const) {
      it(`${fx.name}, hedge ${typeof hedge === 'string' ? hedge : 'fixed'}`, () => {
        const cfg: PairEngineConfig = { window: fx.window, timeframeMs: fx.timeframeMs, hedge };
        const inc = runEngine(fx.aligned.a, fx.aligned.b, cfg);
        const bat = computePairAnalytics(fx.aligned.a, fx.aligned.b, cfg);
        expect(maxRelDiff(inc.rollingBeta, bat.rollingBeta)).toBeLessThanOrEqual(TOL);
        expect(maxRelDiff(inc.rollingAlpha, bat.rollingAlpha, 1)).toBeLessThanOrEqual(TOL);
        expect(maxRelDiff(inc.rollingR2, bat.rollingR2, 1)).toBeLessThanOrEqual(TOL);
        expect(maxRelDiff(inc.spread, bat.spread, 1)).toBeLessThanOrEqual(TOL);
        expect(maxRelDiff(inc.zscore, bat.zscore, 1)).toBeLessThanOrEqual(TOL);
        expect(maxRelDiff(inc.corr, bat.corr, 1)).toBeLessThanOrEqual(TOL);
        expect(maxRelDiff(inc.volA, bat.volA)).toBeLessThanOrEqual(TOL);
        expect(maxRelDiff(inc.volB, bat.volB)).toBeLessThanOrEqual(TOL);
        expect(maxRelDiff(inc.kalmanBeta, bat.kalman.beta)).toBe(0);
        expect(maxRelDiff(inc.kalmanE, bat.kalman.e)).toBe(0);
        expect(maxRelDiff(inc.kalmanZ, bat.kalmanZ)).toBe(0);
        // and both agree with pandas
        if (typeof hedge !== 'string')
          expect(maxRelDiff(inc.zscore, fx.zscore, 1)).toBeLessThanOrEqual(1e-9);
        else expect(maxRelDiff(inc.zscore, fx.rollingSpreadZ, 1)).toBeLessThanOrEqual(1e-9);
        expect(maxRelDiff(inc.corr, fx.corr, 1)).toBeLessThanOrEqual(1e-9);
        expect(maxRelDiff(inc.volA, fx.volA)).toBeLessThanOrEqual(1e-9);
      });
    }
  }

  it('warm-up is reported as null, never NaN', () => {
    const e = new PairAnalyticsEngine({ window: 5, timeframeMs: 60_000 });
    const u = e.push(100, 50);
    expect(u.ok).toBe(true);
    if (!u.ok) return;
    for (const v of [u.rollingBeta, u.spread, u.zscore, u.logReturnA, u.corr, u.volA])
      expect(v).toBeNull();
    expect(Number.isFinite(u.kalman.beta)).toBe(true);
  });

  it('rejects a bad bar without changing its state', () => {
    const e = new PairAnalyticsEngine({ window: 3, timeframeMs: 1000 });
    e.push(10, 5);
    const bad = e.push(NaN, 5);
    expect(bad).toEqual({
      ok: false,
      reason: 'rejected bar: prices must be finite and > 0, got A=NaN, B=5',
    });
    expect(e.push(0, 5).ok).toBe(false);
    expect(e.count).toBe(1);
    e.reset();
    expect(e.count).toBe(0);
  });

  it('a flat window gives null z-score / correlation instead of NaN or ±∞', () => {
    const e = new PairAnalyticsEngine({ window: 3, timeframeMs: 1000, hedge: { fixedBeta: 1 } });
    let last = e.push(10, 5);
    for (let i = 0; i < 5; i++) last = e.push(10, 5);
    expect(last.ok).toBe(true);
    if (last.ok) {
      expect(last.zscore).toBeNull();
      expect(last.corr).toBeNull();
      expect(last.rollingBeta).toBeNull();
      expect(last.volA).toBe(0);
    }
  });
});
