/**
 * Headless recorder: the Binance feed client feeding the ingestion pipeline into SQLite. Used by
 * `pairdesk record`, the demo, the browser mode and the desktop app alike.
 */
import { performance } from 'node:perf_hooks';
import { BinanceFeedClient, type BinanceFeedClientOptions } from '../feed';
import type { DeclaredSource } from '../feed/sourceHeader';
import type { OverallStateEvent } from '../feed/types';
import { RejectCounter } from '../../core/validation/rejectCounter';
import { IngestPipeline, type IngestListener, type IngestSnapshot } from '../ingest/ingestPipeline';
import type { DatasetInfo, DatasetKind } from '../store/datasets';
import type { PairDeskStore } from '../store/store';

export interface RecorderOptions {
  store: PairDeskStore;
  symbols: readonly string[];
  /** Base URL; the client adds route and stream path. Default Binance USD-M futures. */
  url?: string;
  tradeStream?: 'aggTrade' | 'trade';
  bookTicker?: boolean;
  /**
   * Default `live`. `auto`: the kind follows what the feed declares on its first handshake (see
   * feed/sourceHeader.ts) — `demo` for the local simulator, `replay` for a capture replay, `live`
   * when it declares nothing (Binance) — and the dataset is created then, before any data.
   */
  datasetKind?: DatasetKind | 'auto';
  datasetLabel?: string;
  /** Called once the dataset is chosen: at construction, or at the first handshake in auto. */
  onDataset?: (dataset: DatasetInfo, declared: DeclaredSource | null) => void;
  listener?: IngestListener;
  /**
   * Local monotonic clock of the ingestion pipeline (default performance.now). A replay passes
   * one that stands still while paused, so the feed clock does not run on (and close bars) while
   * nothing is sent.
   */
  monotonicNow?: () => number;
  feed?: Partial<BinanceFeedClientOptions>;
  /** Called on every overall connection-state change. */
  onConnection?: (state: OverallStateEvent) => void;
}

export interface RecorderStatus extends IngestSnapshot {
  connection: OverallStateEvent;
  /** null while `auto` waits for the first handshake to choose the dataset. */
  datasetId: number | null;
}

const BINANCE_URL = 'wss://fstream.binance.com';

/** The dataset kind for what a feed declares: demo (simulator), replay, or live (nothing). */
export function datasetKindFor(declared: DeclaredSource | null): DatasetKind {
  return declared?.kind === 'sim' ? 'demo' : declared?.kind === 'replay' ? 'replay' : 'live';
}

/** The kind and default label a declared source gets in auto mode. */
function kindFor(
  declared: DeclaredSource | null,
  url: string,
): { kind: DatasetKind; label: string } {
  if (declared?.kind === 'sim') return { kind: 'demo', label: `Simulated market (${url})` };
  if (declared?.kind === 'replay') {
    return { kind: 'replay', label: `Replay ${declared.file ?? 'of a capture'} (${url})` };
  }
  return { kind: 'live', label: 'Live' };
}

function emptySnapshot(): IngestSnapshot {
  return {
    messages: 0,
    messagesPerSec: 0,
    lastMessageAtMs: null,
    ticksAccepted: 0,
    ticksStored: 0,
    barsClosed: 0,
    barsRevised: 0,
    rejects: new RejectCounter().snapshot(),
    rejectsTotal: 0,
    gaps: 0,
    latencyP50Ms: 0,
    latencyP99Ms: 0,
    latencyMaxMs: 0,
  };
}

export class Recorder {
  readonly feed: BinanceFeedClient;
  private current: { dataset: DatasetInfo; pipeline: IngestPipeline } | null = null;
  private readonly symbolSet: Set<string>;
  private declaredSource: DeclaredSource | null = null;
  private started = false;
  private stopped = false;

  constructor(private readonly options: RecorderOptions) {
    const kind = options.datasetKind ?? 'live';
    this.symbolSet = new Set(options.symbols);
    this.feed = new BinanceFeedClient({
      ...options.feed,
      baseUrl: options.url,
      symbols: options.symbols,
      tradeStream: options.tradeStream ?? 'aggTrade',
      bookTicker: options.bookTicker ?? false,
    });
    // The handshake response comes before any frame of its connection, so in auto mode the
    // dataset exists by the time data arrives.
    this.feed.on('source', (ev) => {
      if (this.current === null) {
        this.declaredSource = ev.source;
        const chosen = kindFor(ev.source, options.url ?? BINANCE_URL);
        this.choose(chosen.kind, options.datasetLabel ?? chosen.label);
      }
    });
    this.feed.onMessage((raw) => this.current?.pipeline.handleRaw(raw, performance.now()));
    if (options.onConnection) this.feed.on('overall', options.onConnection);
    if (kind !== 'auto')
      this.choose(kind, options.datasetLabel ?? (kind === 'live' ? 'Live' : kind));
  }

  private choose(kind: DatasetKind, label: string): void {
    const { store } = this.options;
    const source = this.options.url ?? BINANCE_URL;
    const dataset =
      kind === 'live'
        ? store.getOrCreateLiveDataset(label, source)
        : store.createDataset(kind, label, source);
    const pipeline = new IngestPipeline({
      store,
      datasetId: dataset.id,
      symbols: [...this.symbolSet],
      sourceLabel: `${kind}:${source}`,
      wallClockFeed: kind === 'live',
      listener: this.options.listener,
      monotonicNow: this.options.monotonicNow,
    });
    this.current = { dataset, pipeline };
    if (this.started) this.startPipeline();
    this.options.onDataset?.(dataset, this.declaredSource);
  }

  private startPipeline(): void {
    const current = this.current;
    if (!current) return;
    if (current.dataset.tickCount > 0) current.pipeline.resume();
    current.pipeline.start();
  }

  /**
   * The ingestion pipeline. Always there unless `datasetKind: 'auto'` still waits for the first
   * handshake (then it throws; see `datasetIfChosen`).
   */
  get pipeline(): IngestPipeline {
    if (!this.current) throw new Error('the dataset is chosen at the first handshake');
    return this.current.pipeline;
  }

  /** The dataset written to; same availability as `pipeline`. */
  get dataset(): DatasetInfo {
    if (!this.current) throw new Error('the dataset is chosen at the first handshake');
    return this.current.dataset;
  }

  /** The dataset, or undefined while `auto` waits for the first handshake. */
  get datasetIfChosen(): DatasetInfo | undefined {
    return this.current?.dataset;
  }

  /** What the feed declared at the first handshake (null: nothing, i.e. an exchange feed). */
  get source(): DeclaredSource | null {
    return this.declaredSource;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.startPipeline();
    this.feed.start();
  }

  addSymbol(symbol: string): void {
    this.symbolSet.add(symbol);
    this.current?.pipeline.addSymbol(symbol);
    this.feed.addSymbol(symbol);
  }

  removeSymbol(symbol: string): void {
    this.symbolSet.delete(symbol);
    this.feed.removeSymbol(symbol);
    this.current?.pipeline.removeSymbol(symbol);
  }

  status(): RecorderStatus {
    return {
      ...(this.current?.pipeline.snapshot() ?? emptySnapshot()),
      connection: this.feed.state(),
      datasetId: this.current?.dataset.id ?? null,
    };
  }

  /** Graceful stop: close the socket, close every open bar, flush. Loses nothing received. */
  async stop(): Promise<RecorderStatus> {
    if (!this.stopped) {
      this.stopped = true;
      await this.feed.stop();
      this.current?.pipeline.finish();
    }
    return this.status();
  }
}

/** One status line: connection, rates, stored ticks, rejects by reason, last prices. */
export function formatStatusLine(status: RecorderStatus, lastPrices: string): string {
  const rejects = Object.entries(status.rejects)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason}=${n}`)
    .join(' ');
  const conn = `${status.connection.state}${status.connection.reason ? ` (${status.connection.reason})` : ''}`;
  return [
    conn,
    `${Math.round(status.messagesPerSec)} msg/s`,
    `ticks stored ${status.ticksStored}`,
    `bars ${status.barsClosed}`,
    `rejects ${status.rejectsTotal}${rejects ? ` [${rejects}]` : ''}`,
    status.gaps > 0 ? `trade-id gaps ${status.gaps}` : '',
    lastPrices,
  ]
    .filter(Boolean)
    .join(' · ');
}
