/**
 * The one typed contract between the main process and the renderer (GitHub Desktop style):
 * every request with its response, and every pushed event. The preload exposes exactly this
 * through contextBridge; the browser mode implements the same over a WebSocket bridge, so the
 * renderer never knows which transport it has.
 */
import type { AlertKind, AlertRuleId, AlertSide } from '../alerts/types';
import type { Bar, RejectReason, Timeframe } from '../market/types';
import { KALMAN_DEFAULTS } from '../stats/kalman';
import type {
  DatasetSummary,
  ExportRequest,
  ExportResult,
  FileInspection,
  ImportRequest,
  ImportResult,
  PickedFile,
  ReplayControl,
  TransferProgress,
} from './files';

export type * from './files';

/** Feed connection health, as published by the feed client. */
export type ConnectionState = 'connecting' | 'live' | 'stale' | 'backing_off' | 'stopped';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Plain-words reason, e.g. `watchdog: no data for 10 s`. */
  reason: string;
  /** Wall-clock ms when this state began. */
  sinceMs: number;
}

/** Where the running session's data comes from. */
export type SourceKind = 'live' | 'demo' | 'replay';

export interface SourceInfo {
  kind: SourceKind;
  /** True for the simulated market: every view must label it SIMULATED. */
  simulated: boolean;
  /**
   * Human label: `Binance USD-M futures`, `Live feed 127.0.0.1:9443` for another live feed URL,
   * `Simulated market`, or `Replay <file name>`.
   */
  label: string;
  datasetId: number;
  /** running: data may flow; ended: a replay reached its end; failed: see `error`. */
  state: 'running' | 'ended' | 'failed';
  /** Why the source failed or cannot connect, in plain words. */
  error: string | null;
  /** Replay speed factor (× original pace), null for live and demo. */
  speed: number | null;
  /** Replay: the replayed capture's id and file name (as in `replay.files`); null otherwise. */
  fileId: string | null;
  fileName: string | null;
  /** Replay: trades replayed (messages of the trade stream sent), once it ended; else null. */
  tradesReplayed: number | null;
  /**
   * Why this source runs instead of the one stored, for a banner: e.g. the stored replay file
   * could not be opened at start, so the simulated market runs. null normally.
   */
  notice: string | null;
  /** Replay: paused by `replay.control` (absent = false). */
  paused?: boolean;
  /**
   * A stored dataset opened from the dataset manager (`datasets.open`): nothing flows, the views
   * show what is stored (absent = false).
   */
  stored?: boolean;
  /**
   * Bars-only dataset (klines / OHLC CSV import): the finest timeframe it holds; finer ones
   * have no data and views that need ticks say so. null or absent when built from ticks.
   */
  barsOnly?: Timeframe | null;
}

export interface SymbolPrice {
  symbol: string;
  price: number;
  /** Trade time of the last tick, ms. */
  timeMs: number;
  /** Event time (E) of that tick: when the feed sent it, ms. Absent for older snapshots. */
  eventTimeMs?: number;
}

/** Ingestion health for the status bar. */
export interface IngestStats {
  messagesPerSec: number;
  /** ms since the last message from the feed; null before the first one. */
  lastMessageAgeMs: number | null;
  ticksStored: number;
  rejects: Partial<Record<RejectReason, number>>;
  rejectsTotal: number;
  dbSizeBytes: number;
}

export type HedgeMethod = 'static' | 'rolling' | 'kalman';
export type Theme = 'dark' | 'light';
export type TabId = 'prices' | 'analytics' | 'alerts' | 'data';

export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** Everything the user can set; persisted in SQLite and restored on start. */
export interface Settings {
  source: SourceKind;
  /** Capture file replayed when source = replay. */
  replayFile: string | null;
  /**
   * Stored dataset opened from the dataset manager (source = replay, nothing replayed); null
   * otherwise. Main's own, like replayFile: set by `datasets.open`.
   */
  openDatasetId: number | null;
  /** Replay speed, × original pace. */
  replaySpeed: number;
  /** Subscribed symbols, upper-case. */
  symbols: string[];
  pairA: string;
  pairB: string;
  timeframe: Timeframe;
  /** Rolling window W in bars (z-score, correlation, rolling hedge ratio). */
  rollingWindow: number;
  /** Bars of history loaded and analysed. */
  lookback: number;
  /** |z| that raises an alert: the z-score rule's breach level K (src/core/alerts/types.ts). */
  alertThreshold: number;
  /** z-score rule: re-arm level R (0 ≤ R < K) and escalation level K_crit (> K). */
  alertRearm: number;
  alertCritical: number;
  /** Correlation rule: breach when rolling ρ < this level, re-arm at level + 0.1. */
  correlationAlertLevel: number;
  /** Feed rule: seconds without data on a live source that raise an alert. */
  feedSilenceSeconds: number;
  /**
   * OS notifications per source kind (every event is stored and shown in the app whatever these
   * say). Default: live only, so a replay at 50× or the demo never notifies unasked.
   */
  notifyLive: boolean;
  notifyDemo: boolean;
  notifyReplay: boolean;
  hedgeMethod: HedgeMethod;
  /**
   * Kalman hedge (Chan 2013): state random-walk intensity δ, Vw = δ/(1−δ)·I, in (0, 1), and
   * observation noise variance Ve in price-of-A units squared, > 0. Defaults suit
   * BTCUSDT/ETHUSDT-scale prices (src/core/stats/kalman.ts explains the choice).
   */
  kalmanDelta: number;
  kalmanVe: number;
  theme: Theme;
  activeTab: TabId;
  /** Window and panel layout. */
  layout: { sidebarWidth: number; window: WindowBounds | null };
}

/**
 * A settings update: any subset of the fields; `layout` merges field by field, so saving the
 * sidebar width cannot overwrite window bounds saved a moment earlier by the main process.
 */
export type SettingsPatch = Partial<Omit<Settings, 'layout'>> & {
  layout?: Partial<Settings['layout']>;
};

/** The settings the renderer may change: every field but main's own (replay file, dataset). */
export type SettingsUpdate = Omit<SettingsPatch, 'replayFile' | 'openDatasetId'>;

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  source: 'live',
  replayFile: null,
  openDatasetId: null,
  replaySpeed: 10,
  symbols: ['BTCUSDT', 'ETHUSDT'],
  pairA: 'BTCUSDT',
  pairB: 'ETHUSDT',
  timeframe: '1m',
  rollingWindow: 60,
  lookback: 1000,
  alertThreshold: 2,
  alertRearm: 0.5,
  alertCritical: 3,
  correlationAlertLevel: 0.3,
  feedSilenceSeconds: 30,
  notifyLive: true,
  notifyDemo: false,
  notifyReplay: false,
  hedgeMethod: 'static',
  kalmanDelta: KALMAN_DEFAULTS.delta,
  kalmanVe: KALMAN_DEFAULTS.ve,
  theme: 'dark',
  activeTab: 'prices',
  layout: { sidebarWidth: 260, window: null },
};

/**
 * A capture the replay source can play: one main found in its replay folders or one the user
 * opened through main. The renderer picks by `id`; main alone knows and checks the path.
 */
export interface ReplayFile {
  /** Opaque id, valid for `source.select` while main offers the file. */
  id: string;
  name: string;
  sizeBytes: number;
}

/**
 * Pair analytics per aligned bar, column-wise (one array per field, same length) so long
 * histories cross the transport compactly. `null` = not defined yet at that bar (warm-up,
 * degenerate window). Definitions: see src/core/stats and the analytics engine.
 */
export interface AnalyticsColumns {
  /** Interval start of each aligned bar (ms, UTC). */
  startMs: number[];
  closeA: number[];
  closeB: number[];
  /** β of the selected hedge method used for the spread at that bar. */
  hedgeRatio: (number | null)[];
  /** A − β·B. */
  spread: (number | null)[];
  /** Rolling mean and sample std (ddof 1) of the spread over W bars. */
  spreadMean: (number | null)[];
  spreadStd: (number | null)[];
  /** (spread − mean) / std over W bars. */
  zscore: (number | null)[];
  /** Rolling correlation of the two log returns over W bars. */
  correlation: (number | null)[];
  /** Rolling OLS β over W bars and the Kalman prior β (both drawn on the hedge-ratio chart). */
  betaRolling: (number | null)[];
  betaKalman: (number | null)[];
  /** Rolling volatility of each leg's log returns over W bars, annualised (365-day year). */
  volA: (number | null)[];
  volB: (number | null)[];
}

/** The AnalyticsColumns that may hold null: every column but startMs, closeA and closeB. */
export const ANALYTICS_NULLABLE_COLUMNS = [
  'hedgeRatio',
  'spread',
  'spreadMean',
  'spreadStd',
  'zscore',
  'correlation',
  'betaRolling',
  'betaKalman',
  'volA',
  'volB',
] as const satisfies readonly (keyof AnalyticsColumns)[];

/** Every AnalyticsColumns field, in display order. */
export const ANALYTICS_COLUMNS = [
  'startMs',
  'closeA',
  'closeB',
  ...ANALYTICS_NULLABLE_COLUMNS,
] as const satisfies readonly (keyof AnalyticsColumns)[];

/** What the analytics are computed on. */
export interface AnalyticsSelection {
  pairA: string;
  pairB: string;
  timeframe: Timeframe;
  rollingWindow: number;
  lookback: number;
  hedgeMethod: HedgeMethod;
  /** Kalman δ and Ve (see Settings): the Kalman β is drawn whatever the hedge method. */
  kalmanDelta: number;
  kalmanVe: number;
}

export interface AnalyticsSeries {
  selection: AnalyticsSelection;
  columns: AnalyticsColumns;
  /** Plain-words reason when there is nothing to compute yet, e.g. "waiting for 12 more 1m bars of ETHUSDT". */
  warmup: string | null;
  /**
   * The analytics engine's own status when the user should know, e.g. "the analytics worker ran
   * out of memory at 14:02:11 and was restarted (1 restart)"; null or absent normally.
   */
  notice?: string | null;
}

/** One unit-root test result, or why it could not run. */
export type TestOutcome =
  | {
      ok: true;
      stat: number;
      pvalue: number;
      usedlag: number;
      nobs: number;
      crit: { '1%': number; '5%': number; '10%': number };
    }
  | { ok: false; reason: string };

/** Stationarity panel: Engle–Granger first, then ADF on the spread, half-life and Hurst. */
export interface StationarityReport {
  selection: AnalyticsSelection;
  /** Wall-clock time the tests ran (ms) and how long they took. */
  computedAtMs: number;
  durationMs: number;
  bars: number;
  /**
   * Static hedge regression over the same bars: OLS of A on B with intercept — β, α, R² and the
   * standard error of β (statsmodels `OLS(a, add_constant(b)).fit()`: params, rsquared, bse).
   * null when it cannot be fitted (too few bars, a constant leg).
   */
  hedgeRegression: { beta: number; alpha: number; r2: number; seBeta: number } | null;
  /** Engle–Granger coint(A, B), trend 'c', autolag AIC. */
  engleGranger: TestOutcome;
  /** ADF on the spread of the selected hedge method, regression 'c', autolag AIC. */
  adf: TestOutcome;
  /** Half-life of mean reversion of the spread, in bars and ms; null when λ ≥ 0. */
  halfLifeBars: number | null;
  halfLifeMs: number | null;
  /** Hurst exponent of the spread (variance of lagged differences estimator), null if undefined. */
  hurst: number | null;
  /** Plain-words reading, e.g. "stationary at 5 %: the spread mean-reverts". */
  reading: string;
}

/** One stored alert event (issue #9): a rule's event with where and when it happened. */
export interface AlertRecord {
  /** Row id in SQLite, increasing with time of storage. */
  id: number;
  datasetId: number;
  /** Source kind of the dataset: REPLAY and SIMULATED events are labelled as such. */
  source: SourceKind;
  pairA: string;
  pairB: string;
  timeframe: Timeframe;
  /** Rolling window W of the selection the rule ran on. */
  rollingWindow: number;
  rule: AlertRuleId;
  kind: AlertKind;
  side: AlertSide | null;
  /** The statistic (z, ρ, seconds silent) and the level crossed. */
  value: number;
  threshold: number;
  /** Hedge ratio β at that bar, when known. */
  beta: number | null;
  /** Start of the bar evaluated (ms, UTC); feed rule: wall-clock ms of detection. */
  barStartMs: number;
  /** Wall-clock ms the event was raised. */
  wallMs: number;
  acknowledged: boolean;
  /** Whether an OS notification was shown for it (false: rate-limited, grouped or disabled). */
  notified: boolean;
}

/** Filter of the alert history; every field optional. */
export interface AlertFilter {
  /** `BTCUSDT/ETHUSDT`. */
  pair?: string;
  rule?: AlertRuleId;
  source?: SourceKind;
}

/** Everything a freshly opened window needs to draw itself. */
export interface SessionSnapshot {
  source: SourceInfo;
  symbols: string[];
  connection: ConnectionStatus;
  prices: SymbolPrice[];
  stats: IngestStats;
  settings: Settings;
}

/** Requests the renderer may make: channel → request payload and response. */
export interface RequestMap {
  'session.snapshot': { request: null; response: SessionSnapshot };
  /** The last `limit` bars (oldest first) from SQLite, plus the in-progress one. */
  'bars.history': {
    request: { symbol: string; timeframe: Timeframe; limit: number };
    response: Bar[];
  };
  /**
   * Merges a partial update into the settings; returns the stored settings. The replay file is
   * not in it: only `source.select` with an offered file's id changes it.
   */
  'settings.update': { request: SettingsUpdate; response: Settings };
  /**
   * Switches the data source; the previous one is stopped (its data stays stored). Replay plays
   * the offered file `fileId` (from `replay.files`), or without it the one in the settings.
   */
  'source.select': {
    request: { kind: SourceKind; fileId?: string; speed?: number };
    response: SourceInfo;
  };
  'symbols.add': { request: { symbol: string }; response: string[] };
  'symbols.remove': { request: { symbol: string }; response: string[] };
  /** Capture files offered by the replay source. */
  'replay.files': { request: null; response: ReplayFile[] };
  /** The analytics of the current selection, the last `limit` aligned bars. */
  'analytics.series': { request: { limit: number }; response: AnalyticsSeries };
  /** Runs Engle–Granger, ADF, half-life and Hurst now on the current selection. */
  'analytics.runTests': { request: null; response: StationarityReport };
  /** The last stationarity report, null before the first run. */
  'analytics.lastTests': { request: null; response: StationarityReport | null };
  /**
   * Alert history, newest first: up to `limit` rows with id < `beforeId` (paging), filtered;
   * `total` counts every row matching the filter, `unacknowledged` every unacknowledged row.
   */
  'alerts.history': {
    request: AlertFilter & { limit: number; beforeId?: number };
    response: { rows: AlertRecord[]; total: number; unacknowledged: number };
  };
  /** Acknowledges the given rows, or every row with `all`; returns the unacknowledged count. */
  'alerts.acknowledge': {
    request: { ids?: number[]; all?: boolean };
    response: { unacknowledged: number };
  };
  /**
   * Exports the (filtered) history as CSV: through the native save dialog where there is one
   * (`savedTo` = the file name written, null if cancelled), otherwise the CSV text comes back in
   * `csv` for the browser to download.
   */
  'alerts.export': {
    request: AlertFilter;
    response: { savedTo: string | null; csv: string | null; fileName: string; rows: number };
  };

  // ---- files in and out (issue #10; shapes in ./files.ts) ----
  /**
   * The native open dialog (several files at once). Resolves to the files the user chose ([] if
   * cancelled). Fails where there is no native dialog (browser mode uploads instead).
   */
  'files.open': { request: { purpose: 'import' | 'replay' }; response: PickedFile[] };
  /**
   * Files dropped on the Electron window: the preload turns each dropped File into its path
   * (`webUtils.getPathForFile`); main accepts regular, readable files only.
   */
  'files.register': { request: { paths: string[] }; response: PickedFile[] };
  /** Format, container, symbols and whether a symbol must be asked for, per file or member. */
  'files.inspect': { request: { fileIds: string[] }; response: FileInspection[] };
  /**
   * Imports the files into one new dataset as fast as possible; resolves at the end (progress
   * arrives as `transfer` events with the same jobId; `files.cancel` stops it).
   */
  'files.import': { request: ImportRequest; response: ImportResult };
  /** Replays the files (merged by time) through the feed path into a new replay dataset. */
  'files.replay': { request: ImportRequest & { speed?: number }; response: SourceInfo };
  /** Cancels a running import or export. */
  'files.cancel': { request: { jobId: string }; response: { cancelled: boolean } };
  /** Pause, resume, restart or change the speed of the running replay. */
  'replay.control': { request: ReplayControl; response: SourceInfo };
  /** Every stored dataset, newest first. */
  'datasets.list': { request: null; response: DatasetSummary[] };
  /** Views a stored dataset (nothing flows; the running source is stopped). */
  'datasets.open': { request: { id: number }; response: SourceInfo };
  'datasets.rename': { request: { id: number; label: string }; response: DatasetSummary };
  /** Deletes a dataset (not the active one) and reclaims its space. */
  'datasets.delete': {
    request: { id: number };
    response: { deleted: boolean; reclaimedBytes: number };
  };
  /** Bars, ticks, analytics or a reject report as CSV: save dialog, or a browser download. */
  'export.csv': { request: ExportRequest; response: ExportResult };
}

/** Events main pushes to the renderer: name → payload. Bursty ones arrive coalesced. */
export interface EventMap {
  connection: ConnectionStatus;
  prices: SymbolPrice[];
  stats: IngestStats;
  /** Bars closed or revised since the previous event, and the in-progress ones. */
  bars: { closed: Bar[]; inProgress: Bar[] };
  source: SourceInfo;
  settings: Settings;
  /**
   * New aligned bars since the previous event (appended), or a whole new series when `reset`
   * (selection changed or recomputed from stored bars).
   */
  analytics: {
    reset: boolean;
    selection: AnalyticsSelection;
    columns: AnalyticsColumns;
    warmup: string | null;
    /** As AnalyticsSeries.notice (worker restarts). */
    notice?: string | null;
  };
  stationarity: StationarityReport;
  /** Alert events stored since the previous event, oldest first, and the unacknowledged count. */
  alerts: { added: AlertRecord[]; unacknowledged: number };
  /**
   * The user clicked an alert's OS notification: open the Analytics tab and bring that bar into
   * view.
   */
  alertFocus: {
    alertId: number;
    barStartMs: number;
    pairA: string;
    pairB: string;
    timeframe: Timeframe;
  };
  /** Progress of an import, replay or export (coalesced, ≤ 5 Hz per job; the last one always). */
  transfer: TransferProgress;
  /** The dataset list changed (import, rename, delete, a new source). */
  datasets: DatasetSummary[];
}

export type RequestChannel = keyof RequestMap;
export type EventName = keyof EventMap;
export type RequestOf<C extends RequestChannel> = RequestMap[C]['request'];
export type ResponseOf<C extends RequestChannel> = RequestMap[C]['response'];

/** What the renderer sees, whatever the transport (preload IPC or WebSocket bridge). */
export interface PairDeskApi {
  invoke<C extends RequestChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /**
   * Electron only: the paths of files dropped on the window (`webUtils.getPathForFile` in the
   * preload; `File.path` is gone), for `files.register`. Absent in browser mode, which uploads.
   */
  pathsForFiles?(files: readonly unknown[]): string[];
}

/** Every request channel once; a Record so that a channel missing here fails the type check. */
const REQUEST_CHANNEL_SET: Readonly<Record<RequestChannel, true>> = {
  'session.snapshot': true,
  'bars.history': true,
  'settings.update': true,
  'source.select': true,
  'symbols.add': true,
  'symbols.remove': true,
  'replay.files': true,
  'analytics.series': true,
  'analytics.runTests': true,
  'analytics.lastTests': true,
  'alerts.history': true,
  'alerts.acknowledge': true,
  'alerts.export': true,
  'files.open': true,
  'files.register': true,
  'files.inspect': true,
  'files.import': true,
  'files.replay': true,
  'files.cancel': true,
  'replay.control': true,
  'datasets.list': true,
  'datasets.open': true,
  'datasets.rename': true,
  'datasets.delete': true,
  'export.csv': true,
};
const EVENT_NAME_SET: Readonly<Record<EventName, true>> = {
  connection: true,
  prices: true,
  stats: true,
  bars: true,
  source: true,
  settings: true,
  analytics: true,
  stationarity: true,
  alerts: true,
  alertFocus: true,
  transfer: true,
  datasets: true,
};

export const REQUEST_CHANNELS = Object.keys(REQUEST_CHANNEL_SET) as readonly RequestChannel[];
export const EVENT_NAMES = Object.keys(EVENT_NAME_SET) as readonly EventName[];

/** IPC channel names used by the Electron transport. */
export const IPC_INVOKE_PREFIX = 'pairdesk:invoke:';
export const IPC_EVENT_CHANNEL = 'pairdesk:event';

/** An event as it crosses a transport. */
export interface EventEnvelope<E extends EventName = EventName> {
  event: E;
  payload: EventMap[E];
}

/**
 * The main-process side of the contract, implemented by the services layer and served by
 * either transport (Electron IPC or the browser-mode WebSocket bridge).
 */
export interface ContractHost {
  handle<C extends RequestChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Registers an event listener; returns the unsubscribe function. */
  subscribe(listener: (envelope: EventEnvelope) => void): () => void;
}
