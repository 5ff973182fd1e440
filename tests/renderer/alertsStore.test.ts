/**
 * The renderer's alerts store (issue #9): history paging with beforeId, live events prepended
 * (de-duplicated against the reply), filters, acknowledge counts, toasts capped and expired,
 * markers of the selection, export; plus the browser notifier's rules and the windowing maths.
 */
import { describe, expect, it } from 'vitest';
import type { AlertFilter, AlertRecord } from '../../src/core/contract/contract';
import {
  BrowserNotifier,
  notifiesInPage,
  sourceEnabled,
} from '../../src/renderer/lib/browserNotify';
import { alertBody, alertTitle, thresholdText } from '../../src/core/alerts/alertText';
import { alertLevelError } from '../../src/renderer/lib/validation';
import { nearEnd, scrollTopFor, virtualWindow } from '../../src/renderer/lib/virtualWindow';
import {
  acknowledge,
  connectAlerts,
  createAlertsStore,
  exportHistory,
  loadHistory,
  loadMarkers,
  loadMore,
  MAX_TOASTS,
  matchesFilter,
  PAGE_SIZE,
  TOAST_MS,
} from '../../src/renderer/state/alertsStore';
import { markerPoints, PANELS } from '../../src/renderer/charts/analyticsOptions';
import { shortcutFor } from '../../src/renderer/lib/keyboard';
import { summaryInput } from '../../src/renderer/lib/summaryInput';
import { emptyColumns } from '../../src/renderer/state/analyticsStore';
import { fakeApi, tick } from './helpers';

function rec(id: number, over: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id,
    datasetId: 1,
    source: 'replay',
    pairA: 'BTCUSDT',
    pairB: 'ETHUSDT',
    timeframe: '1m',
    rollingWindow: 60,
    rule: 'zscore',
    kind: 'breach',
    side: 'upper',
    value: 2.41,
    threshold: 2,
    beta: 0.05321,
    barStartMs: Date.UTC(2024, 6, 18, 23, 58) + id * 60_000,
    wallMs: 1_700_000_000_000 + id,
    acknowledged: false,
    notified: false,
    ...over,
  };
}

/** A fake alerts.history over `all` rows (ids ascending in `all`). */
function historyOver(all: AlertRecord[]) {
  return (request: unknown) => {
    const r = request as AlertFilter & { limit: number; beforeId?: number };
    const matching = all.filter((x) => matchesFilter(x, r)).sort((a, b) => b.id - a.id);
    const page = matching.filter((x) => r.beforeId === undefined || x.id < r.beforeId);
    return {
      rows: page.slice(0, r.limit),
      total: matching.length,
      unacknowledged: all.filter((x) => !x.acknowledged).length,
    };
  };
}

describe('alerts store: history', () => {
  it('pages newest first with beforeId until every row is held', async () => {
    const all = Array.from({ length: PAGE_SIZE * 2 + 17 }, (_, i) => rec(i + 1));
    const { api, calls } = fakeApi({ 'alerts.history': historyOver(all) });
    const store = createAlertsStore();
    await loadHistory(store, api);
    let s = store.getState();
    expect(s.rows).toHaveLength(PAGE_SIZE);
    expect(s.rows[0].id).toBe(all.length);
    expect(s.total).toBe(all.length);
    await loadMore(store, api);
    await loadMore(store, api);
    s = store.getState();
    expect(s.rows).toHaveLength(all.length);
    expect(s.rows.map((r) => r.id)).toEqual(all.map((r) => r.id).reverse());
    expect(calls.filter((c) => c.channel === 'alerts.history').map((c) => c.request)).toEqual([
      { limit: PAGE_SIZE },
      { limit: PAGE_SIZE, beforeId: all.length - PAGE_SIZE + 1 },
      { limit: PAGE_SIZE, beforeId: all.length - 2 * PAGE_SIZE + 1 },
    ]);
    // Everything held: no further request.
    await loadMore(store, api);
    expect(calls).toHaveLength(3);
  });

  it('does not page twice at once and drops a page of a superseded filter', async () => {
    const all = Array.from({ length: PAGE_SIZE + 5 }, (_, i) =>
      rec(i + 1, { rule: i % 2 ? 'zscore' : 'correlation' }),
    );
    const { api, calls } = fakeApi({ 'alerts.history': historyOver(all) });
    const store = createAlertsStore();
    await loadHistory(store, api);
    const first = loadMore(store, api);
    void loadMore(store, api); // in flight: ignored
    expect(calls).toHaveLength(2);
    await loadHistory(store, api, { rule: 'correlation' }); // supersedes the page in flight
    await first;
    const s = store.getState();
    expect(s.filter).toEqual({ rule: 'correlation' });
    expect(s.rows.every((r) => r.rule === 'correlation')).toBe(true);
    expect(s.rows).toHaveLength(all.filter((r) => r.rule === 'correlation').length);
  });

  it('filters by pair, rule and source (request and live rows)', async () => {
    const all = [
      rec(1),
      rec(2, { pairA: 'SOLUSDT' }),
      rec(3, { source: 'live' }),
      rec(4, { rule: 'correlation', side: 'lower', value: 0.2, threshold: 0.3 }),
    ];
    const { api, calls, emit } = fakeApi({ 'alerts.history': historyOver(all) });
    const store = createAlertsStore();
    connectAlerts(store, api);
    await tick();
    await loadHistory(store, api, {
      pair: 'BTCUSDT/ETHUSDT',
      rule: 'zscore',
      source: 'replay',
      // An empty field is no filter at all.
    });
    expect(calls.at(-1)?.request).toEqual({
      pair: 'BTCUSDT/ETHUSDT',
      rule: 'zscore',
      source: 'replay',
      limit: PAGE_SIZE,
    });
    expect(store.getState().rows.map((r) => r.id)).toEqual([1]);
    emit('alerts', { added: [rec(5, { source: 'live' }), rec(6)], unacknowledged: 6 });
    const s = store.getState();
    expect(s.rows.map((r) => r.id)).toEqual([6, 1]);
    expect(s.total).toBe(2);
    expect(s.unacknowledged).toBe(6);
    // Both events toast whatever the filter.
    expect(s.toasts.map((t) => t.record.id)).toEqual([6, 5]);
  });
});

describe('alerts store: live events', () => {
  it('prepends newest first and skips rows the reply already holds', async () => {
    let release: (() => void) | null = null;
    const all = [rec(1), rec(2), rec(3)];
    const { api, emit } = fakeApi({
      'alerts.history': (request) =>
        new Promise((resolve) => {
          release = () => resolve(historyOver(all)(request));
        }),
    });
    const store = createAlertsStore();
    connectAlerts(store, api);
    // Events during the request: 3 is in the reply, 4 came after it was read.
    emit('alerts', { added: [rec(3)], unacknowledged: 3 });
    emit('alerts', { added: [rec(4)], unacknowledged: 4 });
    release!();
    await tick();
    let s = store.getState();
    expect(s.rows.map((r) => r.id)).toEqual([4, 3, 2, 1]);
    expect(s.total).toBe(4);
    // Oldest first in an event; a repeat is ignored.
    emit('alerts', { added: [rec(4), rec(5), rec(6)], unacknowledged: 6 });
    s = store.getState();
    expect(s.rows.map((r) => r.id)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(s.total).toBe(6);
  });

  it('caps toasts at MAX_TOASTS with the rest grouped, expires them after TOAST_MS', () => {
    const store = createAlertsStore();
    store.getState().applyLive({ added: [rec(1), rec(2)], unacknowledged: 2 }, 1_000);
    store
      .getState()
      .applyLive({ added: [rec(3), rec(4), rec(5), rec(6)], unacknowledged: 6 }, 2_000);
    let s = store.getState();
    expect(s.toasts.map((t) => t.record.id)).toEqual([6, 5, 4].slice(0, MAX_TOASTS));
    expect(s.hiddenToasts).toBe(6 - MAX_TOASTS);
    s.dismissToast(6);
    expect(store.getState().toasts.map((t) => t.record.id)).toEqual([5, 4]);
    store.getState().expireToasts(2_000 + TOAST_MS - 1);
    expect(store.getState().toasts).toHaveLength(2);
    store.getState().expireToasts(2_000 + TOAST_MS);
    s = store.getState();
    expect(s.toasts).toHaveLength(0);
    expect(s.hiddenToasts).toBe(0);
  });

  it('keeps the markers of the selection only (pair, timeframe, dataset, z-score rule)', async () => {
    const stored = [rec(1), rec(2, { timeframe: '5m' }), rec(3, { datasetId: 9 })];
    const { api } = fakeApi({ 'alerts.history': historyOver(stored) });
    const store = createAlertsStore();
    await loadMarkers(store, api, {
      pairA: 'BTCUSDT',
      pairB: 'ETHUSDT',
      timeframe: '1m',
      datasetId: 1,
    });
    expect(store.getState().markers.map((r) => r.id)).toEqual([1]);
    store.getState().applyLive(
      {
        added: [
          rec(4, { kind: 'revert', side: 'upper' }),
          rec(5, { rule: 'correlation' }),
          rec(6, { pairB: 'SOLUSDT' }),
        ],
        unacknowledged: 6,
      },
      0,
    );
    expect(store.getState().markers.map((r) => r.id)).toEqual([1, 4]);
  });

  it('alertFocus asks the charts for the bar and calls back', () => {
    const { api, emit } = fakeApi({ 'alerts.history': historyOver([]) });
    const store = createAlertsStore();
    const seen: number[] = [];
    connectAlerts(store, api, { onFocus: (f) => seen.push(f.alertId) });
    const focus = {
      alertId: 7,
      barStartMs: 60_000,
      pairA: 'BTCUSDT',
      pairB: 'ETHUSDT',
      timeframe: '1m' as const,
    };
    emit('alertFocus', focus);
    emit('alertFocus', focus);
    const f = store.getState().focus!;
    expect(f).toMatchObject(focus);
    expect(f.seq).toBe(2);
    expect(seen).toEqual([7, 7]);
    store.getState().clearFocus(1); // an older request: kept
    expect(store.getState().focus).not.toBeNull();
    store.getState().clearFocus(2);
    expect(store.getState().focus).toBeNull();
  });
});

describe('alerts store: acknowledge and export', () => {
  it('acknowledges one and all, the reply’s count winning', async () => {
    const all = [rec(1), rec(2), rec(3)];
    const { api, calls } = fakeApi({
      'alerts.history': historyOver(all),
      'alerts.acknowledge': (request) => {
        const r = request as { ids?: number[]; all?: boolean };
        for (const x of all) if (r.all || r.ids?.includes(x.id)) x.acknowledged = true;
        return { unacknowledged: all.filter((x) => !x.acknowledged).length + 10 };
      },
    });
    const store = createAlertsStore();
    await loadHistory(store, api);
    expect(store.getState().unacknowledged).toBe(3);
    const pending = acknowledge(store, api, [2]);
    // Optimistic: at once.
    expect(store.getState().unacknowledged).toBe(2);
    expect(store.getState().rows.find((r) => r.id === 2)?.acknowledged).toBe(true);
    await pending;
    expect(store.getState().unacknowledged).toBe(12); // the reply's count
    await acknowledge(store, api, 'all');
    expect(store.getState().rows.every((r) => r.acknowledged)).toBe(true);
    expect(store.getState().unacknowledged).toBe(10);
    expect(calls.filter((c) => c.channel === 'alerts.acknowledge').map((c) => c.request)).toEqual([
      { ids: [2] },
      { all: true },
    ]);
  });

  it('downloads CSV text in the browser, reports a native save, and cancellation', async () => {
    let reply = { savedTo: null as string | null, csv: 'id\n1\n' as string | null, rows: 1 };
    const { api, calls } = fakeApi({
      'alerts.export': () => ({ ...reply, fileName: 'pairdesk-alerts.csv' }),
    });
    const store = createAlertsStore();
    store.setState({ filter: { source: 'replay' } });
    const downloads: [string, string][] = [];
    await exportHistory(store, api, (name, text) => downloads.push([name, text]));
    expect(calls[0].request).toEqual({ source: 'replay' });
    expect(downloads).toEqual([['pairdesk-alerts.csv', 'id\n1\n']]);
    expect(store.getState().exportMessage).toBe('Downloaded 1 row as pairdesk-alerts.csv');
    reply = { savedTo: '/home/me/alerts.csv', csv: null, rows: 3 };
    await exportHistory(store, api, () => {
      throw new Error('no download expected');
    });
    expect(store.getState().exportMessage).toBe('Exported 3 rows: saved to /home/me/alerts.csv');
    reply = { savedTo: null, csv: null, rows: 0 };
    await exportHistory(store, api);
    expect(store.getState().exportMessage).toBe('Export cancelled');
  });
});

describe('virtual window', () => {
  it('renders only the rows in view plus the overscan, with spacers for the rest', () => {
    const w = virtualWindow(100_000, 26, 26 * 50_000 + 13, 520, 8);
    expect(w.start).toBe(50_000 - 8);
    expect(w.end).toBe(50_000 + 21 + 8);
    expect(w.padTop).toBe(w.start * 26);
    expect(w.padTop + (w.end - w.start) * 26 + w.padBottom).toBe(100_000 * 26);
  });

  it('clamps at both ends and handles empty tables', () => {
    expect(virtualWindow(0, 26, 100, 500)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    const top = virtualWindow(10, 26, -50, 500, 4);
    expect([top.start, top.end, top.padTop, top.padBottom]).toEqual([0, 10, 0, 0]);
    const end = virtualWindow(1_000, 26, 1e9, 520, 4);
    expect(end.end).toBe(1_000);
    expect(end.padBottom).toBe(0);
  });

  it('pages near the end and centres a row', () => {
    expect(nearEnd(500, 26, 0, 520, 50)).toBe(false);
    expect(nearEnd(500, 26, 26 * 430, 520, 50)).toBe(true);
    expect(nearEnd(10, 26, 0, 520)).toBe(true); // a page that does not fill the view
    expect(scrollTopFor(100, 26, 546)).toBe(100 * 26 - 260);
    expect(scrollTopFor(0, 26, 546)).toBe(0);
  });
});

describe('alert texts, levels and browser notifications', () => {
  it('reads like the OS notification', () => {
    const r = rec(1, { barStartMs: Date.UTC(2024, 6, 18, 23, 58) });
    expect(alertTitle(r)).toBe('BTCUSDT/ETHUSDT z = +2.41 (1m)');
    expect(alertBody(r)).toBe('Breach: z ≥ +2 · β = 0.05321 · bar 2024-07-18 23:58:00 UTC');
    expect(thresholdText(rec(2, { kind: 'revert', threshold: 0.5 }))).toBe('|z| ≤ 0.5');
    expect(thresholdText(rec(3, { side: 'lower', threshold: 3, kind: 'escalate' }))).toBe('z ≤ −3');
  });

  it('keeps 0 ≤ R < K < K_crit', () => {
    const levels = { rearm: 0.5, threshold: 2, critical: 3 };
    expect(alertLevelError('threshold', 2.5, levels)).toBeNull();
    expect(alertLevelError('threshold', 3, levels)).toMatch(/K must be < K_crit/);
    expect(alertLevelError('threshold', 0.5, levels)).toMatch(/K must be > R/);
    expect(alertLevelError('rearm', 2, levels)).toMatch(/R must be < K/);
    expect(alertLevelError('rearm', 0, levels)).toBeNull();
    expect(alertLevelError('critical', 2, levels)).toMatch(/K_crit must be > K/);
  });

  it('notifies in the page only without the preload, per enabled source, once per rule a minute', () => {
    const shown: { title: string; body: string }[] = [];
    class FakeNotification {
      static permission: NotificationPermission = 'granted';
      static requestPermission = () => Promise.resolve('granted' as NotificationPermission);
      onclick: (() => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body ?? '' });
      }
      close() {}
    }
    const Notification = FakeNotification as unknown as NonNullable<
      Parameters<typeof notifiesInPage>[0]['Notification']
    >;
    expect(notifiesInPage({ pairdesk: {}, Notification })).toBe(false);
    const notifier = new BrowserNotifier({ Notification }, () => {});
    const settings = { notifyLive: true, notifyDemo: false, notifyReplay: true };
    expect(sourceEnabled(settings, { source: 'demo' })).toBe(false);
    const n = notifier.notify(
      [
        rec(1),
        rec(2), // same rule within the minute: held back
        rec(3, { source: 'demo', rule: 'correlation' }), // demo not enabled
        rec(4, { rule: 'feed', value: 31, side: null }),
        rec(5, { rule: 'correlation', kind: 'revert' }), // reverts are quiet
      ],
      settings,
      Date.UTC(2024, 6, 19, 0, 0),
    );
    expect(n).toBe(2);
    expect(shown.map((s) => s.title)).toEqual([
      'REPLAY BTCUSDT/ETHUSDT z = +2.41 (1m)',
      'REPLAY Feed 31 s silent',
    ]);
    expect(notifier.notify([rec(6)], settings, Date.UTC(2024, 6, 19, 0, 0, 59))).toBe(0);
    expect(notifier.notify([rec(7)], settings, Date.UTC(2024, 6, 19, 0, 1))).toBe(1);
    expect(shown.at(-1)?.body).toMatch(/\n\(2 more breaches since 00:00:00 UTC\)$/);
    // In Electron the main process notifies: nothing here.
    const electron = new BrowserNotifier({ pairdesk: {}, Notification }, () => {});
    expect(electron.notify([rec(8)], settings, 0)).toBe(0);
  });
});

describe('markers, shortcut and summary input', () => {
  it('marks the event’s z on the z-score panel and the spread at its bar on the spread panel', () => {
    const columns = emptyColumns();
    columns.startMs.push(60_000, 120_000);
    columns.spread.push(10.5, 11.25);
    const events = [
      rec(1, { barStartMs: 120_000, value: -2.3, kind: 'breach', side: 'lower' }),
      rec(2, { barStartMs: 180_000, value: 0.2, kind: 'revert' }), // bar not in the rows
    ];
    expect(markerPoints(PANELS.zscore, events, columns, 2)).toEqual([
      { t: 120_000, y: -2.3, kind: 'breach', id: 1, focused: false },
      { t: 180_000, y: 0.2, kind: 'revert', id: 2, focused: true },
    ]);
    expect(markerPoints(PANELS.spread, events, columns, null)).toEqual([
      { t: 120_000, y: 11.25, kind: 'breach', id: 1, focused: false },
    ]);
    expect(markerPoints(PANELS.hedge, events, columns, null)).toEqual([]);
  });

  it('opens the Alerts tab with l or Ctrl+3', () => {
    const key = (k: string, ctrlKey = false) => ({
      key: k,
      ctrlKey,
      metaKey: false,
      altKey: false,
      target: null,
    });
    expect(shortcutFor(key('l'))).toEqual({ type: 'tab', tab: 'alerts' });
    expect(shortcutFor(key('3', true))).toEqual({ type: 'tab', tab: 'alerts' });
  });

  it('feeds the summary the last rows and a report of the same pair and timeframe only', () => {
    const columns = emptyColumns();
    columns.startMs.push(1, 2);
    columns.zscore.push(1.5, -2.5);
    columns.correlation.push(0.8, null);
    columns.betaRolling.push(18, null);
    const selection = {
      pairA: 'BTCUSDT',
      pairB: 'ETHUSDT',
      timeframe: '1s' as const,
      rollingWindow: 30,
      lookback: 1000,
      hedgeMethod: 'static' as const,
      kalmanDelta: 1e-7,
      kalmanVe: 10,
    };
    const report = {
      selection: { ...selection, rollingWindow: 60 },
      computedAtMs: 0,
      durationMs: 1,
      bars: 2,
      hedgeRegression: null,
      engleGranger: {
        ok: true as const,
        stat: -4,
        pvalue: 0.01,
        usedlag: 0,
        nobs: 2,
        crit: { '1%': -4, '5%': -3.4, '10%': -3.1 },
      },
      adf: { ok: false as const, reason: 'x' },
      halfLifeBars: 12,
      halfLifeMs: 12_000,
      hurst: null,
      reading: '',
    };
    const settings = { alertThreshold: 2, alertCritical: 3 };
    const input = summaryInput(selection, columns, report, settings);
    expect(input).toMatchObject({
      zLast: -2.5,
      zPrev: 1.5,
      correlation: null,
      betaLast: 18,
      egPValue: 0.01,
      halfLifeBars: 12,
      alertK: 2,
      alertCritical: 3,
    });
    const other = { ...report, selection: { ...selection, timeframe: '1m' as const } };
    expect(summaryInput(selection, columns, other, settings).egPValue).toBeNull();
  });
});
