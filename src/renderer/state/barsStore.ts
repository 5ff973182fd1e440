/**
 * Bars per (symbol, timeframe): history from `bars.history`, extended by `bars` events.
 *
 * Bar arrays are large and mutated in place (see barsMerge); every change publishes a new
 * series object (`rev` + 1) so React and chart subscribers notice. `epoch` changes when
 * consumers must rebuild (history loaded, old bars trimmed, a revision deep in the series);
 * otherwise only the last TAIL_WINDOW bars of the previous length can have changed, plus
 * appended ones — charts re-sync just that tail.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { EventMap, PairDeskApi } from '../../core/contract/contract';
import type { Bar, Timeframe } from '../../core/market/types';
import { mergeClosed, mergeInProgress, seriesKey, timeframeOfMs } from './barsMerge';

/** Changes at or after `previousLength - TAIL_WINDOW` are tail changes (no epoch bump). */
export const TAIL_WINDOW = 4;

export type BarEvent = EventMap['bars'];

export interface BarSeries {
  key: string;
  symbol: string;
  timeframe: Timeframe;
  /** Bars kept: the lookback; a little more is tolerated before trimming. */
  limit: number;
  /** Oldest first; the last one may be in progress. Mutated in place — read, never write. */
  bars: Bar[];
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  rev: number;
  epoch: number;
  /** Bumped per history request: a new load (not a trim) — charts reset their zoom. */
  loadId: number;
  /** A history request is in flight. */
  inFlight: boolean;
  /** Events received while the history request was in flight, replayed after it. */
  pending: BarEvent[];
  /** performance.now() when the current history arrived (benchmarks: cold render time). */
  historyAtMs: number | null;
}

export interface BarsState {
  series: Record<string, BarSeries>;
  /** Starts (or restarts) a history load; returns its loadId. */
  beginLoad(symbol: string, timeframe: Timeframe, limit: number): number;
  receiveHistory(key: string, loadId: number, bars: Bar[]): void;
  failHistory(key: string, loadId: number, message: string): void;
  /** Applies a batch of `bars` events in order, in one store update. */
  applyEvents(events: readonly BarEvent[]): void;
  /** Drops every series whose key is not listed. */
  retain(keys: readonly string[]): void;
}

/** Trim only once the series is this much over its limit, so trims (rebuilds) stay rare. */
function trimSlack(limit: number): number {
  return Math.max(50, Math.ceil(limit * 0.1));
}

/** Merges one event's bars into `series`; returns the first changed index or -1. */
function mergeEvent(series: BarSeries, closed: readonly Bar[], inProgress: readonly Bar[]): number {
  let first = -1;
  const note = (i: number) => {
    if (i >= 0 && (first < 0 || i < first)) first = i;
  };
  for (const bar of closed) note(mergeClosed(series.bars, bar));
  for (const bar of inProgress) note(mergeInProgress(series.bars, bar));
  return first;
}

function trim(series: BarSeries): boolean {
  const excess = series.bars.length - series.limit;
  if (excess <= 0 || series.bars.length <= series.limit + trimSlack(series.limit)) return false;
  series.bars.splice(0, excess);
  return true;
}

export function createBarsStore() {
  return createStore<BarsState>()((set, get) => ({
    series: {},

    beginLoad: (symbol, timeframe, limit) => {
      const key = seriesKey(symbol, timeframe);
      const previous = get().series[key];
      const loadId = (previous?.loadId ?? 0) + 1;
      const next: BarSeries = {
        key,
        symbol,
        timeframe,
        limit,
        // Keep showing the old bars while reloading (e.g. after a reconnect).
        bars: previous?.bars ?? [],
        status: previous && previous.bars.length > 0 ? previous.status : 'loading',
        error: null,
        rev: (previous?.rev ?? 0) + 1,
        epoch: previous?.epoch ?? 0,
        loadId,
        inFlight: true,
        pending: [],
        historyAtMs: null,
      };
      if (next.status === 'error') next.status = 'loading';
      set((state) => ({ series: { ...state.series, [key]: next } }));
      return loadId;
    },

    receiveHistory: (key, loadId, history) => {
      const current = get().series[key];
      if (!current || current.loadId !== loadId) return; // superseded
      const next: BarSeries = {
        ...current,
        bars: history.slice(),
        status: 'ready',
        error: null,
        rev: current.rev + 1,
        epoch: current.epoch + 1,
        inFlight: false,
        pending: [],
        historyAtMs: performance.now(),
      };
      for (const event of current.pending) mergeEvent(next, event.closed, event.inProgress);
      trim(next);
      set((state) => ({ series: { ...state.series, [key]: next } }));
    },

    failHistory: (key, loadId, message) => {
      const current = get().series[key];
      if (!current || current.loadId !== loadId) return;
      set((state) => ({
        series: {
          ...state.series,
          [key]: {
            ...current,
            status: current.bars.length > 0 ? current.status : 'error',
            error: message,
            inFlight: false,
            pending: [],
            rev: current.rev + 1,
          },
        },
      }));
    },

    applyEvents: (events) => {
      const all = get().series;
      // Group each event's bars by series key, preserving order.
      const grouped = new Map<string, { closed: Bar[]; inProgress: Bar[] }[]>();
      for (const event of events) {
        const perKey = new Map<string, { closed: Bar[]; inProgress: Bar[] }>();
        const add = (bar: Bar, kind: 'closed' | 'inProgress') => {
          const tf = timeframeOfMs(bar.timeframeMs);
          if (!tf) return;
          const key = seriesKey(bar.symbol, tf);
          if (!all[key]) return;
          let slot = perKey.get(key);
          if (!slot) {
            slot = { closed: [], inProgress: [] };
            perKey.set(key, slot);
          }
          slot[kind].push(bar);
        };
        for (const bar of event.closed) add(bar, 'closed');
        for (const bar of event.inProgress) add(bar, 'inProgress');
        for (const [key, slot] of perKey) {
          let list = grouped.get(key);
          if (!list) grouped.set(key, (list = []));
          list.push(slot);
        }
      }
      if (grouped.size === 0) return;
      const updates: Record<string, BarSeries> = {};
      for (const [key, slots] of grouped) {
        const current = all[key];
        const pending = current.inFlight ? [...current.pending, ...slots] : current.pending;
        if (current.status === 'loading') {
          updates[key] = { ...current, pending };
          continue;
        }
        // While a reload is in flight the shown bars still move; the events are also kept to
        // be replayed on top of the fresh history.
        const next: BarSeries = { ...current, pending };
        const before = next.bars.length;
        let first = -1;
        for (const slot of slots) {
          const i = mergeEvent(next, slot.closed, slot.inProgress);
          if (i >= 0 && (first < 0 || i < first)) first = i;
        }
        if (first < 0) {
          if (current.inFlight) updates[key] = next;
          continue;
        }
        const deep = first < before - TAIL_WINDOW;
        const trimmed = trim(next);
        next.rev += 1;
        if (deep || trimmed) next.epoch += 1;
        updates[key] = next;
      }
      if (Object.keys(updates).length === 0) return;
      set((state) => ({ series: { ...state.series, ...updates } }));
    },

    retain: (keys) => {
      const keep = new Set(keys);
      const current = get().series;
      if (Object.keys(current).every((k) => keep.has(k))) return;
      const next: Record<string, BarSeries> = {};
      for (const [k, v] of Object.entries(current)) if (keep.has(k)) next[k] = v;
      set({ series: next });
    },
  }));
}

export type BarsStore = ReturnType<typeof createBarsStore>;

export interface SeriesRequest {
  symbol: string;
  timeframe: Timeframe;
  limit: number;
}

/**
 * Makes the store hold exactly the requested series: loads the history of those that are new
 * or whose limit changed (or all of them when `force`, e.g. after a reconnect), drops the rest.
 */
export function syncSeries(
  store: BarsStore,
  api: PairDeskApi,
  requests: readonly SeriesRequest[],
  force = false,
): Promise<void> {
  const keys = requests.map((r) => seriesKey(r.symbol, r.timeframe));
  store.getState().retain(keys);
  const loads: Promise<void>[] = [];
  for (const request of requests) {
    const key = seriesKey(request.symbol, request.timeframe);
    const existing = store.getState().series[key];
    if (existing && existing.limit === request.limit && !force) continue;
    const loadId = store.getState().beginLoad(request.symbol, request.timeframe, request.limit);
    loads.push(
      api
        .invoke('bars.history', {
          symbol: request.symbol,
          timeframe: request.timeframe,
          limit: request.limit,
        })
        .then(
          (bars) => store.getState().receiveHistory(key, loadId, bars),
          (error: unknown) =>
            store
              .getState()
              .failHistory(key, loadId, error instanceof Error ? error.message : String(error)),
        ),
    );
  }
  return Promise.all(loads).then(() => undefined);
}

/** The app-wide bars store. */
export const barsStore = createBarsStore();

export function useBars<T>(selector: (state: BarsState) => T): T {
  return useStore(barsStore, selector);
}
