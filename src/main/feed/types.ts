import type { BackoffOptions } from './backoff';
import type { DeclaredSource } from './sourceHeader';

/** Binance market-data route (path prefix after the base URL). */
export type FeedRoute = 'market' | 'public';

export const FEED_ROUTES: readonly FeedRoute[] = ['market', 'public'];

/** Stream kinds this client subscribes to. */
export type StreamKind = 'aggTrade' | 'trade' | 'bookTicker';

/**
 * - `connecting`: handshake in progress, or socket open and waiting for its first data frame.
 * - `live`: data frames are arriving.
 * - `stale`: the watchdog saw no data for `watchdogMs`; a reconnect follows immediately.
 * - `backing_off`: waiting `nextRetryMs` before the next connection attempt.
 * - `stopped`: stop() was called, start() not yet called, or the route has no streams.
 */
export type FeedState = 'connecting' | 'live' | 'stale' | 'backing_off' | 'stopped';

export interface RouteStateEvent {
  route: FeedRoute;
  state: FeedState;
  /** Human-readable cause, e.g. `watchdog: no data for 10 s`, `closed: code 1006`. */
  reason: string;
  /** Epoch ms at which this state was entered. */
  since: number;
  /** Consecutive failed/unhealthy connection attempts so far (0 after a healthy connection). */
  attempt: number;
  /** Delay before the next attempt (only in `backing_off`), else null. */
  nextRetryMs: number | null;
  /** Combined-stream URL of the current/next connection, null when none. */
  url: string | null;
}

export interface OverallStateEvent {
  /**
   * Least healthy state over routes with streams (backing_off > stale > connecting > live);
   * `stopped` when the client is stopped or has no streams.
   */
  state: FeedState;
  reason: string;
  since: number;
  routes: Partial<Record<FeedRoute, FeedState>>;
}

export type ControlMethod = 'SUBSCRIBE' | 'UNSUBSCRIBE';

export interface ControlResultEvent {
  route: FeedRoute;
  id: number;
  method: ControlMethod;
  params: readonly string[];
  /**
   * `ack`: `{"result":null,"id":N}`; `error`: `{"code","msg"}` reply (see `error`);
   * `timeout`: no reply within controlTimeoutMs; `closed`: the connection went away first (after a
   * reconnect the URL carries the current stream set, so nothing is lost).
   */
  outcome: 'ack' | 'error' | 'timeout' | 'closed';
  error: { code: number; msg: string } | null;
  /** Round trip (ms) from send to reply/timeout/close. */
  rttMs: number;
}

/**
 * Emitted on the first data frame after an unplanned reconnect of a route: trades between
 * `lastDataAtMs` and `resumedAtMs` were not delivered (Binance has no replay) — backfill by id.
 */
export interface FeedGapEvent {
  route: FeedRoute;
  /** Streams of the new connection. */
  streams: readonly string[];
  /** Last data frame before the outage (null if the previous connection never delivered). */
  lastDataAtMs: number | null;
  /** First data frame after the outage. */
  resumedAtMs: number;
  /** Why the previous connection ended. */
  reason: string;
}

export interface FeedSocketErrorEvent {
  route: FeedRoute;
  message: string;
  atMs: number;
}

/** A handshake succeeded: what the server says it serves (see sourceHeader.ts). */
export interface FeedSourceEvent {
  route: FeedRoute;
  /** `sim` / `replay` from the local feed server; null when the server declares nothing (Binance). */
  source: DeclaredSource | null;
}

/** Typed event map of BinanceFeedClient. */
export interface FeedClientEvents {
  source: FeedSourceEvent;
  state: RouteStateEvent;
  overall: OverallStateEvent;
  control: ControlResultEvent;
  gap: FeedGapEvent;
  socketError: FeedSocketErrorEvent;
}

/** Data-frame consumer: raw text (UTF-8 decoded), route, local receive time (epoch ms). */
export type FeedMessageHandler = (raw: string, route: FeedRoute, receivedAtMs: number) => void;

export interface BinanceFeedClientOptions {
  /** Default `wss://fstream.binance.com`; the client appends `/<route>/stream?streams=…`. */
  baseUrl?: string;
  /** Upper- or lower-case symbols, e.g. `BTCUSDT`. */
  symbols?: readonly string[];
  /** Default `aggTrade`. */
  tradeStream?: 'aggTrade' | 'trade';
  /** Also subscribe `<symbol>@bookTicker`. Default false. */
  bookTicker?: boolean;
  /**
   * Route per stream kind. Defaults: aggTrade → market, trade → market (unconfirmed upstream:
   * set `public` if it stays silent), bookTicker → public.
   */
  routes?: Partial<Record<StreamKind, FeedRoute>>;
  /** No data frame for this long on an open connection → `stale` → reconnect. Default 10 000. */
  watchdogMs?: number;
  /** Partial overrides of DEFAULT_BACKOFF. */
  backoff?: Partial<BackoffOptions>;
  /** Proactive rotation before Binance's 24 h cut. Default 23 h 30 min. */
  maxLifetimeMs?: number;
  /** Rotation is brought forward by U(0, min(this, 10 % of maxLifetimeMs)). Default 5 min. */
  lifetimeJitterMs?: number;
  /**
   * During a rotation the new connection takes over on its first data frame, or after this many
   * ms of open-but-silent overlap. Default = watchdogMs.
   */
  rotationOverlapMs?: number;
  /** Control frames (plus pongs) per second per connection. Default 4 (Binance limit: 10). */
  controlRatePerSec?: number;
  /** Reply deadline for SUBSCRIBE/UNSUBSCRIBE. Default 10 000. */
  controlTimeoutMs?: number;
  /** Streams per connection before add/set throws FeedCapacityError. Default 200. */
  maxStreamsPerConnection?: number;
  /** WebSocket handshake timeout. Default 10 000. */
  connectTimeoutMs?: number;
  /**
   * Largest incoming frame (bytes); a larger one closes the connection with 1009 ("frame too
   * large") and a reconnect with backoff follows. Binance frames are < 1 KB. Default 1 MiB.
   */
  maxFrameBytes?: number;
  /** Clock (epoch ms). Default Date.now. */
  now?: () => number;
  /** Random source in [0, 1) for jitter. Default Math.random. */
  random?: () => number;
}

export interface RouteStats {
  route: FeedRoute;
  state: FeedState;
  reason: string;
  since: number;
  attempt: number;
  url: string | null;
  /** Streams currently wanted on this route. */
  streams: number;
  /** Open time of the current connection, null when not open. */
  connectedAtMs: number | null;
  /** Last data frame on this route (any connection), null if none yet. */
  lastMessageAtMs: number | null;
  dataMessages: number;
  controlReplies: number;
  /** Bytes of all received frames (data and control). */
  bytes: number;
  /** Data messages / bytes in the last completed second. */
  messagesPerSec: number;
  bytesPerSec: number;
  connects: number;
  reconnects: number;
  rotations: number;
  watchdogTrips: number;
  /** Connections closed because a frame exceeded maxFrameBytes (close code 1009). */
  framesTooLarge: number;
  controlSent: number;
  controlAcked: number;
  controlErrors: number;
  /** Control requests awaiting a reply, plus whether a drain is pending. */
  controlPending: number;
  pingsReceived: number;
  /** ws answers pings automatically (autoPong); counted when the ping event fires. */
  pongsSent: number;
}

export interface FeedStats {
  state: FeedState;
  running: boolean;
  symbols: readonly string[];
  routes: Partial<Record<FeedRoute, RouteStats>>;
  dataMessages: number;
  bytes: number;
  messagesPerSec: number;
  bytesPerSec: number;
  /** Exceptions thrown by onMessage handlers or event listeners (swallowed, counted). */
  listenerErrors: number;
}
