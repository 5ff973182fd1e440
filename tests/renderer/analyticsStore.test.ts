// The renderer's analytics store (src/renderer/state/analyticsStore.ts) driven by a fake API:
// loads, reset/append events, ordering against a load in flight, and no NaN on screen.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type {
  AnalyticsColumns,
  AnalyticsSelection,
  AnalyticsSeries,
  EventMap,
  Settings,
  StationarityReport,
} from '../../src/core/contract/contract';
import { StationarityView } from '../../src/renderer/components/analytics/StationarityPanel';
import { lastValueText, PANELS, panelWriters } from '../../src/renderer/charts/analyticsOptions';
import type { RendererApi } from '../../src/renderer/transport/types';
import {
  connectAnalytics,
  createAnalyticsStore,
  emptyColumns,
  rowAt,
  runStationarityTests,
} from '../../src/renderer/state/analyticsStore';
import { createSessionStore } from '../../src/renderer/state/sessionStore';
import { SNAPSHOT, fakeApi, tick } from './helpers';
import { KALMAN_DEFAULTS } from '../../src/core/stats/kalman';

const SELECTION: AnalyticsSelection = {
  pairA: 'BTCUSDT',
  pairB: 'ETHUSDT',
  timeframe: '1m',
  rollingWindow: 60,
  lookback: 1000,
  hedgeMethod: 'static',
  kalmanDelta: KALMAN_DEFAULTS.delta,
  kalmanVe: KALMAN_DEFAULTS.ve,
};

/** Rows at minutes `from`..`to` (inclusive); z = t / 1000 so values identify their row. */
function columns(from: number, to: number, z = (m: number) => m / 1000): AnalyticsColumns {
  const c = emptyColumns();
  for (let m = from; m <= to; m++) {
    c.startMs.push(m * 60_000);
    c.closeA.push(100 + m);
    c.closeB.push(10 + m / 10);
    c.hedgeRatio.push(1.5);
    c.spread.push(m);
    c.spreadMean.push(m - 1);
    c.spreadStd.push(2);
    c.zscore.push(z(m));
    c.correlation.push(0.5);
    c.betaRolling.push(1.4);
    c.betaKalman.push(null);
    c.volA.push(0.6);
    c.volB.push(0.8);
  }
  return c;
}

function series(from: number, to: number, selection = SELECTION): AnalyticsSeries {
  return { selection, columns: columns(from, to), warmup: null };
}

function event(
  reset: boolean,
  from: number,
  to: number,
  selection = SELECTION,
  warmup: string | null = null,
): EventMap['analytics'] {
  return { reset, selection, columns: columns(from, to), warmup };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function manualScheduler() {
  const queue: (() => void)[] = [];
  return {
    schedule: (run: () => void) => {
      queue.push(run);
      return () => {
        const i = queue.indexOf(run);
        if (i >= 0) queue.splice(i, 1);
      };
    },
    frame: () => queue.splice(0).forEach((run) => run()),
  };
}

function sessionWith(settings: Partial<Settings> = {}) {
  const session = createSessionStore();
  session.getState().applySnapshot({
    ...SNAPSHOT,
    settings: { ...SNAPSHOT.settings, ...settings },
  });
  return session;
}

const minutes = (c: AnalyticsColumns) => c.startMs.map((t) => t / 60_000);

const REPORT: StationarityReport = {
  selection: SELECTION,
  computedAtMs: 1_000,
  durationMs: 42,
  bars: 1000,
  hedgeRegression: { beta: 19.87654, alpha: 1234.5, r2: 0.9912, seBeta: 0.01234 },
  engleGranger: {
    ok: true,
    stat: -3.9,
    pvalue: 0.012,
    usedlag: 1,
    nobs: 998,
    crit: { '1%': -3.96, '5%': -3.37, '10%': -3.07 },
  },
  adf: {
    ok: true,
    stat: -4.1,
    pvalue: 0.0009,
    usedlag: 0,
    nobs: 999,
    crit: { '1%': -3.44, '5%': -2.87, '10%': -2.57 },
  },
  halfLifeBars: 12.5,
  halfLifeMs: 750_000,
  hurst: 0.41,
  reading: 'cointegrated at 5 %: the spread mean-reverts',
};

describe('analytics store', () => {
  it('loads the series (limit = lookback) and the last report once the settings are known', async () => {
    const { api, calls } = fakeApi({
      'analytics.series': () => series(1, 5),
      'analytics.lastTests': () => REPORT,
    });
    const session = createSessionStore();
    const store = createAnalyticsStore();
    const disconnect = connectAnalytics(store, session, api);
    expect(calls).toEqual([]); // no settings yet: nothing to ask for
    session.getState().applySnapshot({
      ...SNAPSHOT,
      settings: { ...SNAPSHOT.settings, lookback: 500 },
    });
    await tick();
    expect(calls.map((c) => c.channel)).toEqual(['analytics.series', 'analytics.lastTests']);
    expect(calls[0].request).toEqual({ limit: 500 });
    const s = store.getState();
    expect(s.load).toBe('ready');
    expect(minutes(s.columns)).toEqual([1, 2, 3, 4, 5]);
    expect(s.selection).toEqual(SELECTION);
    expect(s.report).toEqual(REPORT);
    disconnect();
  });

  it('appends rows, replaces on reset, keeps rows in order without duplicates', async () => {
    const { api, emit } = fakeApi({ 'analytics.series': () => series(1, 5) });
    const store = createAnalyticsStore();
    const disconnect = connectAnalytics(store, sessionWith(), api);
    await tick();
    const epoch = store.getState().epoch;
    const rev = store.getState().rev;

    emit('analytics', event(false, 6, 7));
    expect(minutes(store.getState().columns)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(store.getState().epoch).toBe(epoch); // tail-only: charts do not rebuild
    expect(store.getState().rev).toBe(rev + 1);

    // Rows already held (same startMs, same values) are not appended twice; nothing changes.
    emit('analytics', event(false, 6, 7));
    expect(minutes(store.getState().columns)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(store.getState().rev).toBe(rev + 1);

    // A reset replaces everything (a revision or a new selection).
    emit('analytics', event(true, 3, 8));
    expect(minutes(store.getState().columns)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(store.getState().epoch).toBe(epoch + 1);

    // An unknown older row is ignored; a newer one still appends after it.
    emit('analytics', event(false, 1, 1));
    emit('analytics', event(false, 9, 9));
    const c = store.getState().columns;
    expect(minutes(c)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    for (const key of Object.keys(c) as (keyof AnalyticsColumns)[]) {
      expect(c[key]).toHaveLength(7);
    }
    disconnect();
  });

  it('drops events that arrived before the reply of a load in flight, applies later ones', async () => {
    const reply = deferred<AnalyticsSeries>();
    const frames = manualScheduler();
    const { api, emit } = fakeApi({ 'analytics.series': () => reply.promise });
    const store = createAnalyticsStore();
    const disconnect = connectAnalytics(store, sessionWith(), api, {
      scheduler: frames.schedule,
    });
    expect(store.getState().inFlight).toBe(true);

    // Sent by the main side before it answered: already in the reply (rows 1..6).
    emit('analytics', event(true, 1, 5));
    emit('analytics', event(false, 6, 6));
    reply.resolve(series(1, 6));
    await tick();
    // Sent after the reply: row 6 again (the main side coalesces events) and row 7.
    emit('analytics', event(false, 6, 7));
    // One frame applies everything buffered, after the reply.
    frames.frame();
    const s = store.getState();
    expect(minutes(s.columns)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(s.inFlight).toBe(false);
    expect(s.load).toBe('ready');
    disconnect();
  });

  it('a stale reset buffered during a load never replaces the newer reply', async () => {
    const reply = deferred<AnalyticsSeries>();
    const frames = manualScheduler();
    const { api, emit } = fakeApi({ 'analytics.series': () => reply.promise });
    const store = createAnalyticsStore();
    const disconnect = connectAnalytics(store, sessionWith(), api, {
      scheduler: frames.schedule,
    });
    emit('analytics', event(true, 1, 3)); // older than the reply
    reply.resolve(series(1, 8));
    await tick();
    frames.frame();
    expect(minutes(store.getState().columns)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // A reset that arrives after the reply is newer: it wins.
    emit('analytics', event(true, 4, 9));
    frames.frame();
    expect(minutes(store.getState().columns)).toEqual([4, 5, 6, 7, 8, 9]);
    disconnect();
  });

  it('a selection change takes its rows from the reset event, not a second request', async () => {
    const replies: ReturnType<typeof deferred<AnalyticsSeries>>[] = [];
    const {
      api: base,
      calls,
      emit,
    } = fakeApi({
      'analytics.series': () => {
        const d = deferred<AnalyticsSeries>();
        replies.push(d);
        return d.promise;
      },
      'analytics.lastTests': () => null,
    });
    let reopen: (() => void) | null = null;
    const api: RendererApi = {
      ...base,
      onReopen: (listener) => {
        reopen = listener;
        return () => (reopen = null);
      },
    };
    const session = sessionWith();
    const store = createAnalyticsStore();
    const disconnect = connectAnalytics(store, session, api, { resetWaitMs: 30 });
    expect(replies).toHaveLength(1);

    // W changes: no request; the main side's reset event brings the rows. The first reply (old
    // selection) arrives last and is ignored.
    const settings = session.getState().settings!;
    session.getState().applySettings({ ...settings, rollingWindow: 10 });
    // Unrelated settings (theme) change nothing either.
    session.getState().applySettings({ ...session.getState().settings!, theme: 'light' });
    expect(replies).toHaveLength(1);
    const w10 = { ...SELECTION, rollingWindow: 10 };
    emit('analytics', event(true, 1, 4, w10));
    replies[0].resolve(series(1, 9));
    await tick();
    expect(store.getState().selection).toEqual(w10);
    expect(store.getState().load).toBe('ready');
    expect(minutes(store.getState().columns)).toEqual([1, 2, 3, 4]);
    await new Promise((r) => setTimeout(r, 60)); // past resetWaitMs: the reset made it moot
    expect(replies).toHaveLength(1);

    // A reset that comes before the settings reply does not trigger a request either.
    const w20 = { ...SELECTION, rollingWindow: 20 };
    emit('analytics', event(true, 2, 5, w20));
    session.getState().applySettings({ ...session.getState().settings!, rollingWindow: 20 });
    await new Promise((r) => setTimeout(r, 60));
    expect(replies).toHaveLength(1);
    expect(minutes(store.getState().columns)).toEqual([2, 3, 4, 5]);

    // No reset within resetWaitMs (e.g. the worker is down): the series is requested after all;
    // meanwhile the rows held stay on screen.
    session.getState().applySettings({ ...session.getState().settings!, rollingWindow: 30 });
    await tick();
    expect(replies).toHaveLength(1);
    expect(store.getState().load).toBe('ready');
    await new Promise((r) => setTimeout(r, 60));
    expect(replies).toHaveLength(2);
    const w30 = { ...SELECTION, rollingWindow: 30 };
    replies[1].resolve(series(3, 6, w30));
    await tick();
    expect(store.getState().selection).toEqual(w30);
    expect(minutes(store.getState().columns)).toEqual([3, 4, 5, 6]);

    // After a reconnect the series and the report are loaded again.
    (reopen as (() => void) | null)?.();
    expect(replies).toHaveLength(3);
    expect(calls.filter((c) => c.channel === 'analytics.lastTests')).toHaveLength(2);
    disconnect();
  });

  it('an append for another selection is not mixed in: it asks for a reload', async () => {
    const { api, emit, calls } = fakeApi({ 'analytics.series': () => series(1, 3) });
    const store = createAnalyticsStore();
    const disconnect = connectAnalytics(store, sessionWith(), api);
    await tick();
    emit('analytics', event(false, 4, 4, { ...SELECTION, pairB: 'SOLUSDT' }));
    expect(minutes(store.getState().columns)).toEqual([1, 2, 3]);
    expect(calls.filter((c) => c.channel === 'analytics.series')).toHaveLength(2);
    disconnect();
  });

  it('retries a failed load, and appends need a series to continue', async () => {
    let fail = true;
    const { api, emit } = fakeApi({
      'analytics.series': () => {
        if (fail) throw new Error('analytics not configured yet');
        return series(1, 2);
      },
    });
    const store = createAnalyticsStore();
    const disconnect = connectAnalytics(store, sessionWith(), api, { retryMs: 5 });
    await tick();
    expect(store.getState().load).toBe('error');
    expect(store.getState().error).toBe('analytics not configured yet');
    emit('analytics', event(false, 3, 3)); // nothing to append to
    expect(store.getState().columns.startMs).toEqual([]);
    fail = false;
    await new Promise((r) => setTimeout(r, 20));
    expect(store.getState().load).toBe('ready');
    expect(minutes(store.getState().columns)).toEqual([1, 2]);
    disconnect();
  });

  it('keeps the warm-up reason and trims to the lookback (with slack) as rows append', async () => {
    const small = { ...SELECTION, lookback: 100 };
    const { api, emit } = fakeApi({ 'analytics.series': () => series(1, 100, small) });
    const store = createAnalyticsStore();
    const disconnect = connectAnalytics(store, sessionWith({ lookback: 100 }), api);
    await tick();
    emit('analytics', event(false, 101, 140, small, 'waiting for 3 more 1m bars of ETHUSDT'));
    expect(store.getState().columns.startMs).toHaveLength(140); // within the slack
    expect(store.getState().warmup).toBe('waiting for 3 more 1m bars of ETHUSDT');
    const epoch = store.getState().epoch;
    emit('analytics', event(false, 141, 160, small));
    const c = store.getState().columns;
    expect(minutes(c)[0]).toBe(61);
    expect(c.startMs).toHaveLength(100);
    expect(store.getState().epoch).toBe(epoch + 1); // a trim rebuilds the charts
    expect(store.getState().warmup).toBeNull();
    disconnect();
  });

  it('never holds or shows NaN: non-finite values become null and read "—"', async () => {
    const bad = columns(1, 3);
    bad.zscore = [Number.NaN, Number.POSITIVE_INFINITY, 1.25];
    bad.spreadStd = [Number.NaN, 2, 2];
    bad.volA = [Number.NaN, null, 0.5];
    bad.closeA = [Number.NaN, 101, 102];
    const { api, emit } = fakeApi({
      'analytics.series': () => ({ selection: SELECTION, columns: bad, warmup: null }),
    });
    const store = createAnalyticsStore();
    const disconnect = connectAnalytics(store, sessionWith(), api);
    await tick();
    const more = columns(4, 4);
    more.correlation = [Number.NaN];
    emit('analytics', { reset: false, selection: SELECTION, columns: more, warmup: null });
    const c = store.getState().columns;
    expect(c.zscore).toEqual([null, null, 1.25, 0.004]);
    expect(c.spreadStd[0]).toBeNull();
    expect(c.volA).toEqual([null, null, 0.5, 0.6]);
    expect(c.correlation[3]).toBeNull();
    const first = rowAt(c, 0)!;
    expect(first.closeA).toBeNull();
    expect(Object.values(first).some((v) => typeof v === 'number' && Number.isNaN(v))).toBe(false);

    // Every readout of every panel, for every row, is a number or "—".
    const ref = { columns: c, threshold: 2 };
    for (const def of Object.values(PANELS)) {
      const writers = panelWriters(def, ref);
      for (let i = 0; i < c.startMs.length; i++) {
        const row = rowAt(c, i);
        for (const line of def.lines) {
          const text = lastValueText(line, row, { threshold: 2 }, 3);
          expect(text).not.toMatch(/NaN|Infinity|undefined/);
        }
        for (const write of writers) {
          const [, y] = write(c.startMs[i], i, c.startMs) as [number, number | string];
          expect(y === '-' || Number.isFinite(y)).toBe(true);
        }
      }
    }
    disconnect();
  });

  it('a malformed reset keeps only sorted rows with a finite time, up to the shortest column', () => {
    const store = createAnalyticsStore();
    const bad = columns(1, 6);
    bad.startMs = [60_000, Number.NaN, 180_000, 120_000, 240_000, 240_000];
    bad.zscore = [Number.NaN, 1, 2, 3, Number.NEGATIVE_INFINITY, 5];
    bad.volB = bad.volB.slice(0, 5); // shortest column: the sixth row is not a row
    store
      .getState()
      .applyEvents([
        { seq: 1, payload: { reset: true, selection: SELECTION, columns: bad, warmup: null } },
      ]);
    const c = store.getState().columns;
    expect(minutes(c)).toEqual([1, 3, 4]);
    expect(c.zscore).toEqual([null, 2, null]);
    for (const key of Object.keys(c) as (keyof AnalyticsColumns)[]) expect(c[key]).toHaveLength(3);

    // A well-formed reset is taken as it is, cleaned: same rows, non-finite values as null/NaN.
    const good = columns(1, 3);
    good.closeB = [Number.POSITIVE_INFINITY, 10.2, 10.3];
    good.correlation = [Number.NaN, null, 0.5];
    store
      .getState()
      .applyEvents([
        { seq: 2, payload: { reset: true, selection: SELECTION, columns: good, warmup: null } },
      ]);
    const g = store.getState().columns;
    expect(minutes(g)).toEqual([1, 2, 3]);
    expect(g.closeB[0]).toBeNaN();
    expect(g.correlation).toEqual([null, null, 0.5]);
  });

  it('keeps the newest report; Run now flags running and keeps the error', async () => {
    const run = deferred<StationarityReport>();
    let failRun = false;
    const { api, emit } = fakeApi({
      'analytics.series': () => series(1, 2),
      'analytics.lastTests': () => REPORT,
      'analytics.runTests': () => {
        if (failRun) throw new Error('analytics stopped');
        return run.promise;
      },
    });
    const store = createAnalyticsStore();
    const disconnect = connectAnalytics(store, sessionWith(), api);
    await tick();
    emit('stationarity', { ...REPORT, computedAtMs: 500, reading: 'older' });
    expect(store.getState().report?.reading).toBe(REPORT.reading);
    emit('stationarity', { ...REPORT, computedAtMs: 2_000, reading: 'scheduled' });
    expect(store.getState().report?.reading).toBe('scheduled');

    const done = runStationarityTests(store, api);
    expect(store.getState().testsRunning).toBe(true);
    expect(await runStationarityTests(store, api)).toBe(false); // one at a time
    run.resolve({ ...REPORT, computedAtMs: 3_000, reading: 'manual' });
    expect(await done).toBe(true);
    expect(store.getState().testsRunning).toBe(false);
    expect(store.getState().report?.reading).toBe('manual');

    failRun = true;
    expect(await runStationarityTests(store, api)).toBe(false);
    expect(store.getState().testsError).toBe('analytics stopped');
    expect(store.getState().testsRunning).toBe(false);
    disconnect();
  });
});

describe('stationarity panel', () => {
  const render = (report: StationarityReport | null, extra: { error?: string } = {}) =>
    renderToStaticMarkup(
      createElement(StationarityView, {
        report,
        running: false,
        error: extra.error ?? null,
        current: SELECTION,
        onRun: () => {},
      }),
    );

  it('shows Engle–Granger first, then ADF with the overstatement note, and what each beats', () => {
    const html = render(REPORT);
    expect(html.indexOf('stationarity-eg')).toBeLessThan(html.indexOf('stationarity-adf'));
    expect(html).toContain('overstate stationarity');
    expect(html).toContain('−3.900'); // EG statistic
    expect(html).toContain('0.0120');
    expect(html).toContain('0.0009'); // ADF p-value
    // EG −3.9 beats 5 % (−3.37) and 10 %, not 1 % (−3.96): two highlighted cells.
    const eg = html.slice(html.indexOf('stationarity-eg'), html.indexOf('stationarity-adf'));
    expect(eg.match(/class="num beaten"/g)).toHaveLength(2);
    expect(eg).toContain('beats 5 % critical');
    expect(html).toContain('12.5 bars');
    expect(html).toContain('12.5 min');
    expect(html).toContain('variance of lagged differences');
    expect(html).toContain(REPORT.reading);
    expect(html).toContain('took <span class="num">42 ms</span>');
    // The hedge regression comes first: β to the digits its standard error supports.
    expect(html.indexOf('stationarity-ols')).toBeLessThan(html.indexOf('stationarity-eg'));
    expect(html).toContain('19.877<span class="muted"> ± 0.012</span>');
    expect(html).toContain('0.9912');
    expect(html).toMatch(/α = 1,?234\.50/);
  });

  it('shows degenerate outcomes as their reason and never NaN', () => {
    const html = render(
      {
        ...REPORT,
        engleGranger: { ok: false, reason: 'constant series: every value is 1' },
        adf: {
          ok: true,
          stat: Number.NaN,
          pvalue: Number.NaN,
          usedlag: Number.NaN,
          nobs: Number.NaN,
          crit: { '1%': Number.NaN, '5%': -2.87, '10%': Number.POSITIVE_INFINITY },
        },
        halfLifeBars: null,
        halfLifeMs: Number.NaN as unknown as null,
        hurst: Number.NaN as unknown as null,
        durationMs: Number.NaN,
      },
      { error: 'the analytics worker stopped' },
    );
    expect(html).toContain('Could not run: constant series: every value is 1');
    expect(html).toContain('Could not run the tests: the analytics worker stopped');
    expect(html).not.toMatch(/NaN|Infinity/);
    expect(html).toContain('—');
  });

  it('before the first run: says so, no numbers', () => {
    const html = render(null);
    expect(html).toContain('No run yet');
    expect(html).not.toMatch(/NaN/);
  });
});
