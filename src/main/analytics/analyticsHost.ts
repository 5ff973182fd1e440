/**
 * Main-thread owner of the analytics worker: spawns it (workerEntry.ts: tsx or the electron-vite
 * bundle), configures it with the selection and the stored bars (read from SQLite here, sent as
 * transferred typed arrays), forwards closed/revised bars of the selected pair together with the
 * feed time every `tickMs`, coalesces the worker's series updates into 'analytics' events at most
 * every `emitIntervalMs` (≤ 20 Hz), relays 'stationarity' reports, answers the analytics
 * requests, restarts the worker if it dies (and recomputes), and terminates it on stop.
 * The worker's heap is capped (`maxHeapMb`): a runaway computation kills the thread, not the app.
 * A dead worker is restarted with exponential backoff (50 ms … 5 s); after `maxRestarts` deaths
 * in a row (each within 30 s of its start) the host gives up until the selection changes. Both
 * are said in plain words: `notice` on every series event/response, `warmup` once it gave up.
 * The main thread computes no statistics: it converts NaN to null at the boundary, nothing more.
 */
import type { Worker } from 'node:worker_threads';
import type {
  AnalyticsSelection,
  AnalyticsSeries,
  EventMap,
  StationarityReport,
} from '../../core/contract/contract';
import {
  concatColumnBuffers,
  emptyColumnBuffers,
  toAnalyticsColumns,
  type ColumnBuffers,
} from '../../core/analysis/analyticsColumns';
import { DEFAULT_GRACE_MS } from '../../core/bars/barAggregator';
import { TIMEFRAME_MS, type Bar } from '../../core/market/types';
import type {
  AnalyticsWorkerData,
  BarArrays,
  HostToWorker,
  LiveBar,
  WorkerPerf,
  WorkerRequest,
  WorkerResponseValue,
  WorkerSettings,
  WorkerToHost,
} from './protocol';
import { analyticsWorkerEntry, startWorker, type WorkerEntry } from './workerEntry';
import { analyticsSelectionOf, sameSelection } from '../../core/contract/analyticsSelection';

export interface AnalyticsHostOptions {
  /**
   * Start times and closes of the last `limit` closed bars of a symbol at a timeframe, oldest
   * first (the store). Columns, because a 100 k-bar lookback is read on every selection change.
   */
  loadBars(symbol: string, timeframeMs: number, limit: number): BarArrays;
  /**
   * Current feed time (ms), or null without a running feed. Called every `tickMs`; every bar the
   * aggregator closes at or before (feed time − grace) must have been passed to `onBar` before it
   * returns (PairDeskServices advances the pipeline first).
   */
  feedNow?(): number | null;
  onSeries(payload: EventMap['analytics']): void;
  onStationarity(report: StationarityReport): void;
  /** Scheduled stationarity run every N new aligned bars (default 20). */
  testEveryBars?: number;
  /** Budget of one stationarity run (default 15 s). */
  testBudgetMs?: number;
  /** Live static β re-estimated every N new bars (default 20). */
  staticRefitBars?: number;
  /** Aggregator grace (default the aggregator's, 250 ms). */
  graceMs?: number;
  /** How often bars and the feed time go to the worker (default 100 ms). */
  tickMs?: number;
  /** Minimum time between two 'analytics' events (default 50 ms, 20 Hz). */
  emitIntervalMs?: number;
  /** Worker location override (tests); default analyticsWorkerEntry(). */
  entry?: WorkerEntry;
  /** Diagnostics (worker crashes and restarts). */
  log?(message: string): void;
  /** V8 old-generation heap cap of the worker thread, MB (default 1024). */
  maxHeapMb?: number;
  /** Consecutive deaths after which the worker is no longer restarted (default 5). */
  maxRestarts?: number;
}

/** What happened to the worker, for the UI and tests. */
export interface AnalyticsEngineStatus {
  restarts: number;
  /** True once `maxRestarts` deaths in a row stopped the restarts (until the selection changes). */
  gaveUp: boolean;
  /** The last incident in plain words, null when none. */
  notice: string | null;
}

export const DEFAULT_WORKER_HEAP_MB = 1024;
export const DEFAULT_MAX_RESTARTS = 5;

interface PendingRequest {
  resolve: (v: WorkerResponseValue) => void;
  reject: (e: Error) => void;
}

export class AnalyticsHost {
  private worker: Worker | null = null;
  private ready = false;
  private stopped = true;
  private selectionValue: AnalyticsSelection | null = null;
  private epoch = 0;
  private bars: LiveBar[] = [];
  private readonly pending = new Map<number, PendingRequest>();
  private nextId = 1;
  private tickTimer: NodeJS.Timeout | undefined;
  private emitTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Coalesced series event not yet emitted. */
  private outgoing: { reset: boolean; chunks: ColumnBuffers[]; warmup: string | null } | null =
    null;
  private lastEmitAt = 0;
  private restartCount = 0;
  private consecutiveCrashes = 0;
  private startedAt = 0;
  private lastLoadMs = 0;
  /** Epoch whose configure already saw the end of the source (feed time +∞). */
  private finishedEpoch = -1;
  private readonly settings: WorkerSettings;
  private entry: WorkerEntry | undefined;
  /** Why the worker cannot run at all (its file is missing), in plain words. */
  private failure: string | null = null;
  /** The last worker incident (plain words), shown with every series until the selection changes. */
  private notice: string | null = null;
  private lastWorkerError: string | null = null;
  private gaveUp = false;

  constructor(private readonly options: AnalyticsHostOptions) {
    this.settings = {
      graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
      testEveryBars: options.testEveryBars ?? 20,
      testBudgetMs: options.testBudgetMs ?? 15_000,
      staticRefitBars: options.staticRefitBars ?? 20,
    };
    this.entry = options.entry;
  }

  get selection(): AnalyticsSelection | null {
    return this.selectionValue;
  }

  /** Times the worker was restarted after dying. */
  get restarts(): number {
    return this.restartCount;
  }

  get status(): AnalyticsEngineStatus {
    return { restarts: this.restartCount, gaveUp: this.gaveUp, notice: this.notice };
  }

  /** The worker thread (tests: liveness checks). */
  get workerThread(): Worker | null {
    return this.worker;
  }

  /** ms the last recompute spent reading bars from the store (main thread). */
  get lastStoreReadMs(): number {
    return this.lastLoadMs;
  }

  /** Spawns the worker; with a selection, computes it right away. */
  start(selection?: AnalyticsSelection): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (selection) this.selectionValue = analyticsSelectionOf(selection);
    try {
      this.entry ??= analyticsWorkerEntry();
    } catch (error) {
      this.failure = (error as Error).message;
      this.options.log?.(this.failure);
      return;
    }
    this.spawn();
    const tickMs = this.options.tickMs ?? 100;
    this.tickTimer = setInterval(() => this.tick(), tickMs);
    this.tickTimer.unref();
  }

  /** Switches to a selection (recomputes from stored bars) unless it is the current one. */
  select(selection: AnalyticsSelection): void {
    if (sameSelection(this.selectionValue, selection)) return;
    this.selectionValue = analyticsSelectionOf(selection);
    this.notice = null;
    if (this.gaveUp && !this.stopped) {
      // A new selection (e.g. a shorter lookback) may well fit: try again from scratch.
      this.gaveUp = false;
      this.consecutiveCrashes = 0;
      this.spawn();
      return;
    }
    this.recompute();
  }

  /** Recomputes the current selection from stored bars (e.g. the data source switched). */
  recompute(): void {
    if (this.stopped || !this.ready || !this.worker || !this.selectionValue) return;
    const sel = this.selectionValue;
    const tfMs = TIMEFRAME_MS[sel.timeframe];
    this.epoch++;
    this.outgoing = null;
    // Bars closed up to now (feedNow may close some) are in the store: the pipeline stores before
    // it notifies. Later ones arrive through onBar and reach the worker after this configure.
    const feedNowMs = this.options.feedNow?.() ?? null;
    if (feedNowMs !== null && !Number.isFinite(feedNowMs)) this.finishedEpoch = this.epoch;
    this.bars = [];
    const t0 = performance.now();
    const barsA = this.options.loadBars(sel.pairA, tfMs, sel.lookback);
    const barsB = this.options.loadBars(sel.pairB, tfMs, sel.lookback);
    this.lastLoadMs = performance.now() - t0;
    this.send(
      {
        type: 'configure',
        epoch: this.epoch,
        selection: sel,
        tfMs,
        settings: this.settings,
        barsA,
        barsB,
        feedNowMs,
      },
      [barsA, barsB].flatMap((x) => [x.startMs.buffer, x.close.buffer] as ArrayBuffer[]),
    );
  }

  /** A closed or revised bar from the ingestion pipeline (any symbol, any timeframe). */
  onBar(bar: Bar): void {
    const sel = this.selectionValue;
    if (!sel || this.stopped) return;
    if (bar.timeframeMs !== TIMEFRAME_MS[sel.timeframe]) return;
    let leg: 0 | 1;
    if (bar.symbol === sel.pairA) leg = 0;
    else if (bar.symbol === sel.pairB) leg = 1;
    else return;
    this.bars.push({ leg, startMs: bar.startMs, close: bar.close, timeframeMs: bar.timeframeMs });
  }

  /** The last `limit` aligned bars of the current selection. */
  async series(limit: number): Promise<AnalyticsSeries> {
    const sel = this.selectionValue;
    if (!sel) throw new Error('no analytics selection yet');
    const v = await this.request({ kind: 'series', limit });
    if (v.kind !== 'series') throw new Error('unexpected worker response');
    return {
      selection: v.series.selection,
      columns: toAnalyticsColumns(v.series.columns),
      warmup: v.series.warmup,
      notice: this.notice,
    };
  }

  /** Runs the stationarity tests now on the current selection. */
  async runTests(): Promise<StationarityReport> {
    const v = await this.request({ kind: 'runTests' });
    if (v.kind !== 'report' || v.report === null) throw new Error('unexpected worker response');
    return v.report;
  }

  async lastTests(): Promise<StationarityReport | null> {
    const v = await this.request({ kind: 'lastTests' });
    if (v.kind !== 'report') throw new Error('unexpected worker response');
    return v.report;
  }

  /** Timing measured inside the worker. */
  async perf(): Promise<WorkerPerf> {
    const v = await this.request({ kind: 'perf' });
    if (v.kind !== 'perf') throw new Error('unexpected worker response');
    return v.perf;
  }

  /** Test hook: the worker throws from its message handler (it dies; the host restarts it). */
  crashWorkerForTest(message = 'test-induced crash'): void {
    this.send({ type: 'crash', message });
  }

  /** Test hook: the worker allocates until its heap cap (`maxHeapMb`) kills it. */
  exhaustWorkerMemoryForTest(): void {
    this.send({ type: 'exhaustMemory' });
  }

  /** Terminates the worker and every timer; pending requests are rejected. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.tickTimer);
    clearTimeout(this.emitTimer);
    clearTimeout(this.restartTimer);
    const w = this.worker;
    this.worker = null;
    this.ready = false;
    this.rejectPending(new Error('analytics stopped'));
    if (w) await w.terminate();
  }

  // ---- internals ----------------------------------------------------------------------------

  private spawn(): void {
    if (!this.entry) return;
    this.ready = false;
    this.startedAt = Date.now();
    const workerData: AnalyticsWorkerData = {
      role: 'analytics',
      entryUrl: this.entry.url.href,
      tsxApiUrl: this.entry.tsxApiUrl,
    };
    const w = startWorker(this.entry, workerData, {
      maxOldGenerationSizeMb: this.options.maxHeapMb ?? DEFAULT_WORKER_HEAP_MB,
    });
    this.worker = w;
    w.on('message', (m: WorkerToHost) => this.onMessage(w, m));
    w.on('error', (error: Error & { code?: string }) => {
      if (this.worker === w || this.worker === null) {
        this.lastWorkerError =
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `ran out of memory (over its ${this.options.maxHeapMb ?? DEFAULT_WORKER_HEAP_MB} MB heap)`
            : `failed: ${error.message}`;
      }
      this.options.log?.(`analytics worker failed: ${error.message}`);
    });
    w.on('exit', (code) => this.onExit(w, code));
  }

  private onExit(w: Worker, code: number): void {
    if (this.worker !== w) return; // terminated on purpose (stop)
    this.worker = null;
    this.ready = false;
    if (this.stopped) return;
    this.rejectPending(
      new Error(`the analytics worker stopped (exit code ${code}); restarting it`),
    );
    if (Date.now() - this.startedAt > 30_000) this.consecutiveCrashes = 0;
    const delay = Math.min(5_000, 50 * 2 ** this.consecutiveCrashes);
    this.consecutiveCrashes++;
    const why = this.lastWorkerError ?? `stopped (exit code ${code})`;
    this.lastWorkerError = null;
    const at = new Date().toISOString().slice(11, 19);
    const sel = this.selectionValue;
    if (this.consecutiveCrashes > (this.options.maxRestarts ?? DEFAULT_MAX_RESTARTS)) {
      this.gaveUp = true;
      this.notice =
        `The analytics worker ${why} at ${at} UTC, ${this.consecutiveCrashes} times in a row; ` +
        'it is no longer restarted. Change the selection (e.g. a shorter lookback) to try again.';
      this.options.log?.(this.notice);
      this.outgoing = null;
      // Say it where the Analytics tab shows status: an empty series with the reason.
      if (sel) {
        this.options.onSeries({
          reset: true,
          selection: sel,
          columns: toAnalyticsColumns(emptyColumnBuffers()),
          warmup: this.notice,
          notice: this.notice,
        });
      }
      return;
    }
    this.restartCount++;
    this.notice =
      `The analytics worker ${why} at ${at} UTC and was restarted ` +
      `(${this.restartCount} restart${this.restartCount === 1 ? '' : 's'}); ` +
      'the series was recomputed from the stored bars.';
    this.options.log?.(`analytics worker exited with code ${code}; restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      if (!this.stopped) this.spawn();
    }, delay);
    this.restartTimer.unref();
  }

  private onMessage(w: Worker, m: WorkerToHost): void {
    if (this.worker !== w) return;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.recompute();
        return;
      case 'series':
        if (m.epoch === this.epoch) this.queueSeries(m.reset, m.series.columns, m.series.warmup);
        return;
      case 'stationarity':
        if (m.epoch === this.epoch) this.options.onStationarity(m.report);
        return;
      case 'response': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else p.reject(new Error(m.error));
        return;
      }
    }
  }

  private tick(): void {
    if (!this.ready || !this.worker || !this.selectionValue) return;
    const feedNowMs = this.options.feedNow?.() ?? null;
    if (feedNowMs !== null && !Number.isFinite(feedNowMs) && this.finishedEpoch !== this.epoch) {
      // The source ended (feed time +∞): its last bars are closed and stored. Recompute once from
      // the store, so the frozen series is exactly what a restart or `analyze` on the same data
      // gives (live static β re-estimated over the final rows, windows over the lookback).
      this.recompute();
      return;
    }
    const bars = this.bars;
    this.bars = [];
    this.send({ type: 'feed', epoch: this.epoch, bars, feedNowMs });
  }

  private queueSeries(reset: boolean, columns: ColumnBuffers, warmup: string | null): void {
    if (reset || !this.outgoing) this.outgoing = { reset, chunks: [columns], warmup };
    else {
      this.outgoing.chunks.push(columns);
      this.outgoing.warmup = warmup;
    }
    if (this.emitTimer) return;
    const interval = this.options.emitIntervalMs ?? 50;
    const wait = Math.max(0, this.lastEmitAt + interval - Date.now());
    this.emitTimer = setTimeout(() => this.emitSeries(), wait);
    this.emitTimer.unref();
  }

  private emitSeries(): void {
    this.emitTimer = undefined;
    const out = this.outgoing;
    const sel = this.selectionValue;
    this.outgoing = null;
    if (!out || !sel || this.stopped) return;
    this.lastEmitAt = Date.now();
    const columns = out.chunks.length > 0 ? concatColumnBuffers(out.chunks) : emptyColumnBuffers();
    this.options.onSeries({
      reset: out.reset,
      selection: sel,
      columns: toAnalyticsColumns(columns),
      warmup: out.warmup,
      notice: this.notice,
    });
  }

  private request(request: WorkerRequest): Promise<WorkerResponseValue> {
    if (this.stopped) return Promise.reject(new Error('analytics stopped'));
    if (this.failure !== null) return Promise.reject(new Error(this.failure));
    if (this.gaveUp && this.notice !== null) return Promise.reject(new Error(this.notice));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.ready && this.worker) this.send({ type: 'request', id, request });
      else this.whenReady(() => this.send({ type: 'request', id, request }));
    });
  }

  /** Runs `fn` once the worker is up (requests made during a restart wait for it). */
  private whenReady(fn: () => void): void {
    const check = (): void => {
      if (this.stopped) return;
      if (this.gaveUp) {
        // No worker will come: fail the waiting requests now rather than leave them hanging.
        this.rejectPending(new Error(this.notice ?? 'the analytics worker is not running'));
        return;
      }
      if (this.ready && this.worker) fn();
      else setTimeout(check, 10).unref();
    };
    check();
  }

  private send(msg: HostToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker?.postMessage(msg, transfer);
  }

  private rejectPending(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }
}
