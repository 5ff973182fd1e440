/**
 * Pair analytics of the renderer: the series from `analytics.series`, kept current by
 * `analytics` events (reset = replace, else append), and the last stationarity report.
 * The renderer computes no statistics: rows are stored as the main side sent them, except that
 * any non-finite value becomes null (so NaN can never reach the screen).
 *
 * Like the bars store, the column arrays are large and mutated in place; every change publishes
 * a new state (`rev` + 1) and `epoch` changes when consumers must rebuild (a reset, a trim, a
 * revision deep in the series) — otherwise only the last TAIL_WINDOW rows of the previous length
 * can have changed, plus appended ones.
 *
 * Ordering: events and replies share one ordered transport, and the main side emits events after
 * the rows are in its series, so every event that ARRIVED before a `analytics.series` reply is
 * already contained in it. Each event and reply is stamped with its arrival sequence number when
 * it arrives (before the frame coalescer delays the events); an event older than the reply the
 * rows come from is dropped. Appended rows that the reply already holds are de-duplicated by
 * their startMs.
 *
 * Loads: the series is requested at start and after a reconnect. A selection change is NOT a
 * request: the main side recomputes and always emits the new series as a reset event (reset
 * events carry every retained row), so a request would send the same rows twice (two ~10 MB
 * frames and two chart rebuilds at a 100 k lookback). Only if no reset for the wanted selection
 * arrives within `resetWaitMs` (worker down, analytics unavailable) is the series requested.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type {
  AnalyticsColumns,
  AnalyticsSelection,
  AnalyticsSeries,
  EventMap,
  Settings,
  StationarityReport,
} from '../../core/contract/contract';
import { ANALYTICS_COLUMNS, ANALYTICS_NULLABLE_COLUMNS } from '../../core/contract/contract';
import type { RendererApi } from '../transport/types';
import { TAIL_WINDOW } from './barsStore';
import { FrameCoalescer, immediateScheduler } from './frameCoalescer';
import type { FrameScheduler } from './frameCoalescer';
import type { SessionStore } from './sessionStore';
import { analyticsSelectionOf, sameSelection } from '../../core/contract/analyticsSelection';

export type AnalyticsEvent = EventMap['analytics'];

/** An `analytics` event with the order in which it arrived from the transport. */
export interface ArrivedEvent {
  seq: number;
  payload: AnalyticsEvent;
}

export type AnalyticsLoad = 'idle' | 'loading' | 'ready' | 'error';

export const NULLABLE_COLUMNS = ANALYTICS_NULLABLE_COLUMNS;
export const COLUMN_KEYS = ANALYTICS_COLUMNS;

/** One aligned bar, as plain values (debug hook, tooltips). */
export type AnalyticsRow = {
  startMs: number;
  closeA: number | null;
  closeB: number | null;
} & { [K in (typeof NULLABLE_COLUMNS)[number]]: number | null };

export interface AnalyticsState {
  load: AnalyticsLoad;
  /** Why the last `analytics.series` request failed; null when fine. */
  error: string | null;
  /** What the rows were computed on (from the main side); null before the first series. */
  selection: AnalyticsSelection | null;
  /** Oldest first, one array per field, same length. Mutated in place — read, never write. */
  columns: AnalyticsColumns;
  /** Plain-words reason why the last row has no z-score yet, from the main side. */
  warmup: string | null;
  rev: number;
  epoch: number;
  /** Bumped per `analytics.series` request. */
  loadId: number;
  inFlight: boolean;
  /** Arrival sequence of the reply or reset the rows come from; older events are dropped. */
  baseSeq: number;
  /** An append did not fit the rows held (another selection): a reload is wanted. */
  stale: boolean;

  report: StationarityReport | null;
  testsRunning: boolean;
  testsError: string | null;

  beginLoad(): number;
  /**
   * The selection changed: its rows will come as a reset event. Supersedes a load in flight (its
   * reply holds another selection) and keeps showing the rows held meanwhile.
   */
  awaitReset(): void;
  receiveSeries(loadId: number, series: AnalyticsSeries, seq: number): void;
  failLoad(loadId: number, message: string): void;
  /** Applies a batch of events in arrival order, in one store update. */
  applyEvents(events: readonly ArrivedEvent[]): void;
  /** Keeps the newest report (by computedAtMs). */
  applyReport(report: StationarityReport | null): void;
  setTestsRunning(running: boolean, error?: string | null): void;
}

export function emptyColumns(): AnalyticsColumns {
  return {
    startMs: [],
    closeA: [],
    closeB: [],
    hedgeRatio: [],
    spread: [],
    spreadMean: [],
    spreadStd: [],
    zscore: [],
    correlation: [],
    betaRolling: [],
    betaKalman: [],
    volA: [],
    volB: [],
  };
}

/** A finite number, else null: the only values a nullable column may hold here. */
function clean(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Rows of an incoming payload (shortest column wins, so a malformed payload cannot misalign). */
function rowCount(columns: AnalyticsColumns): number {
  let n = Infinity;
  for (const key of COLUMN_KEYS) n = Math.min(n, columns[key]?.length ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/**
 * The rows of a series payload, sanitised: rows with a finite startMs above the previous kept
 * one (the main side sends them sorted; this guards), up to the shortest column; non-finite
 * closes become NaN, non-finite nullable values null.
 *
 * A reset carries every retained row (100 k × 13 values). In the normal case (all rows kept,
 * columns of one length) the payload's own arrays are cleaned in place and adopted: the
 * transport hands each message over freshly decoded, nobody else holds them, and a copy cost
 * the page ~50–180 ms per reset. Otherwise the kept rows are copied.
 */
function cleanColumns(columns: AnalyticsColumns): AnalyticsColumns {
  const n = rowCount(columns);
  let last = -Infinity;
  let sorted = true;
  for (let i = 0; i < n && sorted; i++) {
    const t = columns.startMs[i];
    sorted = typeof t === 'number' && Number.isFinite(t) && t > last;
    last = t;
  }
  if (
    !sorted ||
    COLUMN_KEYS.some((key) => !Array.isArray(columns[key]) || columns[key].length !== n)
  ) {
    return copyCleanRows(columns);
  }
  const out = {} as AnalyticsColumns;
  for (const key of COLUMN_KEYS) out[key] = columns[key] as number[] & (number | null)[];
  // The same rules as pushRow, applied in place.
  for (const key of ['closeA', 'closeB'] as const) {
    const column = out[key];
    for (let i = 0; i < n; i++) column[i] = clean(column[i]) ?? Number.NaN;
  }
  for (const key of NULLABLE_COLUMNS) {
    const column = out[key];
    for (let i = 0; i < n; i++) column[i] = clean(column[i]);
  }
  return out;
}

/** Copy of the rows with a finite startMs above the previous kept one, sanitised. */
function copyCleanRows(columns: AnalyticsColumns): AnalyticsColumns {
  const out = emptyColumns();
  const n = rowCount(columns);
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = columns.startMs[i];
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= last) continue;
    last = t;
    pushRow(out, columns, i);
  }
  return out;
}

function pushRow(target: AnalyticsColumns, source: AnalyticsColumns, i: number): void {
  target.startMs.push(source.startMs[i]);
  // closeA/closeB are numbers in the contract; a non-finite one is kept as NaN and shown as "—".
  target.closeA.push(clean(source.closeA[i]) ?? Number.NaN);
  target.closeB.push(clean(source.closeB[i]) ?? Number.NaN);
  for (const key of NULLABLE_COLUMNS) target[key].push(clean(source[key][i]));
}

/** Overwrites row j of `target` with row i of `source`; returns whether anything changed. */
function overwriteRow(
  target: AnalyticsColumns,
  j: number,
  source: AnalyticsColumns,
  i: number,
): boolean {
  let changed = false;
  const closeA = clean(source.closeA[i]) ?? Number.NaN;
  const closeB = clean(source.closeB[i]) ?? Number.NaN;
  if (!Object.is(target.closeA[j], closeA)) {
    target.closeA[j] = closeA;
    changed = true;
  }
  if (!Object.is(target.closeB[j], closeB)) {
    target.closeB[j] = closeB;
    changed = true;
  }
  for (const key of NULLABLE_COLUMNS) {
    const v = clean(source[key][i]);
    if (target[key][j] !== v) {
      target[key][j] = v;
      changed = true;
    }
  }
  return changed;
}

/** Index of the first row with startMs >= t. */
export function lowerBoundMs(startMs: readonly number[], t: number): number {
  let lo = 0;
  let hi = startMs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (startMs[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Row i as plain values, or null when out of range. */
export function rowAt(columns: AnalyticsColumns, i: number): AnalyticsRow | null {
  if (i < 0 || i >= columns.startMs.length) return null;
  const row = {
    startMs: columns.startMs[i],
    closeA: clean(columns.closeA[i]),
    closeB: clean(columns.closeB[i]),
  } as AnalyticsRow;
  for (const key of NULLABLE_COLUMNS) row[key] = clean(columns[key][i]);
  return row;
}

/** Trim only once the rows are this much over the lookback, so trims (rebuilds) stay rare. */
function trimSlack(limit: number): number {
  return Math.max(50, Math.ceil(limit * 0.1));
}

function trimTo(columns: AnalyticsColumns, limit: number): boolean {
  const excess = columns.startMs.length - limit;
  if (limit <= 0 || excess <= 0 || columns.startMs.length <= limit + trimSlack(limit)) return false;
  for (const key of COLUMN_KEYS) columns[key].splice(0, excess);
  return true;
}

/**
 * Merges appended rows into `columns`: a row after the last one is appended, a row with a known
 * startMs overwrites it (a revision, or a row the reply already had), an unknown older row is
 * ignored. Returns the first changed index or -1.
 */
function mergeRows(columns: AnalyticsColumns, incoming: AnalyticsColumns): number {
  let first = -1;
  const n = rowCount(incoming);
  for (let i = 0; i < n; i++) {
    const t = incoming.startMs[i];
    if (typeof t !== 'number' || !Number.isFinite(t)) continue;
    const len = columns.startMs.length;
    if (len === 0 || columns.startMs[len - 1] < t) {
      pushRow(columns, incoming, i);
      if (first < 0) first = len;
      continue;
    }
    const j = lowerBoundMs(columns.startMs, t);
    if (j < len && columns.startMs[j] === t && overwriteRow(columns, j, incoming, i)) {
      if (first < 0 || j < first) first = j;
    }
  }
  return first;
}

/**
 * A new load (a request, or waiting for a reset): supersedes any reply in flight, and keeps
 * showing the rows held meanwhile (e.g. after a reconnect or a selection change).
 */
function nextLoad(s: AnalyticsState, inFlight: boolean): Partial<AnalyticsState> {
  return {
    loadId: s.loadId + 1,
    inFlight,
    stale: false,
    load: s.load === 'ready' ? 'ready' : 'loading',
    error: null,
  };
}

export function createAnalyticsStore() {
  return createStore<AnalyticsState>()((set, get) => ({
    load: 'idle',
    error: null,
    selection: null,
    columns: emptyColumns(),
    warmup: null,
    rev: 0,
    epoch: 0,
    loadId: 0,
    inFlight: false,
    baseSeq: 0,
    stale: false,
    report: null,
    testsRunning: false,
    testsError: null,

    beginLoad: () => {
      set((s) => nextLoad(s, true));
      return get().loadId;
    },

    awaitReset: () => set((s) => nextLoad(s, false)),

    receiveSeries: (loadId, series, seq) => {
      const current = get();
      if (current.loadId !== loadId) return; // superseded by a newer request
      // A reset that arrived after this reply is newer: keep it (the reply is stale).
      if (seq < current.baseSeq) {
        set({ inFlight: false });
        return;
      }
      set({
        load: 'ready',
        error: null,
        selection: series.selection,
        columns: cleanColumns(series.columns),
        warmup: series.warmup,
        rev: current.rev + 1,
        epoch: current.epoch + 1,
        inFlight: false,
        baseSeq: seq,
        stale: false,
      });
    },

    failLoad: (loadId, message) => {
      const current = get();
      if (current.loadId !== loadId) return;
      set({
        inFlight: false,
        error: message,
        load: current.load === 'ready' ? 'ready' : 'error',
      });
    },

    applyEvents: (events) => {
      const start = get();
      const { epoch } = start;
      let { selection, columns, warmup, baseSeq, load, stale } = start;
      let changedFrom = -1;
      let before = columns.startMs.length;
      let rebuilt = false;
      let touched = false;
      for (const { seq, payload } of events) {
        if (seq < baseSeq) continue; // already contained in the reply the rows come from
        if (payload.reset) {
          selection = payload.selection;
          columns = cleanColumns(payload.columns);
          warmup = payload.warmup;
          baseSeq = seq;
          load = 'ready';
          stale = false;
          rebuilt = true;
          touched = true;
          changedFrom = -1;
          before = columns.startMs.length;
          continue;
        }
        // Appends need the rows they continue: nothing held yet, or another selection's rows.
        if (load !== 'ready' || !sameSelection(selection, payload.selection)) {
          if (load === 'ready') stale = true;
          continue;
        }
        // Mutated in place like the bars; the new state object tells subscribers.
        const first = mergeRows(columns, payload.columns);
        warmup = payload.warmup;
        touched = true;
        if (first >= 0 && (changedFrom < 0 || first < changedFrom)) changedFrom = first;
      }
      if (!touched) {
        if (stale !== start.stale) set({ stale });
        return;
      }
      const deep = changedFrom >= 0 && changedFrom < before - TAIL_WINDOW;
      const limit = selection?.lookback ?? 0;
      const trimmed = trimTo(columns, limit);
      const bump = rebuilt || deep || trimmed;
      const dataChanged = rebuilt || changedFrom >= 0 || trimmed;
      if (!dataChanged && warmup === start.warmup && stale === start.stale) return;
      set({
        selection,
        columns,
        warmup,
        load,
        baseSeq,
        stale,
        error: rebuilt ? null : start.error,
        rev: dataChanged ? start.rev + 1 : start.rev,
        epoch: bump ? epoch + 1 : epoch,
      });
    },

    applyReport: (report) => {
      if (!report) return;
      const current = get().report;
      if (current && current.computedAtMs > report.computedAtMs) return;
      set({ report });
    },

    setTestsRunning: (running, error = null) => set({ testsRunning: running, testsError: error }),
  }));
}

export type AnalyticsStore = ReturnType<typeof createAnalyticsStore>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface AnalyticsConnectOptions {
  /** Frame scheduler of the event coalescer; default: apply at once. */
  scheduler?: FrameScheduler;
  /** Delay before retrying a failed load while nothing is shown (ms); default 1500. */
  retryMs?: number;
  /**
   * After a selection change, how long to wait for the main side's reset event before requesting
   * the series instead (ms); default 2000 (a 100 k-bar recompute takes ~0.3 s).
   */
  resetWaitMs?: number;
}

/**
 * Subscribes the analytics store to `analytics` and `stationarity` events (coalesced per frame),
 * loads the series once the settings are known, again on every selection change and after a
 * reconnect, and loads the last stationarity report. Returns the cleanup.
 */
export function connectAnalytics(
  store: AnalyticsStore,
  session: SessionStore,
  api: RendererApi,
  options: AnalyticsConnectOptions = {},
): () => void {
  let active = true;
  let arrivals = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let resetTimer: ReturnType<typeof setTimeout> | null = null;
  const retryMs = options.retryMs ?? 1500;
  const resetWaitMs = options.resetWaitMs ?? 2000;
  let wanted: AnalyticsSelection | null = null;

  const coalescer = new FrameCoalescer<'analytics', ArrivedEvent>(
    options.scheduler ?? immediateScheduler,
    (_panel, events) => store.getState().applyEvents(events),
  );

  const clearRetry = () => {
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
  };
  const clearResetWait = () => {
    if (resetTimer !== null) clearTimeout(resetTimer);
    resetTimer = null;
  };
  /** The rows held are the wanted selection's (from a reply or a reset event). */
  const holdsWanted = () => {
    const state = store.getState();
    return state.load === 'ready' && sameSelection(state.selection, wanted);
  };

  const loadSeries = () => {
    const settings = session.getState().settings;
    if (!active || !settings) return;
    clearRetry();
    clearResetWait();
    const loadId = store.getState().beginLoad();
    api.invoke('analytics.series', { limit: settings.lookback }).then(
      (series) => {
        // Stamped on arrival: every event stamped before it is contained in it.
        const seq = ++arrivals;
        if (active) store.getState().receiveSeries(loadId, series, seq);
      },
      (error: unknown) => {
        if (!active) return;
        store.getState().failLoad(loadId, messageOf(error));
        // e.g. "analytics not configured yet" right after start: a reset event or a retry fixes it.
        if (store.getState().load !== 'ready' && store.getState().loadId === loadId) {
          retryTimer = setTimeout(() => {
            retryTimer = null;
            if (store.getState().load !== 'ready') loadSeries();
          }, retryMs);
        }
      },
    );
  };

  const loadReport = () => {
    api.invoke('analytics.lastTests', null).then(
      (report) => {
        if (active) store.getState().applyReport(report);
      },
      () => {
        // Not fatal: the next scheduled run brings a report.
      },
    );
  };

  const unsubscribers = [
    api.on('analytics', (payload) => coalescer.push('analytics', { seq: ++arrivals, payload })),
    api.on('stationarity', (report) => store.getState().applyReport(report)),
  ];

  const awaitReset = () => {
    clearResetWait();
    store.getState().awaitReset();
    resetTimer = setTimeout(() => {
      resetTimer = null;
      if (active && !holdsWanted()) loadSeries();
    }, resetWaitMs);
  };

  const onSettings = (settings: Settings | null) => {
    if (!settings) return;
    const next = analyticsSelectionOf(settings);
    if (sameSelection(wanted, next)) return;
    const first = wanted === null;
    wanted = next;
    if (first) {
      loadSeries();
      loadReport();
    } else if (!holdsWanted()) {
      // The reset event may even have come first (it races the settings reply).
      awaitReset();
    }
  };
  unsubscribers.push(
    session.subscribe((state, previous) => {
      if (state.settings !== previous.settings) onSettings(state.settings);
    }),
  );
  unsubscribers.push(
    store.subscribe((state, previous) => {
      if (state.stale && !previous.stale && !state.inFlight) loadSeries();
      if (resetTimer !== null && holdsWanted()) clearResetWait();
    }),
  );
  if (api.onReopen) {
    unsubscribers.push(
      api.onReopen(() => {
        loadSeries();
        loadReport();
      }),
    );
  }
  onSettings(session.getState().settings);

  return () => {
    active = false;
    clearRetry();
    clearResetWait();
    coalescer.dispose();
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/**
 * Runs the stationarity tests now. The report also arrives as a `stationarity` event; the reply
 * is applied too (newest wins). Resolves true on success; the error is kept for the panel.
 */
export async function runStationarityTests(
  store: AnalyticsStore,
  api: RendererApi,
): Promise<boolean> {
  if (store.getState().testsRunning) return false;
  store.getState().setTestsRunning(true);
  try {
    const report = await api.invoke('analytics.runTests', null);
    store.getState().applyReport(report);
    store.getState().setTestsRunning(false);
    return true;
  } catch (error) {
    store.getState().setTestsRunning(false, messageOf(error));
    return false;
  }
}

/** The app-wide analytics store. */
export const analyticsStore = createAnalyticsStore();

export function useAnalytics<T>(selector: (state: AnalyticsState) => T): T {
  return useStore(analyticsStore, selector);
}
