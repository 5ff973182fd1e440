/**
 * Local Binance USD-M futures market-data WebSocket server for tests and demos. Binds
 * 127.0.0.1 only. Speaks the routed URL forms (`/<route>/ws/<stream>…`,
 * `/<route>/stream?streams=a/b`), the legacy unrouted forms (public data only), the control
 * messages, the 10 messages/s incoming limit, server pings with a pong deadline, the connection
 * lifetime and the 200-stream limit. Data comes from a pluggable source (seeded simulator or
 * capture replay) or from `publish()`; fault switches let tests drop, silence or corrupt the feed.
 */
import { access } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { basename } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { formatSourceHeader, SOURCE_HEADER } from '../feed/sourceHeader';
import { handleControlMessage, type ControlTarget } from './control';
import { malformedFrame } from './malformed';
import { ReplaySource, type ReplayReport, type ReplaySourceOptions } from './sources/replaySource';
import { SimSource, type SimSourceOptions } from './sources/simSource';
import type { FeedSink, FeedSource } from './sources/source';
import { isServedOn, parseConnectUrl, type ConnectionRoute } from './streams';

export const FEED_HOST = '127.0.0.1';

export type FeedSourceOptions =
  | ({ kind: 'sim' } & SimSourceOptions)
  | ({ kind: 'replay' } & ReplaySourceOptions)
  | { kind: 'none' };

export interface FeedServerOptions {
  /** TCP port on 127.0.0.1; 0 (default) = ephemeral. */
  port?: number;
  /** Data source; default none (data only via `publish()`). */
  source?: FeedSourceOptions;
  /** Server ping period (default 180 000 = 3 min). 0 disables pings. */
  pingIntervalMs?: number;
  /** Disconnect when a ping stays unanswered this long (default 600 000 = 10 min). */
  pongTimeoutMs?: number;
  /** Close every connection this long after it opened (default 86 400 000 = 24 h). */
  maxLifetimeMs?: number;
  /** Incoming frames (control messages, pings, pongs) allowed per second (default 10). */
  maxIncomingPerSecond?: number;
  /** Streams per connection (default 200). */
  maxStreamsPerConnection?: number;
  /** A connection whose send buffer exceeds this is dropped as a slow consumer (default 64 MiB). */
  maxBufferedBytes?: number;
  /** Unpaced replay waits while any subscriber has more than this buffered (default 4 MiB). */
  backpressureBytes?: number;
  /** Grace period between a server close frame and a hard terminate (default 2 000). */
  closeGraceMs?: number;
  /** Diagnostics (connection open/close, violations). Default: silent. */
  log?: (line: string) => void;
}

export type DisconnectReason =
  'client' | 'rateLimit' | 'pongTimeout' | 'lifetime' | 'dropped' | 'slowConsumer' | 'shutdown';

export interface FeedServerStats {
  /** Open connections now. */
  connections: number;
  /** Connections accepted since start. */
  totalConnections: number;
  /** Upgrade requests refused (bad path, invalid stream, too many streams). */
  rejectedUpgrades: number;
  /** Data frames sent (all clients; malformed frames included). */
  messagesSent: number;
  /** Malformed frames sent by sendMalformed(). */
  malformedSent: number;
  /** Text/binary frames received from clients (control messages and garbage). */
  controlMessagesReceived: number;
  /** Replies sent to control messages (including error replies). */
  controlRepliesSent: number;
  /** Error replies among them. */
  controlErrors: number;
  pingsSent: number;
  /** Pings received from clients. */
  pingsReceived: number;
  pongsReceived: number;
  disconnects: Record<DisconnectReason, number>;
  /** Payloads published per stream (by the source or publish()), delivered or not. */
  published: Record<string, number>;
  /** Frames delivered per stream (sum over connections). */
  delivered: Record<string, number>;
  silent: boolean;
  /** Source state. */
  source: 'sim' | 'replay' | 'none';
  sourceStarted: boolean;
}

export interface ConnectionInfo {
  id: number;
  route: ConnectionRoute;
  combined: boolean;
  subscriptions: string[];
  /** Subscriptions that actually carry data on this route. */
  served: string[];
  openedAtMs: number;
}

export interface FeedServer {
  readonly port: number;
  /** `ws://127.0.0.1:PORT` (append `/market/stream?streams=…` etc.). */
  readonly url: string;
  readonly sourceKind: 'sim' | 'replay' | 'none';
  /** One line describing what is served (used by the CLI banner). */
  describe(): string;
  stats(): FeedServerStats;
  connections(): ConnectionInfo[];
  /** Sends a payload to the subscribers of `stream` as if a source produced it. */
  publish(stream: string, payload: string | object): number;
  /** Drops every connection: no code / 1006 → abrupt TCP reset; otherwise a close frame. */
  dropAllConnections(code?: number, reason?: string): number;
  /** While silent, connections stay open but get nothing (no data, replies or pings). */
  setSilent(silent: boolean): void;
  readonly silent: boolean;
  /** Sends `count` garbage frames to every client; returns frames sent. */
  sendMalformed(count: number): number;
  /** Starts a source that waits for its first subscriber now. No-op otherwise. */
  startSource(): void;
  /** Resolves when the replay ends (rejects at once when the source is not a replay). */
  replayDone(): Promise<ReplayReport>;
  /** The replay source (pause, resume, speed, progress); null when not replaying. */
  readonly replay: ReplaySource | null;
  close(): Promise<void>;
}

class Connection implements ControlTarget {
  readonly openedAtMs = Date.now();
  private readonly subs: string[] = [];
  readonly served = new Set<string>();
  combined: boolean;
  closeReason: DisconnectReason | null = null;
  private readonly recent: number[] = [];
  private recentHead = 0;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private lifetimeTimer: ReturnType<typeof setTimeout> | null = null;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly route: ConnectionRoute,
    combined: boolean,
    private readonly hub: Hub,
  ) {
    this.combined = combined;
  }

  get maxStreams(): number {
    return this.hub.opts.maxStreamsPerConnection;
  }

  listSubscriptions(): string[] {
    return [...this.subs];
  }

  subscribe(streams: string[]): void {
    for (const s of streams) {
      if (this.subs.includes(s)) continue;
      this.subs.push(s);
      if (isServedOn(this.route, s)) {
        this.served.add(s);
        this.hub.index(s, this);
      }
    }
    if (this.subs.length > 0) this.hub.onSubscribed();
  }

  unsubscribe(streams: string[]): void {
    for (const s of streams) {
      const at = this.subs.indexOf(s);
      if (at < 0) continue;
      this.subs.splice(at, 1);
      if (this.served.delete(s)) this.hub.unindex(s, this);
    }
  }

  start(): void {
    const o = this.hub.opts;
    if (o.pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => this.sendPing(), o.pingIntervalMs);
    }
    if (Number.isFinite(o.maxLifetimeMs)) {
      this.lifetimeTimer = setTimeout(
        () => this.closeWith('lifetime', 1000, 'Connection lifetime exceeded (24h)'),
        o.maxLifetimeMs,
      );
    }
  }

  /** Counts an incoming frame; false (and the connection is being closed) when over the limit. */
  countIncoming(): boolean {
    const limit = this.hub.opts.maxIncomingPerSecond;
    if (!Number.isFinite(limit) || this.closeReason) return this.closeReason === null;
    const now = performance.now();
    if (this.recent.length < limit) {
      this.recent.push(now);
      return true;
    }
    const oldest = this.recent[this.recentHead];
    if (now - oldest < 1000) {
      this.hub.log(`conn ${this.id}: more than ${limit} messages/s, disconnecting`);
      this.closeWith('rateLimit', 1008, 'Too many requests');
      return false;
    }
    this.recent[this.recentHead] = now;
    this.recentHead = (this.recentHead + 1) % limit;
    return true;
  }

  onPong(): void {
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  sendData(frame: string): boolean {
    if (this.ws.readyState !== WebSocket.OPEN || this.closeReason) return false;
    if (this.ws.bufferedAmount > this.hub.opts.maxBufferedBytes) {
      this.hub.log(`conn ${this.id}: slow consumer (${this.ws.bufferedAmount} bytes queued)`);
      this.terminateWith('slowConsumer');
      return false;
    }
    this.ws.send(frame);
    return true;
  }

  sendRaw(data: string | Buffer, binary: boolean): boolean {
    if (this.ws.readyState !== WebSocket.OPEN || this.closeReason) return false;
    this.ws.send(data, { binary });
    return true;
  }

  closeWith(reason: DisconnectReason, code: number, text: string): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    this.clearTimers();
    try {
      this.ws.close(code, text);
    } catch {
      this.ws.terminate();
      return;
    }
    this.graceTimer = setTimeout(() => this.ws.terminate(), this.hub.opts.closeGraceMs);
    this.graceTimer.unref?.();
  }

  terminateWith(reason: DisconnectReason): void {
    if (!this.closeReason) this.closeReason = reason;
    this.clearTimers();
    this.ws.terminate();
  }

  dispose(): void {
    this.clearTimers();
    if (this.graceTimer) clearTimeout(this.graceTimer);
    for (const s of this.served) this.hub.unindex(s, this);
    this.served.clear();
  }

  info(): ConnectionInfo {
    return {
      id: this.id,
      route: this.route,
      combined: this.combined,
      subscriptions: this.listSubscriptions(),
      served: [...this.served],
      openedAtMs: this.openedAtMs,
    };
  }

  private sendPing(): void {
    if (this.hub.silent || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.ping(String(Date.now()));
    this.hub.counters.pingsSent++;
    if (!this.pongTimer) {
      this.pongTimer = setTimeout(() => {
        this.hub.log(`conn ${this.id}: no pong within ${this.hub.opts.pongTimeoutMs} ms`);
        this.terminateWith('pongTimeout');
      }, this.hub.opts.pongTimeoutMs);
    }
  }

  private clearTimers(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.pongTimer) clearTimeout(this.pongTimer);
    if (this.lifetimeTimer) clearTimeout(this.lifetimeTimer);
    this.pingTimer = this.pongTimer = this.lifetimeTimer = null;
  }
}

type ResolvedOptions = Required<Omit<FeedServerOptions, 'source' | 'log' | 'port'>>;

/** The plain counters of FeedServerStats (the rest is derived when stats() is called). */
type Counters = Pick<
  FeedServerStats,
  | 'totalConnections'
  | 'rejectedUpgrades'
  | 'messagesSent'
  | 'malformedSent'
  | 'controlMessagesReceived'
  | 'controlRepliesSent'
  | 'controlErrors'
  | 'pingsSent'
  | 'pingsReceived'
  | 'pongsReceived'
>;

/** Shared state between the server and its connections. */
class Hub implements FeedSink {
  readonly conns = new Set<Connection>();
  private readonly subscribers = new Map<string, Set<Connection>>();
  readonly published = new Map<string, number>();
  readonly delivered = new Map<string, number>();
  readonly disconnects: Record<DisconnectReason, number> = {
    client: 0,
    rateLimit: 0,
    pongTimeout: 0,
    lifetime: 0,
    dropped: 0,
    slowConsumer: 0,
    shutdown: 0,
  };
  readonly counters: Counters = {
    totalConnections: 0,
    rejectedUpgrades: 0,
    messagesSent: 0,
    malformedSent: 0,
    controlMessagesReceived: 0,
    controlRepliesSent: 0,
    controlErrors: 0,
    pingsSent: 0,
    pingsReceived: 0,
    pongsReceived: 0,
  };
  silent = false;
  onFirstSubscriber: (() => void) | null = null;

  constructor(
    readonly opts: ResolvedOptions,
    readonly log: (line: string) => void,
  ) {}

  index(stream: string, conn: Connection): void {
    let set = this.subscribers.get(stream);
    if (!set) {
      set = new Set();
      this.subscribers.set(stream, set);
    }
    set.add(conn);
  }

  unindex(stream: string, conn: Connection): void {
    const set = this.subscribers.get(stream);
    if (!set) return;
    set.delete(conn);
    if (set.size === 0) this.subscribers.delete(stream);
  }

  onSubscribed(): void {
    const cb = this.onFirstSubscriber;
    if (cb) {
      this.onFirstSubscriber = null;
      cb();
    }
  }

  wants(stream: string): boolean {
    return this.subscribers.has(stream);
  }

  publish(stream: string, payload: string): number {
    this.published.set(stream, (this.published.get(stream) ?? 0) + 1);
    if (this.silent) return 0;
    const set = this.subscribers.get(stream);
    if (!set) return 0;
    let combinedFrame: string | null = null;
    let sent = 0;
    for (const conn of set) {
      let frame = payload;
      if (conn.combined) {
        combinedFrame ??= `{"stream":"${stream}","data":${payload}}`;
        frame = combinedFrame;
      }
      if (conn.sendData(frame)) sent++;
    }
    if (sent > 0) {
      this.counters.messagesSent += sent;
      this.delivered.set(stream, (this.delivered.get(stream) ?? 0) + sent);
    }
    return sent;
  }

  congested(): boolean {
    for (const set of this.subscribers.values()) {
      for (const conn of set) {
        if (conn.ws.bufferedAmount > this.opts.backpressureBytes) return true;
      }
    }
    return false;
  }
}

function statusText(status: number): string {
  return status === 404 ? 'Not Found' : 'Bad Request';
}

function rejectUpgrade(socket: Duplex, status: number, body: string): void {
  socket.write(
    `HTTP/1.1 ${status} ${statusText(status)}\r\nConnection: close\r\n` +
      `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.destroy();
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function createSource(options: FeedSourceOptions | undefined): FeedSource | null {
  if (!options || options.kind === 'none') return null;
  if (options.kind === 'sim') {
    const { kind: _kind, ...rest } = options;
    return new SimSource(rest);
  }
  const { kind: _kind, ...rest } = options;
  return new ReplaySource(rest);
}

/** Starts the server on 127.0.0.1 and, unless it waits for a subscriber, its source. */
export async function startFeedServer(options: FeedServerOptions = {}): Promise<FeedServer> {
  const opts: ResolvedOptions = {
    pingIntervalMs: options.pingIntervalMs ?? 180_000,
    pongTimeoutMs: options.pongTimeoutMs ?? 600_000,
    maxLifetimeMs: options.maxLifetimeMs ?? 86_400_000,
    maxIncomingPerSecond: options.maxIncomingPerSecond ?? 10,
    maxStreamsPerConnection: options.maxStreamsPerConnection ?? 200,
    maxBufferedBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
    backpressureBytes: options.backpressureBytes ?? 4 * 1024 * 1024,
    closeGraceMs: options.closeGraceMs ?? 2_000,
  };
  if (opts.maxIncomingPerSecond < 1 || opts.maxStreamsPerConnection < 1) {
    throw new RangeError('maxIncomingPerSecond and maxStreamsPerConnection must be ≥ 1');
  }
  if (options.source?.kind === 'replay') {
    const file = options.source.file;
    await access(file).catch(() => {
      throw new Error(`replay file not found or unreadable: ${file}`);
    });
  }
  const log = options.log ?? (() => undefined);
  const hub = new Hub(opts, log);
  const source = createSource(options.source);
  let sourceStarted = false;
  const startSource = (): void => {
    if (!source || sourceStarted) return;
    sourceStarted = true;
    hub.onFirstSubscriber = null;
    source.start(hub);
  };

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 65_536 });
  // Say on every handshake what is served, so a recorder files simulated or replayed data as
  // such instead of as live (Binance sends no such header). Publish-only servers stay unmarked.
  const declared = options.source;
  if (declared?.kind === 'sim' || declared?.kind === 'replay') {
    const value = formatSourceHeader(
      declared.kind === 'sim' ? { kind: 'sim' } : { kind: 'replay', file: basename(declared.file) },
    );
    wss.on('headers', (headers) => headers.push(`${SOURCE_HEADER}: ${value}`));
  }
  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Connection: 'close' });
    res.end('WebSocket only: connect to /market/ws/<stream> or /public/stream?streams=…\n');
  });
  let nextId = 1;

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const parsed = parseConnectUrl(req.url ?? '/', opts.maxStreamsPerConnection);
    if (!parsed.ok) {
      hub.counters.rejectedUpgrades++;
      log(`upgrade ${req.url ?? ''} refused: ${parsed.reason}`);
      rejectUpgrade(socket, parsed.status, parsed.reason);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new Connection(nextId++, ws, parsed.route, parsed.combined, hub);
      hub.conns.add(conn);
      hub.counters.totalConnections++;
      log(`conn ${conn.id} open ${req.url ?? ''}`);
      ws.on('error', () => undefined);
      ws.on('message', (data: RawData, isBinary: boolean) => {
        if (!conn.countIncoming()) return;
        hub.counters.controlMessagesReceived++;
        const text = isBinary ? '\u0000binary' : rawDataToString(data);
        const outcome = handleControlMessage(text, conn);
        if (!outcome.ok) hub.counters.controlErrors++;
        if (hub.silent || ws.readyState !== WebSocket.OPEN) return;
        ws.send(outcome.reply);
        hub.counters.controlRepliesSent++;
      });
      ws.on('ping', () => {
        hub.counters.pingsReceived++;
        conn.countIncoming();
      });
      ws.on('pong', () => {
        hub.counters.pongsReceived++;
        if (conn.countIncoming()) conn.onPong();
      });
      ws.on('close', () => {
        conn.dispose();
        hub.conns.delete(conn);
        hub.disconnects[conn.closeReason ?? 'client']++;
        log(`conn ${conn.id} closed (${conn.closeReason ?? 'client'})`);
      });
      conn.start();
      if (parsed.streams.length > 0) conn.subscribe(parsed.streams);
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    http.once('error', onError);
    http.listen(options.port ?? 0, FEED_HOST, () => {
      http.off('error', onError);
      resolve();
    });
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  if (source) {
    if (source.startOnFirstSubscriber) {
      hub.onFirstSubscriber = startSource;
    } else {
      startSource();
    }
  }

  let closed: Promise<void> | null = null;

  const server: FeedServer = {
    port,
    url: `ws://${FEED_HOST}:${port}`,
    sourceKind: source?.kind ?? 'none',
    get silent() {
      return hub.silent;
    },
    describe() {
      const what = source ? source.describe() : 'no source (publish() only)';
      const routes =
        '/market: <sym>@aggTrade, <sym>@trade · /public: <sym>@bookTicker, <sym>@trade';
      if (!(source instanceof SimSource)) return `${what}; ${routes}`;
      const example = source.preview.symbols.map((s) => `${s.toLowerCase()}@aggTrade`).join('/');
      return `${what}; ${routes}; e.g. ${server.url}/market/stream?streams=${example}`;
    },
    stats() {
      return {
        connections: hub.conns.size,
        ...hub.counters,
        disconnects: { ...hub.disconnects },
        published: Object.fromEntries(hub.published),
        delivered: Object.fromEntries(hub.delivered),
        silent: hub.silent,
        source: source?.kind ?? 'none',
        sourceStarted,
      };
    },
    connections() {
      return [...hub.conns].map((c) => c.info());
    },
    publish(stream, payload) {
      return hub.publish(stream, typeof payload === 'string' ? payload : JSON.stringify(payload));
    },
    dropAllConnections(code, reason) {
      let n = 0;
      for (const conn of [...hub.conns]) {
        n++;
        if (code === undefined || code === 1006) conn.terminateWith('dropped');
        else conn.closeWith('dropped', code, reason ?? '');
      }
      return n;
    },
    setSilent(silent) {
      hub.silent = silent;
    },
    sendMalformed(count) {
      let sent = 0;
      const now = Date.now();
      for (const conn of hub.conns) {
        const stream = [...conn.served][0] ?? conn.listSubscriptions()[0] ?? 'btcusdt@aggTrade';
        const at = stream.indexOf('@');
        const symbol = (at > 0 ? stream.slice(0, at) : 'btcusdt').toUpperCase();
        for (let i = 0; i < count; i++) {
          const frame = malformedFrame(i, { symbol, stream, combined: conn.combined }, now);
          if (conn.sendRaw(frame.data, frame.binary)) sent++;
        }
      }
      hub.counters.malformedSent += sent;
      hub.counters.messagesSent += sent;
      return sent;
    },
    startSource,
    replay: source instanceof ReplaySource ? source : null,
    replayDone() {
      if (source instanceof ReplaySource) return source.done;
      return Promise.reject(new Error('this feed server is not replaying a capture'));
    },
    close() {
      closed ??= (async () => {
        source?.stop();
        hub.onFirstSubscriber = null;
        for (const conn of [...hub.conns]) conn.terminateWith('shutdown');
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections?.();
        });
      })();
      return closed;
    },
  };
  return server;
}
