import type Database from 'better-sqlite3';
import type { DatasetSummary } from '../../core/contract/files';
import {
  TIMEFRAMES,
  TIMEFRAME_MS,
  type Bar,
  type Tick,
  type Timeframe,
  type TradeStream,
} from '../../core/market/types';
import { AlertRepo } from './alerts';
import { DatasetRepo, type DatasetExtra, type DatasetInfo, type DatasetKind } from './datasets';
import {
  dbSizeBytes,
  integrityCheck,
  openDatabase,
  type IntegrityReport,
  type OpenDatabaseOptions,
} from './db';
import {
  StoreQueries,
  type BarCloseColumns,
  type BarQuery,
  type SymbolTickStats,
  type TickCsvCells,
  type TickQuery,
} from './queries';
import { fileBytesOnDisk, reclaimFreePages, RowBytesEstimator } from './space';
import { BatchWriter, type BatchWriterOptions, type FlushInfo, type WriterStats } from './writer';

export interface PairDeskStoreOptions extends OpenDatabaseOptions, BatchWriterOptions {
  /**
   * On close, fold the WAL back into the main file and truncate it (default true), so the
   * data file is self-contained when the app is not running.
   */
  checkpointOnClose?: boolean;
}

export type StoreStats = WriterStats;

/** A dataset manager row as the store knows it (whether it is active is the app's knowledge). */
export type StoredDatasetSummary = Omit<DatasetSummary, 'active'>;

/** The contract's Timeframe of a bars-only dataset's bar length; null when not one of them. */
function timeframeOfMs(ms: number | null): Timeframe | null {
  if (ms === null) return null;
  return TIMEFRAMES.find((tf) => TIMEFRAME_MS[tf] === ms) ?? null;
}

/**
 * PairDesk's persistent store: datasets, batched tick/bar writes, and the read queries the UI
 * and exports need. One instance owns one better-sqlite3 connection; all calls are synchronous
 * on the main process thread (batches are small enough, ~ms, not to stall the event loop).
 *
 * Shutdown: call close() (e.g. from Electron's `before-quit`); it flushes everything queued, so a
 * graceful stop loses nothing. A SIGKILL loses at most the batch not yet flushed (≤ batchSize
 * ticks or ≤ flushIntervalMs of data); committed batches survive (see db.ts on WAL + NORMAL).
 */
export class PairDeskStore {
  private readonly datasets: DatasetRepo;
  /** Alert events and rule cursors (issue #9); direct writes, not through the batch writer. */
  readonly alerts: AlertRepo;
  private readonly queries: StoreQueries;
  private readonly writer: BatchWriter | undefined;
  private readonly settingGet;
  private readonly settingSet;
  private readonly settingDelete;
  private readonly rowBytes: RowBytesEstimator;
  private closed = false;

  static open(file: string, opts: PairDeskStoreOptions = {}): PairDeskStore {
    return new PairDeskStore(openDatabase(file, opts), opts);
  }

  /** Takes ownership of an already opened and migrated connection (see openDatabase). */
  constructor(
    readonly db: Database.Database,
    private readonly opts: PairDeskStoreOptions = {},
  ) {
    this.datasets = new DatasetRepo(db);
    this.alerts = new AlertRepo(db);
    this.queries = new StoreQueries(db);
    this.writer = db.readonly ? undefined : new BatchWriter(db, this.datasets, opts);
    this.settingGet = db
      .prepare<[string], string>('SELECT value FROM settings WHERE key = ?')
      .pluck();
    this.settingSet = db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.settingDelete = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
    this.rowBytes = new RowBytesEstimator(db);
  }

  // ---- datasets -------------------------------------------------------------------------

  /**
   * A new dataset. Use one per replay file/run, one per import and one per demo (simulate) run.
   * An import is kind 'replay' with `extra.origin = 'import'`; a bars-only import also gives
   * `extra.barsOnlyTimeframeMs`. 'live' returns the single live dataset (extra is ignored then).
   */
  createDataset(
    kind: DatasetKind,
    label: string,
    source: string | null = null,
    extra: DatasetExtra = {},
  ): DatasetInfo {
    if (kind === 'live') return this.getOrCreateLiveDataset(label, source);
    return this.datasets.create(kind, label, source, extra);
  }

  /** Sets a dataset's label (trimmed, 1–200 characters); throws a plain Error otherwise. */
  renameDataset(id: number, label: string): DatasetInfo {
    return this.datasets.rename(id, label);
  }

  /**
   * The dataset manager's rows, newest first. Symbols from ticks (or bars when there are none);
   * first/last tick time (bar start for bars-only datasets); sizeBytes approximate: the dataset's
   * rows times the average row size of the ticks and bars tables (space.ts, RowBytesEstimator).
   */
  datasetSummaries(): StoredDatasetSummary[] {
    this.flushBeforeRead();
    const all = this.datasets.list();
    let ticks = 0;
    let bars = 0;
    for (const d of all) {
      ticks += d.tickCount;
      bars += d.barCount;
    }
    const per = this.rowBytes.rowBytes(ticks, bars);
    return all.reverse().map((d) => {
      const tickRange = d.tickCount > 0 ? this.queries.tickTimeRange(d.id) : undefined;
      return {
        id: d.id,
        origin: d.origin,
        label: d.label,
        source: d.source,
        symbols:
          d.tickCount > 0
            ? this.queries.tickSymbols(d.id)
            : this.queries.barSymbolsAnyTimeframe(d.id),
        firstMs: tickRange?.firstMs ?? d.firstMs,
        lastMs: tickRange?.lastMs ?? d.lastMs,
        ticks: d.tickCount,
        bars: d.barCount,
        barsOnly: timeframeOfMs(d.barsOnlyTimeframeMs),
        sizeBytes: Math.round(d.tickCount * per.tick + d.barCount * per.bar),
        createdMs: d.createdMs,
      };
    });
  }

  /** The single long-lived live dataset, created on first use. */
  getOrCreateLiveDataset(label = 'Live', source: string | null = null): DatasetInfo {
    return this.datasets.getOrCreateLive(label, source);
  }

  getDataset(id: number): DatasetInfo | undefined {
    return this.datasets.get(id);
  }

  /** All datasets, oldest first. Counts and time span come from maintained counters (no scan). */
  listDatasets(): DatasetInfo[] {
    return this.datasets.list();
  }

  /** Most recently created dataset (optionally of one kind). */
  latestDataset(kind?: DatasetKind): DatasetInfo | undefined {
    return this.datasets.latest(kind);
  }

  /** Deletes a dataset with its ticks and bars (pending writes for it are dropped). */
  deleteDataset(id: number): boolean {
    this.writer?.discard(id);
    return this.datasets.delete(id);
  }

  /**
   * Deletes a dataset and gives its space back to the file system (space.ts, reclaimFreePages:
   * incremental, or one full VACUUM on a file from before schema v3). reclaimedBytes is the
   * measured drop of main file + WAL. While an export iterator on this connection is open the
   * rows are still deleted but the pages stay free inside the file until the next reclaim.
   */
  deleteDatasetAndReclaim(id: number): { deleted: boolean; reclaimedBytes: number } {
    const before = fileBytesOnDisk(this.db);
    if (!this.deleteDataset(id)) return { deleted: false, reclaimedBytes: 0 };
    if (!this.writer?.reading) {
      // Pending rows of other datasets first: VACUUM cannot run inside their next flush.
      this.writer?.flush('manual');
      reclaimFreePages(this.db);
    }
    return { deleted: true, reclaimedBytes: Math.max(0, before - fileBytesOnDisk(this.db)) };
  }

  /**
   * A second, read-only connection to the same file, for long reads (exports): its iterators do
   * not hold this connection, so the batch writer keeps flushing meanwhile (WAL: readers and the
   * writer do not block each other). Everything queued is flushed first so the reader sees it.
   * The caller closes it. Undefined for an in-memory database (there is no second connection).
   */
  openReader(): PairDeskStore | undefined {
    if (this.db.memory) return undefined;
    this.flush();
    return PairDeskStore.open(this.db.name, {
      readonly: true,
      nativeBinding: this.opts.nativeBinding,
      busyTimeoutMs: this.opts.busyTimeoutMs,
    });
  }

  // ---- writes ---------------------------------------------------------------------------

  /** Queues a tick; duplicates of stored (dataset, symbol, tradeId) are ignored at flush. */
  enqueueTick(datasetId: number, tick: Tick): void {
    this.requireWriter().enqueueTick(datasetId, tick);
  }

  /** Queues a bar; it replaces any stored bar with the same (symbol, timeframe, start). */
  enqueueBar(datasetId: number, bar: Bar): void {
    this.requireWriter().enqueueBar(datasetId, bar);
  }

  /**
   * How a second writing connection (the import writer thread, importWriter.ts) opens this
   * store's file; undefined for an in-memory or read-only store.
   */
  writerThreadOptions():
    { file: string; nativeBinding: string | undefined; cacheKiB: number | undefined } | undefined {
    if (this.db.memory || this.db.readonly || this.closed) return undefined;
    return {
      file: this.db.name,
      nativeBinding: this.opts.nativeBinding,
      cacheKiB: this.opts.cacheKiB,
    };
  }

  /** Commits everything queued now (one transaction). Throws if the write fails. */
  flush(): FlushInfo | undefined {
    return this.writer?.flush('manual');
  }

  stats(): StoreStats {
    return (
      this.writer?.stats() ?? {
        ticksWritten: 0,
        ticksIgnored: 0,
        barsWritten: 0,
        flushes: 0,
        lastFlushMs: 0,
        pending: 0,
        failedFlushes: 0,
        lastError: null,
        droppedTicks: 0,
        droppedBars: 0,
      }
    );
  }

  // ---- reads (they see queued writes: pending data is flushed first) ---------------------

  bars(datasetId: number, symbol: string, timeframeMs: number, q?: BarQuery): Bar[] {
    this.flushBeforeRead();
    return this.queries.bars(datasetId, symbol, timeframeMs, q);
  }

  /** bars() streamed row by row, for exports; same iterator rules as ticks(). */
  *iterateBars(
    datasetId: number,
    symbol: string,
    timeframeMs: number,
    q?: Omit<BarQuery, 'limitLast'>,
  ): Generator<Bar, void, undefined> {
    this.flushBeforeRead();
    this.writer?.readerOpened();
    try {
      yield* this.queries.iterateBars(datasetId, symbol, timeframeMs, q);
    } finally {
      this.writer?.readerClosed();
    }
  }

  /** Start times and closes of the last `limitLast` bars, as columns (see StoreQueries). */
  barCloses(
    datasetId: number,
    symbol: string,
    timeframeMs: number,
    limitLast: number,
  ): BarCloseColumns {
    this.flushBeforeRead();
    return this.queries.barCloses(datasetId, symbol, timeframeMs, limitLast);
  }

  /**
   * Ticks ordered by symbol, then time, then trade id, streamed row by row. While the iterator
   * is open the connection is busy, so automatic flushes wait (the queue just grows); finish or
   * `return()` the iterator (for…of with break does) to resume them.
   */
  *ticks(datasetId: number, q?: TickQuery): Generator<Tick, void, undefined> {
    this.flushBeforeRead();
    this.writer?.readerOpened();
    try {
      yield* this.queries.ticks(datasetId, q);
    } finally {
      this.writer?.readerClosed();
    }
  }

  /**
   * The rows of ticks() as the CSV export's cells (TickCsvCells), streamed; same iterator rules.
   * About half the CPU of ticks() per row: no Tick object, no number parsing.
   */
  *tickCsvCells(datasetId: number, q?: TickQuery): Generator<TickCsvCells, void, undefined> {
    this.flushBeforeRead();
    this.writer?.readerOpened();
    try {
      yield* this.queries.tickCsvCells(datasetId, q);
    } finally {
      this.writer?.readerClosed();
    }
  }

  /** Symbols with stored ticks, alphabetically, found by index seeks (no scan of the ticks). */
  tickSymbols(datasetId: number): string[] {
    this.flushBeforeRead();
    return this.queries.tickSymbols(datasetId);
  }

  /**
   * Times of the dataset's first and last stored tick, by index seeks (no scan); undefined for a
   * dataset without ticks. DatasetInfo.firstMs/lastMs also count bar starts, so for a dataset
   * with ticks they can be the start of a 5-minute bar instead.
   */
  tickTimeRange(datasetId: number): { firstMs: number; lastMs: number } | undefined {
    this.flushBeforeRead();
    return this.queries.tickTimeRange(datasetId);
  }

  /** Symbols with stored bars of this timeframe, alphabetically. */
  barSymbols(datasetId: number, timeframeMs: number): string[] {
    this.flushBeforeRead();
    return this.queries.barSymbols(datasetId, timeframeMs);
  }

  /** Stored ticks of one symbol, or of the whole dataset when symbol is omitted. */
  tickCount(datasetId: number, symbol?: string): number {
    this.flushBeforeRead();
    if (symbol !== undefined) return this.queries.tickCount(datasetId, symbol);
    return this.datasets.get(datasetId)?.tickCount ?? 0;
  }

  /** Per symbol: tick count and min/max trade id (one scan of the dataset). */
  symbolStats(datasetId: number): SymbolTickStats[] {
    this.flushBeforeRead();
    return this.queries.symbolStats(datasetId);
  }

  /** Lowest/highest stored trade id of a symbol's stream (two index seeks). */
  tradeIdRange(
    datasetId: number,
    symbol: string,
    stream: TradeStream = 'aggTrade',
  ): { min: number; max: number } | undefined {
    this.flushBeforeRead();
    return this.queries.tradeIdRange(datasetId, symbol, stream);
  }

  /**
   * A symbol's ticks of one stream, newest trade id first, streamed: read back from the end
   * (e.g. to resume bars after a restart) without scanning the whole history. Same iterator
   * rules as ticks().
   */
  *newestTicks(
    datasetId: number,
    symbol: string,
    stream: TradeStream,
  ): Generator<Tick, void, undefined> {
    this.flushBeforeRead();
    this.writer?.readerOpened();
    try {
      yield* this.queries.newestTicks(datasetId, symbol, stream);
    } finally {
      this.writer?.readerClosed();
    }
  }

  // ---- settings (JSON values) -------------------------------------------------------------

  getSetting(key: string): unknown {
    const v = this.settingGet.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as unknown);
  }

  setSetting(key: string, value: unknown): void {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError(`setting ${key}: value is not JSON-serialisable`);
    this.settingSet.run(key, json);
  }

  deleteSetting(key: string): void {
    this.settingDelete.run(key);
  }

  // ---- maintenance ------------------------------------------------------------------------

  /** Main file pages + WAL, in bytes. */
  dbSizeBytes(): number {
    return dbSizeBytes(this.db);
  }

  /** Full `PRAGMA integrity_check`; O(file size), meant for diagnostics and tests. */
  integrityCheck(): IntegrityReport {
    this.flushBeforeRead();
    return integrityCheck(this.db);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Flushes everything queued, checkpoints the WAL (optional) and closes the connection. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.writer?.close();
      if (!this.db.readonly && (this.opts.checkpointOnClose ?? true)) {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      }
    } finally {
      this.db.close();
    }
  }

  private requireWriter(): BatchWriter {
    if (this.writer === undefined) throw new Error('store was opened read-only');
    return this.writer;
  }

  private flushBeforeRead(): void {
    // Read-your-writes for callers; skipped while an export iterator holds the connection.
    if (this.writer !== undefined && this.writer.pending > 0 && !this.writer.reading) {
      this.writer.flush('manual');
    }
  }
}
