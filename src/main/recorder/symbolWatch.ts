/**
 * Symbols that get no data. Binance acknowledges a subscription to a stream that does not exist
 * (`btc@aggTrade`) and then sends nothing, and so does the local feed; the only sign of a wrong
 * symbol is silence. This watch notes when each symbol's subscription was acknowledged — the
 * first connection that opened with it, or the ack of a later SUBSCRIBE — and which symbols have
 * had no frame since.
 */
import type { BinanceFeedClient } from '../feed';
import { streamName } from '../feed/streams';
import { FEED_ROUTES, type StreamKind } from '../feed/types';

export interface SilentSymbol {
  symbol: string;
  /** When its subscription was acknowledged (epoch ms). */
  ackedAtMs: number;
}

export class SilentSymbolWatch {
  private readonly ackedAt = new Map<string, number>();
  private readonly warned = new Set<string>();
  private readonly streamOf: Map<string, string>;

  constructor(
    private readonly feed: BinanceFeedClient,
    symbols: readonly string[],
    stream: StreamKind,
    private readonly now: () => number = Date.now,
  ) {
    this.streamOf = new Map(symbols.map((s) => [s, streamName(s, stream)]));
    feed.on('control', (ev) => {
      if (ev.method !== 'SUBSCRIBE' || ev.outcome !== 'ack') return;
      for (const [symbol, name] of this.streamOf) {
        if (ev.params.includes(name) && !this.ackedAt.has(symbol)) {
          this.ackedAt.set(symbol, this.now());
        }
      }
    });
  }

  /** Symbols with no frame yet (whether or not acknowledged). */
  silent(): string[] {
    const seen = this.feed.lastMessageTimes();
    return [...this.streamOf].filter(([, name]) => !seen.has(name)).map(([s]) => s);
  }

  /**
   * Symbols silent for at least `afterMs` since their acknowledgement, each returned once (the
   * caller warns once per symbol). Call periodically.
   */
  overdue(afterMs: number): SilentSymbol[] {
    this.noteOpenConnections();
    const now = this.now();
    const out: SilentSymbol[] = [];
    for (const symbol of this.silent()) {
      const acked = this.ackedAt.get(symbol);
      if (acked === undefined || this.warned.has(symbol) || now - acked < afterMs) continue;
      this.warned.add(symbol);
      out.push({ symbol, ackedAtMs: acked });
    }
    return out;
  }

  /** Acknowledgement time of a symbol, if any. */
  ackedAtMs(symbol: string): number | undefined {
    this.noteOpenConnections();
    return this.ackedAt.get(symbol);
  }

  /** A connection that opened with the symbols in its URL acknowledged them all. */
  private noteOpenConnections(): void {
    const routes = this.feed.stats().routes;
    const opened = FEED_ROUTES.map((r) => routes[r]?.connectedAtMs ?? null).filter(
      (t): t is number => t !== null,
    );
    if (opened.length === 0) return;
    const at = Math.min(...opened);
    for (const symbol of this.streamOf.keys()) {
      if (!this.ackedAt.has(symbol)) this.ackedAt.set(symbol, at);
    }
  }
}

/** `BTC` → `BTCUSDT`: the perpetual a bare base asset most likely meant. */
export function likelySymbol(symbol: string): string {
  return /(USDT|USDC|BUSD|USD)$/.test(symbol) ? 'BTCUSDT' : `${symbol}USDT`;
}
