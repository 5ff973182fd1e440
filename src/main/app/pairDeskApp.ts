/**
 * Composition root of the main-process services, shared by the Electron bootstrap, the CLI and
 * the browser mode: the SQLite store, the running source (live / demo / replay) and the event
 * hub that turns the ingestion firehose into coalesced contract events. It implements the
 * contract's main side (`ContractHost`); transports only carry it.
 */
import { basename, dirname, resolve } from 'node:path';
import {
  DEFAULT_SETTINGS,
  type ConnectionStatus,
  type ContractHost,
  type EventEnvelope,
  type EventMap,
  type EventName,
  type IngestStats,
  type ReplayFile,
  type RequestChannel,
  type RequestOf,
  type ResponseOf,
  type SessionSnapshot,
  type Settings,
  type SettingsPatch,
  type SettingsUpdate,
  type SourceInfo,
  type SourceKind,
  type SymbolPrice,
} from '../../core/contract/contract';
import { parseRequest, storedSettingsSchema } from '../../core/contract/schemas';
import { applySettingsPatch } from '../../core/contract/settingsPatch';
import { BarEventBatcher } from '../../core/events/barEventBatcher';
import { TIMEFRAME_MS, TIMEFRAMES, type Bar, type Timeframe } from '../../core/market/types';
import { AlertService, checkAlertSettings } from '../alerts/alertService';
import { AnalyticsHost } from '../analytics/analyticsHost';
import type { Platform } from '../platform/interfaces';
import { FilesService, isFilesChannel } from '../files/filesService';
import type { ReplayFileSpec } from '../feedserver/sources/replayPlan';
import type { DatasetInfo } from '../store/datasets';
import { PairDeskStore } from '../store/store';
import { ReplayCatalog, ReplayFileError } from './replayFiles';
import { SourceSession } from './sourceSession';
import { sourceInfoOf } from './sourceInfo';

export interface PairDeskAppOptions {
  /** SQLite database file (the Electron app keeps it under the user-data folder). */
  dbFile: string;
  /** better-sqlite3 binary built for the running ABI (Electron passes its rebuilt copy). */
  nativeBinding?: string;
  /** Source to start with; default: the one stored in the settings. */
  source?: SourceKind;
  /**
   * Capture file for the replay source (overrides the stored one). The user named it (command
   * line), so it is allowed like a file opened in a dialog.
   */
  replayFile?: string;
  replaySpeed?: number;
  symbols?: string[];
  /** Base WebSocket URL of the live feed (default Binance USD-M futures). */
  feedUrl?: string;
  /** Folders whose NDJSON captures the replay source offers. */
  replayDirs?: string[];
  /**
   * Folder for uploaded files, browser-mode exports and reject reports (default: the database's
   * folder).
   */
  dataDir?: string;
  /** Demo market: aggTrades per second and seed. */
  demoRate?: number;
  demoSeed?: number;
  /** Native notifications and dialogs (Electron); absent in headless modes. */
  platform?: Platform;
  /** UI event rate: bars/prices are flushed at most this often (ms). Default 50 (20 Hz). */
  eventIntervalMs?: number;
  /** Scheduled stationarity tests every N new aligned bars (default 20). */
  analyticsTestEveryBars?: number;
}

export interface PairDeskApp {
  host: ContractHost;
  /** The live services, for the Electron bootstrap and tests. */
  readonly services: PairDeskServices;
  stop(): Promise<void>;
}

const SETTINGS_KEY = 'settings';
/** Real paths of the replay files the user opened (main-only; never from the renderer). */
const USER_REPLAY_FILES_KEY = 'replay.userFiles';
/**
 * Every file of the last multi-file replay (real paths, symbols asked for), main-only: the
 * settings' replayFile holds its first one, and a restart replays them all again.
 */
const REPLAY_FILES_KEY = 'replay.files';

/** What a replay plays: its files (real paths, checked) and the id shown as SourceInfo.fileId. */
interface ReplayTarget {
  files: ReplayFileSpec[];
  fileId: string;
  /** The name the user gave the replay (its dataset label is `Replay <name>`). */
  name?: string;
}

/** The stored multi-file replay, when it is well-formed. */
function storedReplayFiles(raw: unknown): ReplayFileSpec[] | null {
  if (!Array.isArray(raw) || raw.length < 2) return null;
  const out: ReplayFileSpec[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null) return null;
    const { path, symbol } = item as { path?: unknown; symbol?: unknown };
    if (typeof path !== 'string') return null;
    out.push(typeof symbol === 'string' ? { path, symbol } : { path });
  }
  return out;
}

/** The timeframe of a bars-only dataset (null when built from ticks or not a product timeframe). */
function barsOnlyOf(dataset: DatasetInfo): Timeframe | null {
  const ms = dataset.barsOnlyTimeframeMs;
  return TIMEFRAMES.find((tf) => TIMEFRAME_MS[tf] === ms) ?? null;
}

function storedSettings(store: PairDeskStore): Settings {
  const raw = store.getSetting(SETTINGS_KEY);
  const merged: Settings = { ...DEFAULT_SETTINGS, layout: { ...DEFAULT_SETTINGS.layout } };
  if (!raw || typeof raw !== 'object') return merged;
  // Field by field: a value the settings schema refuses (an older version's, a hand-edited
  // database) falls back to its default instead of reaching the services.
  for (const [key, value] of Object.entries(raw)) {
    if (storedSettingsSchema.safeParse({ [key]: value }).success) {
      Object.assign(merged, { [key]: value });
    }
  }
  return merged;
}

/** Pair A/B must be two different subscribed symbols; repairs a stored or patched state. */
function normalisePair(settings: Settings): Settings {
  const symbols = settings.symbols.length > 0 ? settings.symbols : [...DEFAULT_SETTINGS.symbols];
  let { pairA, pairB } = settings;
  if (!symbols.includes(pairA)) pairA = symbols[0];
  if (!symbols.includes(pairB) || pairB === pairA)
    pairB = symbols.find((s) => s !== pairA) ?? pairA;
  return { ...settings, symbols, pairA, pairB };
}

export class PairDeskServices implements ContractHost {
  readonly store: PairDeskStore;
  /** Live pair analytics, computed in a worker thread. */
  readonly analytics: AnalyticsHost;
  /** The capture files replay may open. */
  readonly replay: ReplayCatalog;
  /** Alert rules on the analytics, their history and notifications (issue #9). */
  readonly alerts: AlertService;
  /** Files in and out: picked files, imports, the dataset manager, exports (issue #10). */
  readonly files: FilesService;
  private settingsValue: Settings;
  private session: SourceSession | undefined;
  private sourceInfo: SourceInfo;
  private connectionStatus: ConnectionStatus = {
    state: 'stopped',
    reason: 'not started',
    sinceMs: Date.now(),
  };
  private readonly listeners = new Set<(envelope: EventEnvelope) => void>();
  private readonly batcher = new BarEventBatcher();
  private readonly flushTimer: NodeJS.Timeout;
  private readonly statsTimer: NodeJS.Timeout;
  /** The last source switch; switches run one after another. */
  private switching: Promise<unknown> = Promise.resolve();
  /** The files of the last replay started: what `replay.control` restart plays again. */
  private replayTarget: ReplayTarget | undefined;
  private stopped = false;

  constructor(private readonly options: PairDeskAppOptions) {
    this.store = PairDeskStore.open(options.dbFile, { nativeBinding: options.nativeBinding });
    const settings = storedSettings(this.store);
    const userFiles = this.store.getSetting(USER_REPLAY_FILES_KEY);
    this.replay = new ReplayCatalog(
      options.replayDirs ?? [],
      Array.isArray(userFiles) ? userFiles.filter((p): p is string => typeof p === 'string') : [],
      (paths) => this.store.setSetting(USER_REPLAY_FILES_KEY, paths),
    );
    if (options.source) settings.source = options.source;
    if (options.replayFile) {
      try {
        settings.replayFile = this.replay.allowUserFile(options.replayFile).realPath;
      } catch {
        // Not a regular file: start() refuses it and falls back to the simulated market.
        settings.replayFile = resolve(options.replayFile);
      }
    }
    // A source named by the caller (command line) takes the place of a dataset left open.
    if (options.source || options.replayFile) settings.openDatasetId = null;
    if (options.replayFile) this.store.deleteSetting(REPLAY_FILES_KEY);
    if (options.replaySpeed) settings.replaySpeed = options.replaySpeed;
    if (options.symbols?.length) settings.symbols = options.symbols;
    this.settingsValue = normalisePair(settings);
    this.store.setSetting(SETTINGS_KEY, this.settingsValue);
    this.sourceInfo = sourceInfoOf({
      kind: this.settingsValue.source,
      label: 'starting',
      datasetId: 0,
      state: 'running',
    });
    this.analytics = new AnalyticsHost({
      loadBars: (symbol, timeframeMs, limit) => {
        const datasetId = this.sourceInfo.datasetId;
        return datasetId === 0
          ? { startMs: new Float64Array(0), close: new Float64Array(0) }
          : this.store.barCloses(datasetId, symbol, timeframeMs, limit);
      },
      feedNow: () => this.feedNow(),
      onSeries: (payload) => {
        // Rules first: an event is stored before the chart that shows its bar arrives.
        this.alerts.onSeries(payload);
        const barsOnly = this.barsOnlyWarmup();
        this.emit('analytics', barsOnly === null ? payload : { ...payload, warmup: barsOnly });
      },
      onStationarity: (report) => this.emit('stationarity', report),
      testEveryBars: options.analyticsTestEveryBars,
      emitIntervalMs: options.eventIntervalMs,
    });
    this.alerts = new AlertService({
      store: this.store,
      settings: () => this.settingsValue,
      source: () => this.sourceInfo,
      ingestStats: () => this.ingestStats(),
      emit: (event, payload) => this.emit(event, payload),
      platform: options.platform,
    });
    this.files = new FilesService({
      store: this.store,
      dataDir: options.dataDir ?? dirname(resolve(options.dbFile)),
      catalog: this.replay,
      platform: options.platform,
      emit: (event, payload) => this.emit(event, payload),
      // Written now: a running source's dataset (an ended replay's is complete).
      activeDatasetIds: () =>
        this.session?.isStopped === false && this.sourceInfo.state === 'running'
          ? [this.sourceInfo.datasetId]
          : [],
      viewedDatasetId: () => this.sourceInfo.datasetId,
      // Analytics exports are computed from the viewed dataset's stored bars with these settings.
      settings: () => this.settingsValue,
    });
    this.flushTimer = setInterval(() => this.flushBars(), options.eventIntervalMs ?? 50);
    this.statsTimer = setInterval(() => this.emit('stats', this.ingestStats()), 1_000);
    this.flushTimer.unref();
    this.statsTimer.unref();
  }

  /**
   * Starts the source stored in the settings. A stored replay file is checked again (it must
   * still be an allowed regular file whose head holds trades); when it cannot be opened the
   * simulated market runs instead, with a notice saying why, rather than failing at every start.
   */
  async start(): Promise<SourceInfo> {
    const s = this.settingsValue;
    this.analytics.start(s);
    if (s.source === 'replay' && s.openDatasetId !== null) {
      const id = s.openDatasetId;
      const opened = await this.openDataset(id).catch((error: unknown) => ({
        error: messageOf(error),
      }));
      if ('kind' in opened) return opened;
      return this.switchSource('demo', () => undefined, s.replaySpeed, {
        notice: `The dataset that was open (#${id}) could not be opened (${opened.error}), so the simulated market runs instead. Open another one in the dataset manager.`,
      });
    }
    if (s.source !== 'replay') return this.switchSource(s.source, () => undefined, s.replaySpeed);
    const info = await this.switchSource(
      'replay',
      () => this.storedReplayTarget(),
      s.replaySpeed,
    ).catch((error: unknown) => ({ error: messageOf(error) }));
    if ('kind' in info && info.state !== 'failed') return info;
    const why = info.error ?? 'it cannot be opened';
    return this.switchSource('demo', () => undefined, s.replaySpeed, {
      notice: `The stored replay file could not be opened (${why}), so the simulated market runs instead. Choose a capture under Source → Replay.`,
    });
  }

  /**
   * Registers a capture the user chose through main (an open dialog, a drop, the command line):
   * it is then offered by `replay.files` and may be selected by its id. Never reachable from
   * the renderer with a path of its choosing.
   */
  allowUserFile(path: string): ReplayFile {
    const { id, name, sizeBytes } = this.replay.allowUserFile(path);
    return { id, name, sizeBytes };
  }

  get settings(): Settings {
    return this.settingsValue;
  }

  get source(): SourceInfo {
    return this.sourceInfo;
  }

  get currentSession(): SourceSession | undefined {
    return this.session;
  }

  // ---- ContractHost -------------------------------------------------------------------------

  async handle<C extends RequestChannel>(
    channel: C,
    request: RequestOf<C>,
  ): Promise<ResponseOf<C>> {
    // Each branch returns the response type of its channel; TypeScript cannot narrow C from the
    // switch, so the result is widened once here.
    const respond = (value: unknown): ResponseOf<C> => value as ResponseOf<C>;
    if (isFilesChannel(channel)) {
      return respond(await this.files.handle(channel, parseRequest(channel, request)));
    }
    switch (channel) {
      case 'session.snapshot':
        return respond(this.snapshot());
      case 'bars.history': {
        const r = request as RequestOf<'bars.history'>;
        // A bars-only dataset has nothing finer than its own bars.
        if (this.finerThanBarsOnly(r.timeframe)) return respond([]);
        return respond(this.barHistory(r.symbol, TIMEFRAME_MS[r.timeframe], r.limit));
      }
      case 'settings.update':
        return respond(await this.updateSettings(request as RequestOf<'settings.update'>));
      case 'source.select': {
        const r = parseRequest('source.select', request);
        return respond(await this.selectSource(r.kind, r.fileId, r.speed));
      }
      case 'symbols.add':
        return respond(await this.addSymbol((request as RequestOf<'symbols.add'>).symbol));
      case 'symbols.remove':
        return respond(await this.removeSymbol((request as RequestOf<'symbols.remove'>).symbol));
      case 'replay.files':
        return respond(this.replay.list());
      case 'analytics.series': {
        const series = await this.analytics.series(
          (request as RequestOf<'analytics.series'>).limit,
        );
        const barsOnly = this.barsOnlyWarmup();
        return respond(barsOnly === null ? series : { ...series, warmup: barsOnly });
      }
      case 'analytics.runTests':
        return respond(await this.analytics.runTests());
      case 'analytics.lastTests':
        return respond(await this.analytics.lastTests());
      case 'alerts.history':
        return respond(this.alerts.history(parseRequest('alerts.history', request)));
      case 'alerts.acknowledge':
        return respond(this.alerts.acknowledge(parseRequest('alerts.acknowledge', request)));
      case 'alerts.export':
        return respond(await this.alerts.export(parseRequest('alerts.export', request)));
      case 'files.replay':
        return respond(await this.replayFiles(parseRequest('files.replay', request)));
      case 'replay.control':
        return respond(await this.controlReplay(parseRequest('replay.control', request)));
      case 'datasets.open':
        return respond(await this.openDataset(parseRequest('datasets.open', request).id));
      default:
        throw new Error(`unknown request channel ${String(channel)}`);
    }
  }

  subscribe(listener: (envelope: EventEnvelope) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- requests -----------------------------------------------------------------------------

  snapshot(): SessionSnapshot {
    return {
      source: this.sourceInfo,
      symbols: [...this.settingsValue.symbols],
      connection: this.connectionStatus,
      prices: this.prices(),
      stats: this.ingestStats(),
      settings: this.settingsValue,
    };
  }

  /** The last `limit` stored bars, oldest first, plus the in-progress bar when there is one. */
  barHistory(symbol: string, timeframeMs: number, limit: number): Bar[] {
    const datasetId = this.sourceInfo.datasetId;
    if (datasetId === 0) return [];
    const bars = this.store.bars(datasetId, symbol, timeframeMs, { limitLast: limit });
    const current = this.session?.recorder.pipeline.aggregator.current(symbol, timeframeMs);
    if (current && (bars.length === 0 || current.startMs > bars[bars.length - 1].startMs)) {
      bars.push(current);
      if (bars.length > limit) bars.shift();
    }
    return bars;
  }

  async updateSettings(patch: SettingsUpdate): Promise<Settings> {
    // The transports validate too; this keeps every caller (CLI, tests, adapters) to the schema,
    // so e.g. a Kalman δ of 1 can never reach the analytics worker, nor a replay file path.
    parseRequest('settings.update', patch);
    // Cross-field alert levels (0 ≤ R < K < K_crit); may complete K_crit.
    return this.commitSettings(checkAlertSettings(this.settingsValue, patch));
  }

  /** Applies and stores a patch main itself made (the replay file included). */
  private commitSettings(patch: SettingsPatch): Settings {
    const next = normalisePair(applySettingsPatch(this.settingsValue, patch));
    if (patch.pairA !== undefined && patch.pairB !== undefined && patch.pairA === patch.pairB) {
      throw new Error('pair A and pair B must be different symbols');
    }
    const before = this.settingsValue;
    this.settingsValue = next;
    this.store.setSetting(SETTINGS_KEY, next);
    // Recomputes from stored bars when pair, timeframe, window, lookback or method changed.
    this.analytics.select(next);
    const session = this.session;
    if (
      session &&
      before.symbols.join() !== next.symbols.join() &&
      this.sourceInfo.kind === 'live'
    ) {
      for (const s of next.symbols) if (!before.symbols.includes(s)) session.recorder.addSymbol(s);
      for (const s of before.symbols)
        if (!next.symbols.includes(s)) session.recorder.removeSymbol(s);
    }
    this.emit('settings', next);
    return next;
  }

  async addSymbol(symbol: string): Promise<string[]> {
    if (!this.settingsValue.symbols.includes(symbol)) {
      await this.updateSettings({ symbols: [...this.settingsValue.symbols, symbol] });
    }
    return [...this.settingsValue.symbols];
  }

  async removeSymbol(symbol: string): Promise<string[]> {
    const remaining = this.settingsValue.symbols.filter((s) => s !== symbol);
    if (remaining.length < 2) throw new Error('keep at least two symbols: a pair needs two legs');
    await this.updateSettings({ symbols: remaining });
    return [...this.settingsValue.symbols];
  }

  /**
   * Stops the current source (its data stays stored) and starts another. Replay plays the
   * offered file `fileId` (`replay.files`), or without one the file(s) in the settings, checked
   * again; an unknown id or a file no longer allowed is refused before anything stops.
   */
  selectSource(kind: SourceKind, fileId?: string, speed?: number): Promise<SourceInfo> {
    const target = (): ReplayTarget | undefined => {
      if (kind !== 'replay') return undefined;
      if (fileId === undefined) return this.storedReplayTarget();
      return { files: [{ path: this.replay.resolveId(fileId) }], fileId };
    };
    return this.switchSource(kind, target, speed);
  }

  /**
   * The settings' replay: the stored multi-file replay when its first file is the settings'
   * replayFile, else that one file; every path checked again now (real paths).
   */
  private storedReplayTarget(): ReplayTarget {
    const stored = this.settingsValue.replayFile;
    if (!stored) throw new ReplayFileError('choose a capture file to replay');
    const first = this.replay.check(stored);
    const several = storedReplayFiles(this.store.getSetting(REPLAY_FILES_KEY));
    const files =
      several !== null && several[0].path === stored
        ? several.map((f) => ({ ...f, path: this.replay.check(f.path) }))
        : [{ path: first }];
    return { files, fileId: ReplayCatalog.idOf(first) };
  }

  /**
   * The serialised switch. `target` runs in turn, before the current source stops: it yields
   * the files to replay (undefined for live and demo) or throws to refuse the switch.
   */
  private switchSource(
    kind: SourceKind,
    target: () => ReplayTarget | undefined,
    speed: number | undefined,
    extra: { notice?: string } = {},
  ): Promise<SourceInfo> {
    const run = async (): Promise<SourceInfo> => {
      if (this.stopped) return this.sourceInfo;
      const replayTarget = target();
      const replayFile =
        kind === 'replay'
          ? replayTarget?.files[0].path
          : (this.settingsValue.replayFile ?? undefined);
      const replaySpeed = speed ?? this.settingsValue.replaySpeed;
      const replayName =
        replayTarget?.name ?? replayTarget?.files.map((f) => basename(f.path)).join(' + ');
      await this.session?.stop();
      this.session = undefined;
      if (replayTarget !== undefined) this.replayTarget = replayTarget;
      try {
        this.session = await SourceSession.start({
          store: this.store,
          kind,
          symbols: this.settingsValue.symbols,
          liveUrl: this.options.feedUrl,
          replayFiles: replayTarget?.files,
          replayFileId: replayTarget?.fileId,
          replayName: replayTarget?.name,
          replaySpeed,
          demoRate: this.options.demoRate,
          demoSeed: this.options.demoSeed,
          notice: extra.notice ?? null,
          listener: {
            onTick: (tick) => this.batcher.touched(tick.symbol),
            onBarClosed: (bar) => {
              this.batcher.barFinal(bar);
              this.analytics.onBar(bar);
            },
            onBarRevised: (bar) => {
              this.batcher.barFinal(bar);
              this.analytics.onBar(bar);
            },
          },
          onConnection: (status) => {
            this.connectionStatus = status;
            this.emit('connection', status);
          },
          onSourceChange: (info) => {
            this.sourceInfo = info;
            this.emit('source', info);
          },
          onTransfer: (progress) => this.emit('transfer', progress),
        });
        this.sourceInfo = this.session.source;
        this.connectionStatus = this.session.connection();
      } catch (error) {
        this.sourceInfo = sourceInfoOf({
          kind,
          label: kind === 'replay' ? `Replay ${replayName ?? '(no file)'}` : kind,
          datasetId: 0,
          state: 'failed',
          error: messageOf(error),
          speed: kind === 'replay' ? replaySpeed : null,
          fileId: replayTarget?.fileId ?? null,
          fileName: replayName ?? null,
          notice: extra.notice ?? null,
        });
      }
      // New dataset (or none): the analytics restart from its stored bars.
      this.analytics.recompute();
      if (replayTarget !== undefined) {
        // Several files: all of them are restored; one file is the settings' replayFile alone.
        if (replayTarget.files.length > 1)
          this.store.setSetting(REPLAY_FILES_KEY, replayTarget.files);
        else this.store.deleteSetting(REPLAY_FILES_KEY);
      }
      // A replay of other symbols than the pair viewed: the views follow the replay's symbols.
      const played = this.session?.replaySymbols ?? [];
      const { pairA, pairB } = this.settingsValue;
      const follow = played.length > 0 && !(played.includes(pairA) && played.includes(pairB));
      this.commitSettings({
        source: kind,
        replayFile: replayFile ?? null,
        replaySpeed,
        openDatasetId: null,
        ...(follow ? { symbols: this.withPair(played) } : {}),
      });
      this.emit('source', this.sourceInfo);
      this.emit('connection', this.connectionStatus);
      return this.sourceInfo;
    };
    return this.serialised(run);
  }

  /** Runs `step` after the switches before it (source switches and dataset opening). */
  private serialised<T>(step: () => Promise<T>): Promise<T> {
    const next = this.switching.then(step, step);
    this.switching = next;
    return next;
  }

  prices(): SymbolPrice[] {
    const pipeline = this.session?.recorder.pipeline;
    if (!pipeline) return [];
    const out: SymbolPrice[] = [];
    for (const symbol of pipeline.lastPriceSymbols()) {
      const last = pipeline.lastPrice(symbol);
      if (last) out.push({ symbol, ...last });
    }
    return out;
  }

  ingestStats(): IngestStats {
    const snap = this.session?.recorder.pipeline.snapshot();
    const rejects: IngestStats['rejects'] = {};
    if (snap)
      for (const [reason, n] of Object.entries(snap.rejects))
        if (n > 0) rejects[reason as keyof typeof rejects] = n;
    return {
      messagesPerSec: snap?.messagesPerSec ?? 0,
      lastMessageAgeMs: snap?.lastMessageAtMs != null ? Date.now() - snap.lastMessageAtMs : null,
      ticksStored: snap?.ticksStored ?? 0,
      rejects,
      rejectsTotal: snap?.rejectsTotal ?? 0,
      dbSizeBytes: this.store.isOpen ? this.store.dbSizeBytes() : 0,
    };
  }

  /**
   * Replays picked files (any trade format; e.g. the BTCUSDT and ETHUSDT archives of a day)
   * merged by time into a new replay dataset (issue #10). Ids are resolved (and the files checked)
   * before the running source stops; a file that cannot be played fails the source with why.
   */
  async replayFiles(request: RequestOf<'files.replay'>): Promise<SourceInfo> {
    const target = (): ReplayTarget => {
      if (request.fileIds.length === 0) throw new Error('choose at least one file to replay');
      const files = request.fileIds.map((id): ReplayFileSpec => {
        const path = this.replay.resolveId(id);
        const symbol = request.symbols?.[id];
        return symbol === undefined ? { path } : { path, symbol };
      });
      const name = request.name?.trim();
      return name
        ? { files, fileId: request.fileIds[0], name }
        : { files, fileId: request.fileIds[0] };
    };
    return this.switchSource('replay', target, request.speed);
  }

  /**
   * Pause, resume, restart or re-pace the running replay (issue #10). A new speed is also stored
   * (Settings.replaySpeed), so a restart or the next start keep it.
   */
  async controlReplay(control: RequestOf<'replay.control'>): Promise<SourceInfo> {
    if (control.action === 'restart') {
      const again = this.replayTarget;
      if (this.sourceInfo.kind !== 'replay' || this.sourceInfo.stored || again === undefined) {
        throw new Error('no replay to restart: choose files to replay first');
      }
      // Into a NEW replay dataset: in the current one every trade id is already stored, so the
      // replayed trades would be dropped as duplicates and nothing would be seen again.
      return this.switchSource('replay', () => again, this.sourceInfo.speed ?? undefined);
    }
    return this.serialised(async () => {
      const session = this.session;
      if (!session || this.sourceInfo.kind !== 'replay') {
        throw new Error('no replay is running: choose files to replay first');
      }
      const info = session.control(control);
      this.sourceInfo = info;
      if (control.action === 'speed') this.commitSettings({ replaySpeed: control.speed });
      return info;
    });
  }

  /**
   * Views a stored dataset (issue #10): the running source stops, nothing flows, the views and
   * the analytics show its stored bars, and the settings remember it (openDatasetId) so a
   * restart reopens it. Throws, before anything stops, when the dataset does not exist.
   */
  openDataset(id: number): Promise<SourceInfo> {
    return this.serialised(async () => {
      if (this.stopped) return this.sourceInfo;
      const dataset = this.store.getDataset(id);
      if (!dataset) throw new Error(`dataset #${id} does not exist (any more)`);
      await this.session?.stop();
      this.session = undefined;
      const barsOnly = barsOnlyOf(dataset);
      this.sourceInfo = sourceInfoOf({
        kind: 'replay',
        simulated: dataset.kind === 'demo',
        label: `Dataset #${id} ${dataset.label}`,
        datasetId: id,
        state: 'ended',
        stored: true,
        barsOnly,
      });
      this.connectionStatus = {
        state: 'stopped',
        reason: 'viewing a stored dataset',
        sinceMs: Date.now(),
      };
      this.analytics.recompute();
      this.commitSettings({
        source: 'replay',
        openDatasetId: id,
        symbols: this.symbolsOf(dataset, barsOnly),
      });
      this.emit('source', this.sourceInfo);
      this.emit('connection', this.connectionStatus);
      return this.sourceInfo;
    });
  }

  /**
   * The symbols a stored dataset holds (ticks, else bars at its finest timeframe), topped up with
   * the current ones to two so there is a pair; the current symbols when it is empty.
   */
  private symbolsOf(dataset: DatasetInfo, barsOnly: Timeframe | null): string[] {
    let symbols = this.store.tickSymbols(dataset.id);
    for (const tf of barsOnly === null ? TIMEFRAMES : [barsOnly]) {
      if (symbols.length > 0) break;
      symbols = this.store.barSymbols(dataset.id, TIMEFRAME_MS[tf]);
    }
    return symbols.length === 0 ? [...this.settingsValue.symbols] : this.withPair(symbols);
  }

  /** `symbols`, topped up with the current ones to two so there is a pair. */
  private withPair(symbols: readonly string[]): string[] {
    let out = [...symbols];
    for (const s of this.settingsValue.symbols) {
      if (out.length >= 2) break;
      if (!out.includes(s)) out = [...out, s];
    }
    return out;
  }

  /** True when the viewed dataset is bars-only and `timeframe` is finer than its bars. */
  private finerThanBarsOnly(timeframe: Timeframe): boolean {
    const barsOnly = this.sourceInfo.barsOnly;
    return (
      barsOnly !== undefined &&
      barsOnly !== null &&
      TIMEFRAME_MS[timeframe] < TIMEFRAME_MS[barsOnly]
    );
  }

  /** The analytics' warmup text for a bars-only dataset viewed at a finer timeframe, else null. */
  private barsOnlyWarmup(): string | null {
    const barsOnly = this.sourceInfo.barsOnly;
    if (!barsOnly || !this.finerThanBarsOnly(this.settingsValue.timeframe)) return null;
    const usable = TIMEFRAMES.filter((tf) => TIMEFRAME_MS[tf] >= TIMEFRAME_MS[barsOnly]);
    const choose =
      usable.length === 1 ? usable[0] : `${usable.slice(0, -1).join(', ')} or ${usable.at(-1)}`;
    return `this dataset holds ${barsOnly} bars only (imported OHLC); choose ${choose}`;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.flushTimer);
    clearInterval(this.statsTimer);
    this.alerts.stop();
    await this.files.close();
    await this.switching.catch(() => undefined);
    await this.session?.stop();
    await this.analytics.stop();
    this.flushBars();
    this.listeners.clear();
    this.store.close();
  }

  // ---- events -------------------------------------------------------------------------------

  /**
   * Feed time for the analytics (null before the first event). The pipeline is advanced right
   * after reading it, so every bar due at that time has been closed and passed on beforehand.
   */
  private feedNow(): number | null {
    // A stored dataset is complete: every interval is final, as at a replay's end.
    if (this.sourceInfo.stored) return Number.POSITIVE_INFINITY;
    const pipeline = this.session?.recorder.pipeline;
    if (!pipeline || !Number.isFinite(pipeline.clock.lastEventTimeMs)) return null;
    const now = pipeline.feedNow();
    pipeline.advance();
    return now;
  }

  private flushBars(): void {
    const pipeline = this.session?.recorder.pipeline;
    if (!pipeline) return;
    const batch = this.batcher.flush((symbol) => pipeline.aggregator.openBars(symbol));
    if (!batch) return;
    this.emit('bars', { closed: batch.closed, inProgress: batch.inProgress });
    const prices: SymbolPrice[] = [];
    for (const symbol of batch.symbols) {
      const last = pipeline.lastPrice(symbol);
      if (last) prices.push({ symbol, ...last });
    }
    if (prices.length > 0) this.emit('prices', prices);
  }

  private emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    const envelope = { event, payload } as EventEnvelope;
    for (const listener of this.listeners) {
      try {
        listener(envelope);
      } catch {
        // A failing transport must not stop ingestion or the other listeners.
      }
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function startPairDeskApp(options: PairDeskAppOptions): Promise<PairDeskApp> {
  const services = new PairDeskServices(options);
  await services.start();
  return { host: services, services, stop: () => services.stop() };
}
