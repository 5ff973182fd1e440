/**
 * Headless recorder: the Binance feed client feeding the ingestion pipeline into SQLite. Used by
 * `pairdesk record`, the demo, the browser mode and the desktop app alike.
 */
import { performance } from 'node:perf_hooks';
import { BinanceFeedClient, type BinanceFeedClientOptions } from '../feed';
import type { OverallStateEvent } from '../feed/types';
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
  datasetKind?: DatasetKind;
  datasetLabel?: string;
  listener?: IngestListener;
  feed?: Partial<BinanceFeedClientOptions>;
  /** Called on every overall connection-state change. */
  onConnection?: (state: OverallStateEvent) => void;
}

export interface RecorderStatus extends IngestSnapshot {
  connection: OverallStateEvent;
  datasetId: number;
}

export class Recorder {
  readonly feed: BinanceFeedClient;
  readonly pipeline: IngestPipeline;
  readonly dataset: DatasetInfo;
  private stopped = false;

  constructor(private readonly options: RecorderOptions) {
    const { store } = options;
    const kind = options.datasetKind ?? 'live';
    const source = options.url ?? 'wss://fstream.binance.com';
    this.dataset =
      kind === 'live'
        ? store.getOrCreateLiveDataset(options.datasetLabel ?? 'Live', source)
        : store.createDataset(kind, options.datasetLabel ?? kind, source);
    this.pipeline = new IngestPipeline({
      store,
      datasetId: this.dataset.id,
      symbols: options.symbols,
      sourceLabel: `${kind}:${source}`,
      listener: options.listener,
    });
    this.feed = new BinanceFeedClient({
      ...options.feed,
      baseUrl: options.url,
      symbols: options.symbols,
      tradeStream: options.tradeStream ?? 'aggTrade',
      bookTicker: options.bookTicker ?? false,
    });
    this.feed.onMessage((raw) => this.pipeline.handleRaw(raw, performance.now()));
    if (options.onConnection) this.feed.on('overall', options.onConnection);
  }

  start(): void {
    if (this.dataset.tickCount > 0) this.pipeline.resume();
    this.pipeline.start();
    this.feed.start();
  }

  addSymbol(symbol: string): void {
    this.pipeline.addSymbol(symbol);
    this.feed.addSymbol(symbol);
  }

  removeSymbol(symbol: string): void {
    this.feed.removeSymbol(symbol);
    this.pipeline.removeSymbol(symbol);
  }

  status(): RecorderStatus {
    return {
      ...this.pipeline.snapshot(),
      connection: this.feed.state(),
      datasetId: this.dataset.id,
    };
  }

  /** Graceful stop: close the socket, close every open bar, flush. Loses nothing received. */
  async stop(): Promise<RecorderStatus> {
    if (!this.stopped) {
      this.stopped = true;
      await this.feed.stop();
      this.pipeline.finish();
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
