/**
 * Alerts of the renderer (issue #9): the history table's rows, paged from `alerts.history`
 * (newest first) and kept current by `alerts` events; the unacknowledged count for the bell; the
 * toasts of new events; the events of the analytics selection for the chart markers; and the bar
 * to bring into view (`alertFocus`, a toast click).
 *
 * Ordering: events and replies share one ordered transport and the main side emits an event after
 * storing its rows, so rows are de-duplicated by id (ids grow with storage time): a live row whose
 * id is not above the newest one held is already there.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { AlertFilter, AlertRecord, EventMap } from '../../core/contract/contract';
import type { Timeframe } from '../../core/market/types';
import { formatInteger } from '../lib/format';
import type { RendererApi } from '../transport/types';

/** Rows per `alerts.history` page. */
export const PAGE_SIZE = 500;
/** Toasts shown at once; the rest are grouped as "+N more". */
export const MAX_TOASTS = 3;
/** A toast disappears after this long (ms). */
export const TOAST_MS = 8_000;
/** Marker events kept per selection (older ones are not drawn). */
export const MARKER_LIMIT = 2_000;

export type AlertsLoad = 'idle' | 'loading' | 'ready' | 'error';

export interface Toast {
  record: AlertRecord;
  /** Wall-clock ms the toast appeared (auto-dismiss after TOAST_MS). */
  shownAtMs: number;
}

/** A bar to bring into view on the Analytics tab. */
export interface FocusRequest {
  alertId: number;
  barStartMs: number;
  pairA: string;
  pairB: string;
  timeframe: Timeframe;
  /** Bumped per request, so focusing the same bar twice works twice. */
  seq: number;
}

/** The pair and timeframe the chart markers are for. */
export interface MarkerSelection {
  pairA: string;
  pairB: string;
  timeframe: Timeframe;
  datasetId: number;
}

export interface AlertsState {
  load: AlertsLoad;
  error: string | null;
  /** Rows matching `filter`, newest first (ids strictly decreasing). */
  rows: AlertRecord[];
  /** Rows matching `filter` on the main side (the table's scroll height). */
  total: number;
  unacknowledged: number;
  filter: AlertFilter;
  /** Bumped per first-page request: an older reply is dropped. */
  requestId: number;
  pageInFlight: boolean;
  toasts: Toast[];
  /** Toasts beyond MAX_TOASTS, grouped. */
  hiddenToasts: number;
  /** Result of the last export ("Exported 12 rows to …"), or its error. */
  exportMessage: string | null;
  markerSelection: MarkerSelection | null;
  /** Events of `markerSelection`, oldest first. */
  markers: AlertRecord[];
  focus: FocusRequest | null;

  beginLoad(filter?: AlertFilter): number;
  receiveFirstPage(requestId: number, page: HistoryPage): void;
  receiveNextPage(requestId: number, page: HistoryPage): void;
  failLoad(requestId: number, message: string): void;
  /** An `alerts` event: rows prepended when they match the filter, toasts, markers. */
  applyLive(event: EventMap['alerts'], nowMs?: number): void;
  markAcknowledged(ids: readonly number[] | 'all'): void;
  setUnacknowledged(count: number): void;
  dismissToast(id: number): void;
  dismissAllToasts(): void;
  /** Drops toasts older than TOAST_MS. */
  expireToasts(nowMs: number): void;
  setExportMessage(message: string | null): void;
  setMarkers(selection: MarkerSelection | null, records: AlertRecord[]): void;
  requestFocus(target: Omit<FocusRequest, 'seq'>): void;
  clearFocus(seq: number): void;
}

export type HistoryPage = { rows: AlertRecord[]; total: number; unacknowledged: number };

/** Whether a record matches a history filter. */
export function matchesFilter(record: AlertRecord, filter: AlertFilter): boolean {
  if (filter.pair && `${record.pairA}/${record.pairB}` !== filter.pair) return false;
  if (filter.rule && record.rule !== filter.rule) return false;
  if (filter.source && record.source !== filter.source) return false;
  return true;
}

/** Whether a record belongs on the charts of a selection (the z-score rule's events). */
export function matchesMarkers(record: AlertRecord, selection: MarkerSelection | null): boolean {
  return (
    selection !== null &&
    record.rule === 'zscore' &&
    record.pairA === selection.pairA &&
    record.pairB === selection.pairB &&
    record.timeframe === selection.timeframe &&
    record.datasetId === selection.datasetId
  );
}

function cleanFilter(filter: AlertFilter): AlertFilter {
  const out: AlertFilter = {};
  if (filter.pair) out.pair = filter.pair;
  if (filter.rule) out.rule = filter.rule;
  if (filter.source) out.source = filter.source;
  return out;
}

/** Toasts newest first, capped; the count beyond the cap. */
function capToasts(toasts: Toast[], hidden: number): { toasts: Toast[]; hiddenToasts: number } {
  if (toasts.length <= MAX_TOASTS) return { toasts, hiddenToasts: hidden };
  return {
    toasts: toasts.slice(0, MAX_TOASTS),
    hiddenToasts: hidden + toasts.length - MAX_TOASTS,
  };
}

export function createAlertsStore() {
  return createStore<AlertsState>()((set, get) => ({
    load: 'idle',
    error: null,
    rows: [],
    total: 0,
    unacknowledged: 0,
    filter: {},
    requestId: 0,
    pageInFlight: false,
    toasts: [],
    hiddenToasts: 0,
    exportMessage: null,
    markerSelection: null,
    markers: [],
    focus: null,

    beginLoad: (filter) => {
      const s = get();
      const next = filter === undefined ? s.filter : cleanFilter(filter);
      const changed = JSON.stringify(next) !== JSON.stringify(s.filter);
      set({
        filter: next,
        requestId: s.requestId + 1,
        pageInFlight: true,
        load: s.load === 'ready' && !changed ? 'ready' : 'loading',
        error: null,
        // Another filter: the rows held are not its rows.
        ...(changed ? { rows: [], total: 0 } : {}),
      });
      return get().requestId;
    },

    receiveFirstPage: (requestId, page) => {
      const s = get();
      if (s.requestId !== requestId) return;
      const head = page.rows[0]?.id ?? -Infinity;
      // Live rows that arrived after the reply was read are newer than its first row.
      const newer = s.rows.filter((r) => r.id > head);
      set({
        load: 'ready',
        error: null,
        rows: [...newer, ...page.rows],
        total: page.total + newer.length,
        unacknowledged: page.unacknowledged,
        pageInFlight: false,
      });
    },

    receiveNextPage: (requestId, page) => {
      const s = get();
      if (s.requestId !== requestId) return;
      const tail = s.rows[s.rows.length - 1]?.id ?? Infinity;
      const older = page.rows.filter((r) => r.id < tail);
      set({
        rows: older.length > 0 ? [...s.rows, ...older] : s.rows,
        // Rows stored since the first page count too: the reply's total is the newest.
        total: Math.max(page.total, s.rows.length + older.length),
        unacknowledged: page.unacknowledged,
        pageInFlight: false,
      });
    },

    failLoad: (requestId, message) => {
      const s = get();
      if (s.requestId !== requestId) return;
      set({
        pageInFlight: false,
        error: message,
        load: s.load === 'ready' ? 'ready' : 'error',
      });
    },

    applyLive: ({ added, unacknowledged }, nowMs = Date.now()) => {
      const s = get();
      if (added.length === 0) {
        if (unacknowledged !== s.unacknowledged) set({ unacknowledged });
        return;
      }
      // Oldest first in the event; the table is newest first.
      const head = s.rows[0]?.id ?? -Infinity;
      const fresh = added
        .filter((r) => r.id > head && matchesFilter(r, s.filter))
        .sort((a, b) => b.id - a.id);
      const lastMarker = s.markers[s.markers.length - 1]?.id ?? -Infinity;
      const markerAdds = added.filter(
        (r) => r.id > lastMarker && matchesMarkers(r, s.markerSelection),
      );
      const newToasts = [...added]
        .sort((a, b) => b.id - a.id)
        .map((record) => ({ record, shownAtMs: nowMs }));
      const capped = capToasts([...newToasts, ...s.toasts], s.hiddenToasts);
      let markers = s.markers;
      if (markerAdds.length > 0) {
        markers = [...s.markers, ...markerAdds.sort((a, b) => a.id - b.id)];
        if (markers.length > MARKER_LIMIT) markers = markers.slice(-MARKER_LIMIT);
      }
      set({
        rows: fresh.length > 0 ? [...fresh, ...s.rows] : s.rows,
        total: s.total + fresh.length,
        unacknowledged,
        markers,
        ...capped,
      });
    },

    markAcknowledged: (ids) => {
      const s = get();
      const wanted = ids === 'all' ? null : new Set(ids);
      let newlyAcked = 0;
      const ack = (r: AlertRecord): AlertRecord => {
        if (r.acknowledged || (wanted && !wanted.has(r.id))) return r;
        newlyAcked += 1;
        return { ...r, acknowledged: true };
      };
      const rows = s.rows.map(ack);
      const counted = newlyAcked;
      const markers = s.markers.map(ack);
      const toasts = s.toasts.map((t) => ({ ...t, record: ack(t.record) }));
      set({
        rows,
        markers,
        toasts,
        // The reply brings the exact count; meanwhile what is known to be acknowledged.
        unacknowledged: ids === 'all' ? 0 : Math.max(0, s.unacknowledged - counted),
      });
    },

    setUnacknowledged: (count) => set({ unacknowledged: Math.max(0, count) }),

    dismissToast: (id) => {
      const s = get();
      set({ toasts: s.toasts.filter((t) => t.record.id !== id) });
    },

    dismissAllToasts: () => set({ toasts: [], hiddenToasts: 0 }),

    expireToasts: (nowMs) => {
      const s = get();
      const kept = s.toasts.filter((t) => nowMs - t.shownAtMs < TOAST_MS);
      if (kept.length === s.toasts.length) return;
      // The grouped ones were as old as the ones shown: they go with the last of them.
      set({ toasts: kept, hiddenToasts: kept.length === 0 ? 0 : s.hiddenToasts });
    },

    setExportMessage: (message) => set({ exportMessage: message }),

    setMarkers: (selection, records) => {
      const sorted = records
        .filter((r) => matchesMarkers(r, selection))
        .sort((a, b) => a.id - b.id)
        .slice(-MARKER_LIMIT);
      set({ markerSelection: selection, markers: sorted });
    },

    requestFocus: (target) => {
      const seq = (get().focus?.seq ?? 0) + 1;
      set({ focus: { ...target, seq } });
    },

    clearFocus: (seq) => {
      if (get().focus?.seq === seq) set({ focus: null });
    },
  }));
}

export type AlertsStore = ReturnType<typeof createAlertsStore>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Loads the first page of the history (with `filter`, or the current one). */
export function loadHistory(
  store: AlertsStore,
  api: RendererApi,
  filter?: AlertFilter,
): Promise<void> {
  const requestId = store.getState().beginLoad(filter);
  const request = { ...store.getState().filter, limit: PAGE_SIZE };
  return api.invoke('alerts.history', request).then(
    (page) => store.getState().receiveFirstPage(requestId, page),
    (error: unknown) => store.getState().failLoad(requestId, messageOf(error)),
  );
}

/** Pages older rows in, unless a request is in flight or every row is held. */
export function loadMore(store: AlertsStore, api: RendererApi): Promise<void> {
  const s = store.getState();
  if (s.pageInFlight || s.load !== 'ready' || s.rows.length >= s.total) return Promise.resolve();
  const last = s.rows[s.rows.length - 1];
  if (!last) return Promise.resolve();
  const requestId = s.requestId;
  store.setState({ pageInFlight: true });
  return api.invoke('alerts.history', { ...s.filter, limit: PAGE_SIZE, beforeId: last.id }).then(
    (page) => store.getState().receiveNextPage(requestId, page),
    (error: unknown) => store.getState().failLoad(requestId, messageOf(error)),
  );
}

/** Acknowledges one row, several, or every row; the reply's count wins. */
export async function acknowledge(
  store: AlertsStore,
  api: RendererApi,
  ids: readonly number[] | 'all',
): Promise<void> {
  store.getState().markAcknowledged(ids);
  try {
    const reply = await api.invoke(
      'alerts.acknowledge',
      ids === 'all' ? { all: true } : { ids: [...ids] },
    );
    store.getState().setUnacknowledged(reply.unacknowledged);
  } catch (error) {
    store.getState().setExportMessage(`Could not acknowledge: ${messageOf(error)}`);
    // The rows shown may now claim more than main stored: reload them.
    void loadHistory(store, api);
  }
}

/** Saves a file in the browser: `download(fileName, text)`. */
export type Downloader = (fileName: string, text: string) => void;

/** A CSV download through a Blob URL (browser mode, no native save dialog). */
export function blobDownload(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: Chromium starts the download asynchronously from the URL.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Exports the filtered history: a native save dialog, or CSV text to download here. */
export async function exportHistory(
  store: AlertsStore,
  api: RendererApi,
  download: Downloader = blobDownload,
): Promise<void> {
  try {
    const reply = await api.invoke('alerts.export', store.getState().filter);
    const rows = `${formatInteger(reply.rows)} row${reply.rows === 1 ? '' : 's'}`;
    if (reply.csv !== null) {
      download(reply.fileName, reply.csv);
      store.getState().setExportMessage(`Downloaded ${rows} as ${reply.fileName}`);
    } else if (reply.savedTo !== null) {
      store.getState().setExportMessage(`Exported ${rows}: saved to ${reply.savedTo}`);
    } else {
      store.getState().setExportMessage('Export cancelled');
    }
  } catch (error) {
    store.getState().setExportMessage(`Could not export: ${messageOf(error)}`);
  }
}

/** Loads the chart markers of a selection (its most recent MARKER_LIMIT z-score events). */
export function loadMarkers(
  store: AlertsStore,
  api: RendererApi,
  selection: MarkerSelection,
): Promise<void> {
  store.getState().setMarkers(selection, []);
  return api
    .invoke('alerts.history', {
      pair: `${selection.pairA}/${selection.pairB}`,
      rule: 'zscore',
      limit: MARKER_LIMIT,
    })
    .then(
      (page) => {
        const current = store.getState().markerSelection;
        if (current !== selection) return; // another selection since
        // Live events may have arrived meanwhile: keep them (de-duplicated by id).
        const byId = new Map(page.rows.map((r) => [r.id, r]));
        for (const r of store.getState().markers) byId.set(r.id, r);
        store.getState().setMarkers(selection, [...byId.values()]);
      },
      () => {
        // No markers is not fatal: the table says why the history cannot be read.
      },
    );
}

export interface AlertsConnectOptions {
  /** Called with every new record (browser notifications). */
  onAdded?: (records: AlertRecord[]) => void;
  /** `alertFocus`: the user clicked an OS notification. */
  onFocus?: (focus: EventMap['alertFocus']) => void;
}

/**
 * Subscribes the store to `alerts` and `alertFocus` and loads the first history page (again
 * after a reconnect). Returns the cleanup.
 */
export function connectAlerts(
  store: AlertsStore,
  api: RendererApi,
  options: AlertsConnectOptions = {},
): () => void {
  const unsubscribers = [
    api.on('alerts', (payload) => {
      store.getState().applyLive(payload);
      if (payload.added.length > 0) options.onAdded?.(payload.added);
    }),
    api.on('alertFocus', (focus) => {
      store.getState().requestFocus({
        alertId: focus.alertId,
        barStartMs: focus.barStartMs,
        pairA: focus.pairA,
        pairB: focus.pairB,
        timeframe: focus.timeframe,
      });
      options.onFocus?.(focus);
    }),
  ];
  if (api.onReopen) {
    unsubscribers.push(
      api.onReopen(() => {
        void loadHistory(store, api);
        const selection = store.getState().markerSelection;
        if (selection) void loadMarkers(store, api, selection);
      }),
    );
  }
  void loadHistory(store, api);
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/** The app-wide alerts store. */
export const alertsStore = createAlertsStore();

export function useAlerts<T>(selector: (state: AlertsState) => T): T {
  return useStore(alertsStore, selector);
}
