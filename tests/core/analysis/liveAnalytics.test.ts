/**
 * LivePairAnalytics (the worker's state) against the batch definitions: analyzePair /
 * computePairAnalytics on the same aligned rows, for each hedge method, after a load from
 * stored bars and after live rows (within 1e-9); live static re-estimation; degenerate input.
 */
import { describe, expect, it } from 'vitest';
import {
  toAnalyticsColumns,
  type ColumnBuffers,
} from '../../../src/core/analysis/analyticsColumns';
import { LivePairAnalytics } from '../../../src/core/analysis/liveAnalytics';
import { analyzePair } from '../../../src/core/analysis/pairAnalysis';
import type { HedgeMethod } from '../../../src/core/contract/contract';
import { computePairAnalytics } from '../../../src/core/stats/engine';
import {
  kalmanFilter,
  KALMAN_CHAN,
  KALMAN_DEFAULTS,
  type KalmanConfig,
} from '../../../src/core/stats/kalman';
import { olsAB } from '../../../src/core/stats/ols';
import { rollingMean, rollingStd } from '../../../src/core/stats/rolling';
import { cointegratedPair, mismatch, pairSelection as sel, startTimes, T0, TF } from './helpers';

/** Loads `hist` bars per leg, then feeds `live` more bars one interval at a time. */
function run(
  method: HedgeMethod,
  W: number,
  N: number,
  hist: number,
  live: number,
  a: Float64Array,
  b: Float64Array,
  refit = 1_000_000,
  kalman: KalmanConfig = KALMAN_DEFAULTS,
): LivePairAnalytics {
  const la = new LivePairAnalytics({
    selection: { ...sel(method, W, N), kalmanDelta: kalman.delta, kalmanVe: kalman.ve },
    tfMs: TF,
    staticRefitBars: refit,
  });
  la.load(
    { startMs: startTimes(0, hist), close: a.subarray(0, hist) },
    { startMs: startTimes(0, hist), close: b.subarray(0, hist) },
    null,
  );
  expect(la.take()?.reset).toBe(true);
  for (let i = hist; i < hist + live; i++) {
    la.addBar(1, T0 + i * TF, b[i]);
    la.addBar(0, T0 + i * TF, a[i]);
    la.advance(null);
  }
  return la;
}

function expectClose(x: ArrayLike<number>, y: ArrayLike<number>, what: string): void {
  expect(mismatch(x, y), what).toBeNull();
}

/** The retained columns against the batch definitions over the rows since the load. */
function checkAgainstBatch(
  cols: ColumnBuffers,
  method: HedgeMethod,
  W: number,
  a: Float64Array,
  b: Float64Array,
  from: number,
  to: number,
  staticBeta?: number,
  kalman: KalmanConfig = KALMAN_DEFAULTS,
): void {
  const A = a.subarray(from, to);
  const B = b.subarray(from, to);
  const n = to - from;
  const keep = cols.startMs.length;
  const tail = (x: Float64Array): Float64Array => x.subarray(n - keep);
  const batch = computePairAnalytics(A, B, {
    window: W,
    timeframeMs: TF,
    hedge: staticBeta !== undefined ? { fixedBeta: staticBeta } : 'rollingOls',
  });
  expectClose(cols.startMs, tail(startTimes(from, n)), 'startMs');
  expectClose(cols.closeA, tail(A), 'closeA');
  expectClose(cols.closeB, tail(B), 'closeB');
  expectClose(cols.betaRolling, tail(batch.rollingBeta), 'betaRolling');
  expectClose(cols.correlation, tail(batch.corr), 'correlation');
  expectClose(cols.volA, tail(batch.volA), 'volA');
  expectClose(cols.volB, tail(batch.volB), 'volB');
  const k = kalmanFilter(A, B, kalman).priorBeta.map((v, i) => (i >= W ? v : NaN));
  expectClose(cols.betaKalman, tail(k), 'betaKalman');
  let spread: Float64Array;
  let hedge: Float64Array;
  let z: Float64Array;
  if (staticBeta !== undefined) {
    spread = batch.spread;
    hedge = batch.hedgeRatio;
    z = batch.zscore;
  } else {
    const ap = analyzePair(
      { startMs: startTimes(from, n), a: A, b: B },
      { pair: 'BTCUSDT/ETHUSDT', timeframe: '1s', window: W, hedge: method, kalman },
    );
    spread = ap.series.spread;
    hedge = ap.series.hedgeRatio;
    z = ap.series.zscore;
    expectClose(cols.correlation, tail(ap.series.correlation), 'analyzePair correlation');
  }
  expectClose(cols.hedgeRatio, tail(hedge), 'hedgeRatio');
  expectClose(cols.spread, tail(spread), 'spread');
  expectClose(cols.zscore, tail(z), 'zscore');
  expectClose(cols.spreadMean, tail(rollingMean(spread, W)), 'spreadMean');
  expectClose(cols.spreadStd, tail(rollingStd(spread, W)), 'spreadStd');
}

describe('LivePairAnalytics vs batch', () => {
  const { a, b } = cointegratedPair(3000, 7);

  for (const method of ['rolling', 'kalman'] as const) {
    it(`${method}: load of the lookback, then live rows — equals analyzePair on the same rows`, () => {
      const W = 30;
      const N = 500;
      const hist = 800;
      // After the load only the last N stored rows are used; live rows continue those states.
      const la = run(method, W, N, hist, 700, a, b);
      expect(la.size).toBe(N);
      checkAgainstBatch(la.series(N), method, W, a, b, hist - N, hist + 700);
      // Right after a load: the whole lookback, equal to analyzePair with lookback N.
      const fresh = run(method, W, N, hist, 0, a, b);
      checkAgainstBatch(fresh.series(N), method, W, a, b, hist - N, hist);
      const ap = analyzePair(
        { startMs: startTimes(0, hist), a: a.subarray(0, hist), b: b.subarray(0, hist) },
        { pair: 'x', timeframe: '1s', window: W, hedge: method, lookback: N },
      );
      expectClose(fresh.series(N).zscore, ap.series.zscore, 'analyzePair(lookback) zscore');
    });
  }

  it("kalman: the selection's δ and Ve (Chan's values) drive the filter, live and at the load", () => {
    const W = 30;
    const N = 500;
    const hist = 800;
    const la = run('kalman', W, N, hist, 700, a, b, 1_000_000, KALMAN_CHAN);
    checkAgainstBatch(
      la.series(N),
      'kalman',
      W,
      a,
      b,
      hist - N,
      hist + 700,
      undefined,
      KALMAN_CHAN,
    );
    // And they matter: the default δ and Ve give another β.
    const byDefault = run('kalman', W, N, hist, 700, a, b);
    expect(mismatch(la.series(N).betaKalman, byDefault.series(N).betaKalman)).not.toBeNull();
  });

  it('static: β = OLS over the lookback at the load (analyzePair), fixed until the re-estimate', () => {
    const W = 25;
    const N = 400;
    const hist = 600;
    const la = run('static', W, N, hist, 0, a, b, 20);
    const ap = analyzePair(
      { startMs: startTimes(0, hist), a: a.subarray(0, hist), b: b.subarray(0, hist) },
      { pair: 'x', timeframe: '1s', window: W, hedge: 'static', lookback: N },
    );
    const cols = la.series(N);
    expectClose(cols.hedgeRatio, ap.series.hedgeRatio, 'hedge');
    expectClose(cols.spread, ap.series.spread, 'spread');
    expectClose(cols.zscore, ap.series.zscore, 'zscore');
    const beta0 = la.staticHedgeRatio;
    expect(beta0).toBeCloseTo(ap.summary.ols.beta ?? NaN, 12);

    // 19 live rows: same β, appended only.
    for (let i = hist; i < hist + 19; i++) {
      la.addBar(0, T0 + i * TF, a[i]);
      la.addBar(1, T0 + i * TF, b[i]);
      la.advance(null);
    }
    const u = la.take();
    expect(u?.reset).toBe(false);
    expect(u?.columns.startMs.length).toBe(19);
    expect(la.staticHedgeRatio).toBe(beta0);
    checkAgainstBatch(la.series(N), 'static', W, a, b, hist - N, hist + 19, beta0);

    // The 20th row triggers the re-estimate over the retained lookback: a reset.
    la.addBar(0, T0 + (hist + 19) * TF, a[hist + 19]);
    la.addBar(1, T0 + (hist + 19) * TF, b[hist + 19]);
    la.advance(null);
    const beta1 = olsAB(a.subarray(hist + 20 - N, hist + 20), b.subarray(hist + 20 - N, hist + 20));
    expect(beta1.ok).toBe(true);
    expect(la.staticHedgeRatio).toBeCloseTo(beta1.ok ? beta1.beta : NaN, 12);
    expect(la.take()?.reset).toBe(true);
    const ap2 = analyzePair(
      {
        startMs: startTimes(0, hist + 20),
        a: a.subarray(0, hist + 20),
        b: b.subarray(0, hist + 20),
      },
      { pair: 'x', timeframe: '1s', window: W, hedge: 'static', lookback: N },
    );
    expectClose(la.series(N).zscore, ap2.series.zscore, 'zscore after re-estimate');
    expectClose(la.series(N).spread, ap2.series.spread, 'spread after re-estimate');
  });

  it('take(): reset after a load, then only the appended rows', () => {
    const la = run('rolling', 10, 100, 50, 0, a, b);
    for (let i = 50; i < 53; i++) {
      la.addBar(0, T0 + i * TF, a[i]);
      la.addBar(1, T0 + i * TF, b[i]);
    }
    expect(la.advance(null)).toBe(3);
    const u = la.take();
    expect(u?.reset).toBe(false);
    expect(Array.from(u?.columns.startMs ?? [])).toEqual([T0 + 50_000, T0 + 51_000, T0 + 52_000]);
    expect(la.take()).toBeNull();
  });

  it('a late revision of an emitted row recomputes the retained series (reset)', () => {
    const la = run('rolling', 10, 200, 100, 0, a, b);
    la.addBar(0, T0 + 95 * TF, a[95] + 5);
    la.advance(null);
    expect(la.take()?.reset).toBe(true);
    const a2 = Float64Array.from(a.subarray(0, 100));
    a2[95] += 5;
    checkAgainstBatch(la.series(200), 'rolling', 10, a2, b, 0, 100);
  });
});

describe('LivePairAnalytics degenerate input', () => {
  it('no bars / too few bars: plain-words warm-up, no z', () => {
    const la = new LivePairAnalytics({ selection: sel('rolling', 10, 100), tfMs: TF });
    la.load({ startMs: [T0], close: [60_000] }, { startMs: [], close: [] }, null);
    expect(la.warmup()).toMatch(/^waiting for 19 1s bars of ETHUSDT/);
    la.addBar(1, T0 + 3 * TF, 3000);
    la.addBar(0, T0 + 3 * TF, 60_010);
    la.addBar(1, T0 + 4 * TF, 3001);
    la.addBar(0, T0 + 4 * TF, 60_020);
    la.advance(null);
    expect(la.size).toBe(2);
    expect(la.warmup()).toMatch(/^waiting for 17 more 1s bars of ETHUSDT/);
  });

  it('constant leg: "constant series: ETHUSDT did not move", nulls not NaN', () => {
    const n = 60;
    const { a } = cointegratedPair(n, 3);
    const flat = new Float64Array(n).fill(3000);
    for (const method of ['rolling', 'static', 'kalman'] as const) {
      const la = new LivePairAnalytics({ selection: sel(method, 10, 100), tfMs: TF });
      la.load(
        { startMs: startTimes(0, n), close: a },
        { startMs: startTimes(0, n), close: flat },
        null,
      );
      const cols = toAnalyticsColumns(la.series(100));
      expect(cols.zscore.every((z) => z === null || Number.isFinite(z))).toBe(true);
      const all = Object.values(cols).flat() as (number | null)[];
      expect(all.some((v) => typeof v === 'number' && Number.isNaN(v))).toBe(false);
      if (method !== 'kalman') {
        expect(cols.zscore.at(-1)).toBeNull();
        expect(la.warmup()).toMatch(/^constant series: ETHUSDT did not move/);
      }
    }
  });
});

describe('LivePairAnalytics across a gap longer than the lookback (issue #13)', () => {
  it('load and live agree, equal analyzePair on the rows after the gap, and stay bounded', () => {
    const W = 10;
    const N = 200;
    const { a, b } = cointegratedPair(150, 5);
    // One bar per leg dated 2017-01-01, then 150 bars "now": ~3·10⁸ one-second intervals apart.
    const t2017 = Date.UTC(2017, 0, 1);
    const starts = Float64Array.from([t2017, ...startTimes(0, 150)]);
    const closesA = Float64Array.from([a[0] * 0.5, ...a]);
    const closesB = Float64Array.from([b[0] * 0.5, ...b]);
    const selection = sel('rolling', W, N);
    const loaded = new LivePairAnalytics({ selection, tfMs: TF });
    const t0 = performance.now();
    loaded.load({ startMs: starts, close: closesA }, { startMs: starts, close: closesB }, null);
    const loadMs = performance.now() - t0;
    const live = new LivePairAnalytics({ selection, tfMs: TF });
    live.load(
      { startMs: new Float64Array(0), close: new Float64Array(0) },
      { startMs: new Float64Array(0), close: new Float64Array(0) },
      null,
    );
    for (let i = 0; i < starts.length; i++) {
      live.addBar(0, starts[i], closesA[i]);
      live.addBar(1, starts[i], closesB[i]);
      live.advance(starts[i] + TF + 250);
    }
    expect(loadMs).toBeLessThan(500);
    // 1 row in 2017 + N forward-filled rows, then the restart: nothing like 3·10⁸.
    expect(live.rowsProduced).toBeLessThanOrEqual(1 + N + 150);
    expect(live.take()?.reset).toBe(true);
    const ref = analyzePair(
      { startMs: startTimes(0, 150), a, b },
      { pair: 'BTCUSDT/ETHUSDT', timeframe: '1s', window: W, hedge: 'rolling' },
    );
    for (const la of [loaded, live]) {
      const c = la.series(N);
      expect(c.startMs.length).toBe(150);
      expectClose(c.startMs, startTimes(0, 150), 'startMs');
      expectClose(c.closeA, a, 'closeA');
      expectClose(c.hedgeRatio, ref.series.hedgeRatio, 'hedgeRatio');
      expectClose(c.zscore, ref.series.zscore, 'zscore');
      expectClose(c.correlation, ref.series.correlation, 'correlation');
    }
  });
});
