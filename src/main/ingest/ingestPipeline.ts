/**
 * The one ingestion path, shared by the live recorder, the demo, replays and the desktop app:
 * raw frame → decode → validate → (store + bars). Bad input is rejected and counted, never
 * thrown; good data is never dropped because of bad data next to it.
 */
import { performance } from 'node:perf_hooks';
import { decodeMessage } from '../../core/binance/decode';
import type { BookTicker } from '../../core/binance/messages';
import { TradeIdGapTracker, type TradeIdGap } from '../../core/binance/gapTracker';
import { BarAggregator, type BarSink } from '../../core/bars/barAggregator';
import { FeedClock } from '../../core/bars/feedClock';
import type { Bar, RejectReason, Rejection, Tick } from '../../core/market/types';
import { TIMEFRAMES, TIMEFRAME_MS } from '../../core/market/types';
import { LatencyHistogram } from '../../core/metrics/latencyHistogram';
import { RateMeter } from '../../core/metrics/rateMeter';
import { clip, MAX_MESSAGE_CHARS } from '../../core/validation/clip';
import { RejectCounter, type RejectContext } from '../../core/validation/rejectCounter';
import { isBarEligible, TickValidator } from '../../core/validation/tickValidator';
import type { PairDeskStore } from '../store/store';

export interface IngestListener {
  /** A bar became final (closed by a later tick or by the feed clock). */
  onBarClosed?(bar: Bar): void;
  /** A final bar changed because a late tick arrived within the horizon. */
  onBarRevised?(bar: Bar): void;
  /** A tick was accepted (after validation); allocation-free hook for coalescing UIs. */
  onTick?(tick: Tick): void;
  onBookTicker?(book: BookTicker): void;
  /** Trade ids skipped on the feed: a REST backfill can fill [fromId, toId]. */
  onGap?(gap: TradeIdGap): void;
  onReject?(rejection: Rejection, context: RejectContext | undefined): void;
}

export interface IngestPipelineOptions {
  store: PairDeskStore;
  datasetId: number;
  /** Known symbols; when empty any well-formed symbol is accepted (replays of unknown files). */
  symbols?: readonly string[];
  /** Bar timeframes in ms (multiples of 1 s). Default 1s, 1m, 5m. */
  timeframesMs?: readonly number[];
  /** How long after an interval's end the feed clock closes a quiet symbol's bar. */
  graceMs?: number;
  /** Label for reject reports, e.g. `live` or a file name. */
  sourceLabel?: string;
  /** Wall clock (ms) for timestamp plausibility. */
  wallNow?: () => number;
  /** Local monotonic clock (ms) that carries the feed clock forward while the feed is quiet. */
  monotonicNow?: () => number;
  /** How often the feed clock is advanced to close quiet bars. Default 100 ms. */
  advanceIntervalMs?: number;
  /**
   * The feed's times follow the wall clock (a live exchange): ticks are also judged against
   * `wallNow` (FeedClock.implausible). Leave unset for replays, whose dates are the capture's.
   */
  wallClockFeed?: boolean;
  listener?: IngestListener;
}

export interface IngestSnapshot {
  messages: number;
  messagesPerSec: number;
  /** Wall-clock ms of the last frame, null before the first. */
  lastMessageAtMs: number | null;
  ticksAccepted: number;
  ticksStored: number;
  barsClosed: number;
  barsRevised: number;
  rejects: Record<RejectReason, number>;
  rejectsTotal: number;
  gaps: number;
  /** Frame handed over → tick validated, stored-queue and bar updated (ms). */
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
}

/** Both trade streams: a dataset may hold either (or both) for a symbol. */
const TRADE_STREAMS = ['aggTrade', 'trade'] as const;

const DEFAULT_TIMEFRAMES_MS = TIMEFRAMES.map((tf) => TIMEFRAME_MS[tf]);

/**
 * Longest price / quantity text stored. Binance sends at most ~20 characters; the decimal grammar
 * alone admits a megabyte of digits that parses to a fine number, and every stored tick keeps its
 * text (in the writer queue, then on disk), so longer texts are rejected as bad values.
 */
export const MAX_DECIMAL_TEXT_CHARS = 64;

export class IngestPipeline implements BarSink {
  readonly rejects = new RejectCounter();
  readonly latency = new LatencyHistogram(0.005, 1_000);
  readonly clock = new FeedClock();
  readonly aggregator: BarAggregator;
  private readonly validator: TickValidator;
  private readonly gaps = new TradeIdGapTracker();
  private readonly rate = new RateMeter();
  private readonly lastPrices = new Map<
    string,
    { price: number; timeMs: number; eventTimeMs: number }
  >();
  private readonly monotonicNow: () => number;
  private readonly wallNow: () => number;
  private timer: NodeJS.Timeout | undefined;
  private messages = 0;
  private lastMessageAtMs: number | null = null;
  private ticksAccepted = 0;
  private barsClosed = 0;
  private barsRevised = 0;
  private gapCount = 0;
  private readonly storedAtStart: number;

  constructor(private readonly options: IngestPipelineOptions) {
    this.monotonicNow = options.monotonicNow ?? (() => performance.now());
    this.wallNow = options.wallNow ?? Date.now;
    this.validator = new TickValidator({ symbols: options.symbols, now: this.wallNow });
    this.aggregator = new BarAggregator(options.timeframesMs ?? DEFAULT_TIMEFRAMES_MS, this, {
      graceMs: options.graceMs,
    });
    this.storedAtStart = options.store.tickCount(options.datasetId);
  }

  get datasetId(): number {
    return this.options.datasetId;
  }

  /** Starts the timer that moves the feed clock on, so quiet symbols' bars close on time. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.advance(), this.options.advanceIntervalMs ?? 100);
    this.timer.unref();
  }

  /** Feed time now (ms; FeedClock.now on this pipeline's monotonic clock). */
  feedNow(): number {
    return this.clock.now(this.monotonicNow());
  }

  /** Closes due bars at the current feed time. */
  advance(): void {
    if (this.clock.lastEventTimeMs === undefined || !Number.isFinite(this.clock.lastEventTimeMs)) {
      return;
    }
    this.aggregator.advance(this.clock.now(this.monotonicNow()));
  }

  /**
   * Ends ingestion: closes every open bar (they hold all ticks received) and flushes the store.
   * Call once the source is finished or the user stops recording.
   */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // The feed time stops here (now() = +∞): nothing may be forward-filled past the source's end.
    this.clock.end();
    this.aggregator.advance(Number.POSITIVE_INFINITY);
    this.options.store.flush();
  }

  /**
   * Continues a dataset that already holds ticks (the long-lived live dataset after a restart):
   * the ticks of each symbol's last, possibly unfinished, largest-timeframe interval are replayed
   * into the validator and the aggregator (not stored again), so bars spanning the restart still
   * equal their ticks, repeats are recognised, and the first new id reveals the downtime gap.
   * Returns the number of ticks replayed.
   */
  resume(): number {
    const { store, datasetId } = this.options;
    const largest = Math.max(...this.aggregator.timeframesMs);
    let replayed = 0;
    for (const symbol of store.tickSymbols(datasetId)) {
      for (const stream of TRADE_STREAMS) {
        // Read back from the newest tick to the start of its largest-timeframe interval.
        const recent: Tick[] = [];
        let fromMs = Number.NEGATIVE_INFINITY;
        for (const tick of store.newestTicks(datasetId, symbol, stream)) {
          if (recent.length === 0) fromMs = Math.floor(tick.timeMs / largest) * largest;
          if (tick.timeMs < fromMs) break;
          recent.push(tick);
        }
        for (let i = recent.length - 1; i >= 0; i--) {
          const tick = recent[i];
          if (this.validator.validate(tick) !== null) continue;
          this.clock.observe(tick.eventTimeMs, this.monotonicNow());
          if (isBarEligible(tick)) this.aggregator.add(tick);
          this.gaps.observe(tick);
          replayed++;
        }
      }
    }
    return replayed;
  }

  addSymbol(symbol: string): void {
    this.validator.addSymbol(symbol);
  }

  removeSymbol(symbol: string): void {
    this.validator.removeSymbol(symbol);
  }

  /**
   * One frame from the feed (or one line of a capture). `receivedAt` is the monotonic time the
   * frame was handed over, for the latency figure.
   */
  handleRaw(raw: string, receivedAt = this.monotonicNow(), context?: RejectContext): void {
    this.messages++;
    const wall = this.wallNow();
    this.lastMessageAtMs = wall;
    this.rate.add(wall);
    const message = decodeMessage(raw);
    switch (message.kind) {
      case 'trade':
        this.handleTick(message.tick, receivedAt, context, raw);
        return;
      case 'bookTicker':
        this.options.listener?.onBookTicker?.(message.book);
        return;
      case 'rejected':
        this.reject(message.rejection, context, raw);
        return;
      default:
        // Subscription and error replies are the feed client's business.
        return;
    }
  }

  /** A decoded tick (from a frame or a file). */
  handleTick(
    tick: Tick,
    receivedAt = this.monotonicNow(),
    context?: RejectContext,
    raw?: string,
  ): void {
    // Length first: validate() marks a valid id as seen, and this tick is not kept.
    const rejection = overlongText(tick) ?? this.validator.validate(tick);
    if (rejection) {
      this.reject(rejection, context, raw);
      return;
    }
    const local = this.monotonicNow();
    const offClock = this.clock.implausible(
      tick.timeMs,
      tick.eventTimeMs,
      local,
      this.options.wallClockFeed ? this.wallNow() : undefined,
    );
    if (offClock) {
      // Far behind the feed clock or ahead of the wall clock: it would open a years-long gap.
      this.reject(offClock, context, raw);
      return;
    }
    this.clock.observe(tick.eventTimeMs, local);
    if (isBarEligible(tick)) {
      const late = this.aggregator.add(tick);
      if (late) {
        // Beyond the revision horizon the bar can no longer be corrected: keep store and bars
        // consistent by refusing the tick, and say so.
        this.reject(late, context, raw);
        return;
      }
    }
    const gap = this.gaps.observe(tick);
    if (gap) {
      this.gapCount++;
      this.options.listener?.onGap?.(gap);
    }
    this.options.store.enqueueTick(this.options.datasetId, tick);
    this.ticksAccepted++;
    const last = this.lastPrices.get(tick.symbol);
    if (!last) {
      this.lastPrices.set(tick.symbol, {
        price: tick.price,
        timeMs: tick.timeMs,
        eventTimeMs: tick.eventTimeMs,
      });
    } else if (tick.timeMs >= last.timeMs) {
      last.price = tick.price;
      last.timeMs = tick.timeMs;
      last.eventTimeMs = tick.eventTimeMs;
    }
    this.latency.record(this.monotonicNow() - receivedAt);
    this.options.listener?.onTick?.(tick);
  }

  onBarClosed(bar: Bar): void {
    this.barsClosed++;
    this.options.store.enqueueBar(this.options.datasetId, bar);
    this.options.listener?.onBarClosed?.(bar);
  }

  onBarRevised(bar: Bar): void {
    this.barsRevised++;
    this.options.store.enqueueBar(this.options.datasetId, bar);
    this.options.listener?.onBarRevised?.(bar);
  }

  lastPrice(symbol: string): { price: number; timeMs: number; eventTimeMs: number } | undefined {
    return this.lastPrices.get(symbol);
  }

  lastPriceSymbols(): string[] {
    return [...this.lastPrices.keys()];
  }

  snapshot(): IngestSnapshot {
    const storeStats = this.options.store.stats();
    return {
      messages: this.messages,
      messagesPerSec: this.rate.perSecond(this.wallNow()),
      lastMessageAtMs: this.lastMessageAtMs,
      ticksAccepted: this.ticksAccepted,
      ticksStored: this.storedAtStart + storeStats.ticksWritten,
      barsClosed: this.barsClosed,
      barsRevised: this.barsRevised,
      rejects: this.rejects.snapshot(),
      rejectsTotal: this.rejects.total,
      gaps: this.gapCount,
      latencyP50Ms: this.latency.percentile(0.5),
      latencyP99Ms: this.latency.percentile(0.99),
      latencyMaxMs: this.latency.max,
    };
  }

  private reject(found: Rejection, context: RejectContext | undefined, raw?: string): void {
    // A detached, bounded message: decoder messages may be cut from (and so pin) a huge frame.
    const rejection: Rejection = { ...found, message: clip(found.message, MAX_MESSAGE_CHARS) };
    const ctx: RejectContext = {
      source: context?.source ?? this.options.sourceLabel,
      line: context?.line,
      raw: raw ?? context?.raw,
    };
    this.rejects.add(rejection, ctx);
    this.options.listener?.onReject?.(rejection, ctx);
  }
}

function overlongText(tick: Tick): Rejection | null {
  if (tick.priceText.length > MAX_DECIMAL_TEXT_CHARS) {
    return {
      reason: 'bad_price',
      field: 'p',
      message: `price "${clip(tick.priceText)}" is longer than ${MAX_DECIMAL_TEXT_CHARS} characters`,
    };
  }
  if (tick.qtyText.length > MAX_DECIMAL_TEXT_CHARS) {
    return {
      reason: 'bad_qty',
      field: 'q',
      message: `quantity "${clip(tick.qtyText)}" is longer than ${MAX_DECIMAL_TEXT_CHARS} characters`,
    };
  }
  return null;
}
