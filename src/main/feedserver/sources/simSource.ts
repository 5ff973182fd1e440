/**
 * Real-time pacing of the pure simulator (src/core/sim): a timer every `tickMs` emits every
 * event whose trade time is due. Trade time T comes from the model (anchored at the wall clock
 * when the source starts); event time E is the wall clock at emission, so T ≤ E always.
 */
import {
  aggTradePayload,
  bookTickerPayload,
  simStreamNames,
  SimMarket,
  tradePayload,
  type SimMarketInput,
} from '../../../core/sim';
import type { FeedSink, FeedSource } from './source';

export interface SimSourceOptions extends Omit<SimMarketInput, 'startTimeMs'> {
  /** Emission timer period in ms (default 5). */
  tickMs?: number;
  /** Safety cap on events emitted per timer tick (default 50 000). */
  maxEventsPerTick?: number;
  /**
   * Start the market clock when the first connection subscribes (default false: the market runs
   * from server start, like a real exchange). Tests use it to get the stream from its first event.
   */
  startOnFirstSubscriber?: boolean;
}

export interface SimSourceStats {
  /** Taker orders (aggTrades) simulated so far. */
  events: number;
  /** How far the simulation lags the wall clock, ms (0 when keeping up). */
  lagMs: number;
}

export class SimSource implements FeedSource {
  readonly kind = 'sim' as const;
  private market: SimMarket | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly names = new Map<string, ReturnType<typeof simStreamNames>>();
  private lagMs = 0;
  /** Validated configuration (resolved once so bad options fail at construction). */
  readonly preview: SimMarket;

  constructor(private readonly options: SimSourceOptions = {}) {
    this.preview = new SimMarket({ ...marketInput(options), startTimeMs: 0 });
    for (const symbol of this.preview.symbols) this.names.set(symbol, simStreamNames(symbol));
  }

  get startOnFirstSubscriber(): boolean {
    return this.options.startOnFirstSubscriber ?? false;
  }

  describe(): string {
    const cfg = this.preview.config;
    const symbols = cfg.symbols.map((s) => s.symbol).join(',');
    return (
      `simulated ${symbols} at ${cfg.rate} aggTrades/s (seed ${cfg.seed}, ` +
      `~${cfg.meanFillsPerAggTrade}× fills on @trade)`
    );
  }

  start(sink: FeedSink): void {
    if (this.timer) return;
    this.market = new SimMarket({ ...marketInput(this.options), startTimeMs: Date.now() });
    const tickMs = this.options.tickMs ?? 5;
    this.timer = setInterval(() => this.tick(sink), tickMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  stats(): SimSourceStats {
    return { events: this.market?.count ?? 0, lagMs: this.lagMs };
  }

  private tick(sink: FeedSink): void {
    const market = this.market;
    if (!market) return;
    const now = Date.now();
    const cap = this.options.maxEventsPerTick ?? 50_000;
    let emitted = 0;
    while (market.peekTimeMs() <= now && emitted < cap) {
      const ev = market.next();
      emitted++;
      const trade = ev.trade;
      const names = this.names.get(trade.symbol);
      if (!names) continue;
      if (sink.wants(names.aggTrade)) sink.publish(names.aggTrade, aggTradePayload(trade, now));
      if (sink.wants(names.trade)) {
        for (const fill of trade.fills) sink.publish(names.trade, tradePayload(trade, fill, now));
      }
      for (const quote of ev.quotes) {
        const quoteNames = this.names.get(quote.symbol);
        if (quoteNames && sink.wants(quoteNames.bookTicker)) {
          sink.publish(quoteNames.bookTicker, bookTickerPayload(quote, now));
        }
      }
    }
    this.lagMs = Math.max(0, now - market.peekTimeMs());
  }
}

function marketInput(options: SimSourceOptions): SimMarketInput {
  const {
    tickMs: _tickMs,
    maxEventsPerTick: _max,
    startOnFirstSubscriber: _start,
    ...input
  } = options;
  return input;
}
