import { DEFAULT_BACKOFF } from './backoff';
import { RouteConnection, type RouteConnectionSettings } from './RouteConnection';
import { parseSourceHeader, SOURCE_HEADER } from './sourceHeader';
import { FeedCapacityError, normalizeSymbol, streamName } from './streams';
import { TypedEmitter, type Listener } from './TypedEmitter';
import {
  FEED_ROUTES,
  type BinanceFeedClientOptions,
  type FeedClientEvents,
  type FeedMessageHandler,
  type FeedRoute,
  type FeedState,
  type FeedStats,
  type OverallStateEvent,
  type RouteStateEvent,
  type StreamKind,
} from './types';

export const DEFAULT_BASE_URL = 'wss://fstream.binance.com';
export const DEFAULT_ROUTES: Readonly<Record<StreamKind, FeedRoute>> = {
  aggTrade: 'market',
  trade: 'market',
  bookTicker: 'public',
};
export const DEFAULT_WATCHDOG_MS = 10_000;
export const DEFAULT_MAX_LIFETIME_MS = 23 * 3_600_000 + 30 * 60_000;
export const DEFAULT_LIFETIME_JITTER_MS = 5 * 60_000;
export const DEFAULT_CONTROL_RATE_PER_SEC = 4;
export const DEFAULT_CONTROL_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_STREAMS_PER_CONNECTION = 200;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Binance frames are < 1 KB; anything near this is hostile or broken. */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
/** Binance disconnects above 10 incoming messages/s per connection (control frames + pongs). */
export const BINANCE_INCOMING_LIMIT_PER_SEC = 10;

/** Severity order used for the overall state (higher = worse). */
const SEVERITY: Record<FeedState, number> = {
  live: 0,
  connecting: 1,
  stale: 2,
  backing_off: 3,
  stopped: -1,
};

/**
 * Production client for Binance USD-M futures market streams.
 *
 * - One combined-stream connection per route: `${baseUrl}/${route}/stream?streams=a/b`.
 * - Live SUBSCRIBE/UNSUBSCRIBE through a per-connection, rate-limited, coalescing control queue.
 * - Watchdog (open but silent → reconnect), exponential backoff with full jitter, make-before-break
 *   rotation before Binance's 24 h cut, automatic pong (ws autoPong), per-route/overall state.
 * - Data frames are handed over raw (no trade parsing here); control replies are consumed here.
 *
 * Plain Node service — no Electron imports.
 */
export class BinanceFeedClient {
  private readonly emitter: TypedEmitter<FeedClientEvents>;
  private readonly handlers = new Set<FeedMessageHandler>();
  private readonly connections = new Map<FeedRoute, RouteConnection>();
  private readonly settings: RouteConnectionSettings;
  private readonly routeOf: Record<StreamKind, FeedRoute>;
  private readonly tradeStream: 'aggTrade' | 'trade';
  private readonly bookTicker: boolean;
  private readonly maxStreams: number;
  private readonly lastByStream = new Map<string, number>();
  /** Streams of the current symbol set: only these get a lastByStream entry. */
  private wantedStreams = new Set<string>();
  private symbolSet: string[] = [];
  private running = false;
  private controlId = 0;
  private listenerErrors = 0;
  private overall: OverallStateEvent;

  constructor(options: BinanceFeedClientOptions = {}) {
    this.emitter = new TypedEmitter<FeedClientEvents>(() => {
      this.listenerErrors++;
    });
    const now = options.now ?? Date.now;
    const watchdogMs = positive(options.watchdogMs ?? DEFAULT_WATCHDOG_MS, 'watchdogMs');
    const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    positive(backoff.initialMs, 'backoff.initialMs');
    positive(backoff.maxMs, 'backoff.maxMs');
    if (!(backoff.factor >= 1)) throw new RangeError('backoff.factor must be >= 1');
    const controlRate = options.controlRatePerSec ?? DEFAULT_CONTROL_RATE_PER_SEC;
    if (!(controlRate >= 1 && controlRate < BINANCE_INCOMING_LIMIT_PER_SEC)) {
      throw new RangeError(
        `controlRatePerSec must be in [1, ${BINANCE_INCOMING_LIMIT_PER_SEC}) to leave room for pongs`,
      );
    }
    this.maxStreams = positive(
      options.maxStreamsPerConnection ?? DEFAULT_MAX_STREAMS_PER_CONNECTION,
      'maxStreamsPerConnection',
    );
    this.settings = {
      baseUrl: (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
      watchdogMs,
      backoff,
      maxLifetimeMs: positive(options.maxLifetimeMs ?? DEFAULT_MAX_LIFETIME_MS, 'maxLifetimeMs'),
      lifetimeJitterMs: options.lifetimeJitterMs ?? DEFAULT_LIFETIME_JITTER_MS,
      rotationOverlapMs: options.rotationOverlapMs ?? watchdogMs,
      controlRatePerSec: controlRate,
      controlTimeoutMs: options.controlTimeoutMs ?? DEFAULT_CONTROL_TIMEOUT_MS,
      maxParamsPerMessage: this.maxStreams,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      maxFrameBytes: positive(options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, 'maxFrameBytes'),
      now,
      random: options.random ?? Math.random,
    };
    if (!/^wss?:\/\//.test(this.settings.baseUrl)) {
      throw new TypeError(`baseUrl must start with ws:// or wss://, got ${this.settings.baseUrl}`);
    }
    this.routeOf = { ...DEFAULT_ROUTES, ...options.routes };
    this.tradeStream = options.tradeStream ?? 'aggTrade';
    this.bookTicker = options.bookTicker ?? false;
    this.overall = { state: 'stopped', reason: 'not started', since: now(), routes: {} };
    this.applySymbols(options.symbols ?? []);
  }

  // ---------------------------------------------------------------- events & data

  /** Typed event registration; returns an unsubscribe function. */
  on<K extends keyof FeedClientEvents>(
    event: K,
    listener: Listener<FeedClientEvents[K]>,
  ): () => void {
    return this.emitter.on(event, listener);
  }

  once<K extends keyof FeedClientEvents>(
    event: K,
    listener: Listener<FeedClientEvents[K]>,
  ): () => void {
    return this.emitter.once(event, listener);
  }

  off<K extends keyof FeedClientEvents>(event: K, listener: Listener<FeedClientEvents[K]>): void {
    this.emitter.off(event, listener);
  }

  /**
   * Registers a consumer of DATA frames (control replies are handled internally). Called
   * synchronously on the socket's read path — keep it fast. Returns an unsubscribe function.
   */
  onMessage(handler: FeedMessageHandler): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  // ---------------------------------------------------------------- lifecycle

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const conn of this.connections.values()) conn.start();
    this.updateOverall();
  }

  /** Graceful: closes every socket with code 1000, stops all timers, never reconnects. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await Promise.all([...this.connections.values()].map((c) => c.stop()));
    this.updateOverall();
  }

  get isRunning(): boolean {
    return this.running;
  }

  // ---------------------------------------------------------------- symbols

  /** Current symbols (upper case). */
  symbols(): string[] {
    return [...this.symbolSet];
  }

  addSymbol(symbols: string | readonly string[]): void {
    const add = toList(symbols).map(normalizeSymbol);
    this.applySymbols([...this.symbolSet, ...add]);
  }

  removeSymbol(symbols: string | readonly string[]): void {
    const remove = new Set(toList(symbols).map(normalizeSymbol));
    this.applySymbols(this.symbolSet.filter((s) => !remove.has(s)));
  }

  /** Alias of addSymbol for arrays. */
  addSymbols(symbols: readonly string[]): void {
    this.addSymbol(symbols);
  }

  /** Alias of removeSymbol for arrays. */
  removeSymbols(symbols: readonly string[]): void {
    this.removeSymbol(symbols);
  }

  /**
   * Replaces the symbol set. Changes go out as batched SUBSCRIBE/UNSUBSCRIBE frames on the open
   * connections (no reconnect). Throws FeedCapacityError — leaving the set unchanged — if a route
   * would exceed maxStreamsPerConnection.
   */
  setSymbols(symbols: readonly string[]): void {
    this.applySymbols(symbols.map(normalizeSymbol));
  }

  /** Stream names per route for the current symbol set. */
  streamsByRoute(): Partial<Record<FeedRoute, string[]>> {
    return this.computeStreams(this.symbolSet);
  }

  // ---------------------------------------------------------------- observation

  /** Overall state (see OverallStateEvent). */
  state(): OverallStateEvent {
    return { ...this.overall, routes: { ...this.overall.routes } };
  }

  routeStates(): RouteStateEvent[] {
    return [...this.connections.values()].map((c) => c.stateEvent());
  }

  /** Last data frame per route (any stream), epoch ms; null if none yet. */
  lastMessageAtMs(route: FeedRoute): number | null {
    return this.connections.get(route)?.lastMessageAtMs ?? null;
  }

  /** Last data frame per stream name (`btcusdt@aggTrade`), epoch ms — for stall/gap checks. */
  lastMessageTimes(): ReadonlyMap<string, number> {
    return new Map(this.lastByStream);
  }

  stats(): FeedStats {
    const routes: FeedStats['routes'] = {};
    let dataMessages = 0;
    let bytes = 0;
    let messagesPerSec = 0;
    let bytesPerSec = 0;
    for (const [route, conn] of this.connections) {
      const s = conn.stats();
      routes[route] = s;
      dataMessages += s.dataMessages;
      bytes += s.bytes;
      messagesPerSec += s.messagesPerSec;
      bytesPerSec += s.bytesPerSec;
    }
    return {
      state: this.overall.state,
      running: this.running,
      symbols: this.symbols(),
      routes,
      dataMessages,
      bytes,
      messagesPerSec,
      bytesPerSec,
      listenerErrors: this.listenerErrors,
    };
  }

  // ---------------------------------------------------------------- internals

  private computeStreams(symbols: readonly string[]): Partial<Record<FeedRoute, string[]>> {
    const kinds: StreamKind[] = [this.tradeStream];
    if (this.bookTicker) kinds.push('bookTicker');
    const out: Partial<Record<FeedRoute, string[]>> = {};
    for (const symbol of symbols) {
      for (const kind of kinds) {
        const route = this.routeOf[kind];
        (out[route] ??= []).push(streamName(symbol, kind));
      }
    }
    return out;
  }

  private applySymbols(symbols: readonly string[]): void {
    const unique = [...new Set(symbols.map(normalizeSymbol))];
    const byRoute = this.computeStreams(unique);
    for (const route of FEED_ROUTES) {
      const n = byRoute[route]?.length ?? 0;
      if (n > this.maxStreams) throw new FeedCapacityError(route, n, this.maxStreams);
    }
    this.symbolSet = unique;
    const wanted = new Set<string>();
    for (const route of FEED_ROUTES) {
      const streams = byRoute[route] ?? [];
      for (const s of streams) wanted.add(s);
      let conn = this.connections.get(route);
      if (!conn && streams.length === 0) continue;
      if (!conn) {
        conn = this.createConnection(route);
        this.connections.set(route, conn);
        conn.setStreams(streams);
        if (this.running) conn.start();
      } else {
        conn.setStreams(streams);
      }
    }
    this.wantedStreams = wanted;
    for (const stream of this.lastByStream.keys()) {
      if (!wanted.has(stream)) this.lastByStream.delete(stream);
    }
    this.updateOverall();
  }

  private createConnection(route: FeedRoute): RouteConnection {
    return new RouteConnection(route, this.settings, {
      nextControlId: () => {
        // Unsigned integer ids, unique per client; wraps well before 2^53.
        this.controlId = this.controlId >= 2 ** 31 - 1 ? 1 : this.controlId + 1;
        return this.controlId;
      },
      onData: (raw, r, receivedAtMs, stream) => {
        // Names come from the server: a hostile one could grow the map without end.
        if (stream !== null && this.wantedStreams.has(stream)) {
          this.lastByStream.set(stream, receivedAtMs);
        }
        for (const handler of this.handlers) {
          try {
            handler(raw, r, receivedAtMs);
          } catch {
            this.listenerErrors++;
          }
        }
      },
      onState: (ev) => {
        this.emitter.emit('state', ev);
        this.updateOverall();
      },
      onControl: (ev) => this.emitter.emit('control', ev),
      onGap: (ev) => this.emitter.emit('gap', ev),
      onSocketError: (ev) => this.emitter.emit('socketError', ev),
      onUpgrade: (r, headers) =>
        this.emitter.emit('source', {
          route: r,
          source: parseSourceHeader(headers[SOURCE_HEADER.toLowerCase()]),
        }),
    });
  }

  private updateOverall(): void {
    const routes: Partial<Record<FeedRoute, FeedState>> = {};
    let worst: { state: FeedState; reason: string; route: FeedRoute } | null = null;
    for (const [route, conn] of this.connections) {
      routes[route] = conn.currentState;
      if (!conn.hasStreams || conn.currentState === 'stopped') continue;
      if (!worst || SEVERITY[conn.currentState] > SEVERITY[worst.state]) {
        worst = { state: conn.currentState, reason: conn.stateEvent().reason, route };
      }
    }
    const state: FeedState = this.running && worst ? worst.state : 'stopped';
    const reason = !this.running
      ? this.overall.reason === 'not started'
        ? 'not started'
        : 'stopped by client'
      : worst
        ? `${worst.route}: ${worst.reason}`
        : 'idle: no streams';
    const changed = state !== this.overall.state;
    this.overall = {
      state,
      reason,
      since: changed ? this.settings.now() : this.overall.since,
      routes,
    };
    if (changed) this.emitter.emit('overall', this.state());
  }
}

function toList(symbols: string | readonly string[]): readonly string[] {
  return typeof symbols === 'string' ? [symbols] : symbols;
}

function positive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  return value;
}
