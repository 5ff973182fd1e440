/**
 * A small Binance-like market-stream server for feed-client tests (127.0.0.1, random port).
 *
 * Behaves like Binance for what the tests exercise:
 * - routed combined URLs `/<route>/stream?streams=a/b` (raw `/<route>/ws/a/b` too); other paths are
 *   closed with 1008;
 * - SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS replies `{"result":…,"id":N}`, errors
 *   `{"code":2,"msg":"…","id":N}`;
 * - a stream on the wrong route is accepted and acknowledged but never delivers data;
 * - more than `incomingLimitPerSec` incoming frames (text + pong) in any 1 s window → close 1008;
 * - periodic combined data frames `{"stream":…,"data":{…}}` for every deliverable stream;
 * - ping frames on demand or periodically; pongs recorded.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export type Route = 'market' | 'public';
export type Kind = 'aggTrade' | 'trade' | 'bookTicker';

export interface TestServerOptions {
  /** Which routes actually deliver each stream kind. Default: aggTrade market, trade market+public, bookTicker public. */
  deliverOn?: Partial<Record<Kind, readonly Route[]>>;
  /** Interval of data frames per deliverable stream; 0 disables automatic data. Default 20 ms. */
  dataIntervalMs?: number;
  /** Send data frames as binary instead of text. */
  binaryFrames?: boolean;
  /** SUBSCRIBE of a matching stream is answered with an error reply. */
  rejectStream?: (stream: string) => boolean;
  /** Binance: 10 incoming messages/s per connection; exceeded → close 1008. */
  incomingLimitPerSec?: number;
  /** Ping every n ms; 0 = never (default). */
  pingIntervalMs?: number;
}

export interface IncomingRecord {
  atMs: number;
  kind: 'text' | 'pong';
  text?: string;
}

export interface ControlRecord {
  atMs: number;
  method: string;
  params: unknown;
  id: unknown;
}

export interface ServerConnection {
  seq: number;
  /** req.url as received, e.g. `/market/stream?streams=btcusdt@aggTrade`. */
  path: string;
  route: Route | null;
  /** Current subscriptions in server order. */
  streams: string[];
  /** Streams named in the URL at connect time. */
  initialStreams: string[];
  ws: WebSocket;
  openedAtMs: number;
  closedAtMs: number | null;
  closeCode: number | null;
  closeReason: string;
  incoming: IncomingRecord[];
  controls: ControlRecord[];
  pongs: number;
  dataSent: number;
  /** Stop sending data to this connection (keeps it open). */
  silent: boolean;
  rateViolation: boolean;
}

const DEFAULT_DELIVER: Record<Kind, readonly Route[]> = {
  aggTrade: ['market'],
  trade: ['market', 'public'],
  bookTicker: ['public'],
};

export class BinanceTestServer {
  readonly connections: ServerConnection[] = [];
  private readonly deliverOn: Record<Kind, readonly Route[]>;
  private readonly ids = new Map<string, number>();
  private dataTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private seq = 0;
  /** Global switch: when false no connection gets data (for silence tests). */
  dataEnabled = true;
  /** Close the next n accepted connections at once with 1008 "Too many requests". */
  refuseNext = 0;
  /** New connections start silent (open, acknowledged, no data) while true. */
  silenceNew = false;

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly opts: TestServerOptions,
  ) {
    this.deliverOn = { ...DEFAULT_DELIVER, ...opts.deliverOn };
    wss.on('connection', (ws, req) => this.onConnection(ws, req));
    const interval = opts.dataIntervalMs ?? 20;
    if (interval > 0) this.dataTimer = setInterval(() => this.tick(), interval);
    if (opts.pingIntervalMs && opts.pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => {
        for (const c of this.open()) this.ping(c);
      }, opts.pingIntervalMs);
    }
  }

  static async start(opts: TestServerOptions = {}): Promise<BinanceTestServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', () => resolve());
      wss.once('error', reject);
    });
    return new BinanceTestServer(wss, opts);
  }

  get url(): string {
    const { port } = this.wss.address() as AddressInfo;
    return `ws://127.0.0.1:${port}`;
  }

  open(): ServerConnection[] {
    return this.connections.filter((c) => c.closedAtMs === null);
  }

  byRoute(route: Route): ServerConnection[] {
    return this.connections.filter((c) => c.route === route);
  }

  /** Abrupt drop without a close frame (client sees 1006). */
  drop(c: ServerConnection): void {
    c.ws.terminate();
  }

  ping(c: ServerConnection): void {
    if (c.closedAtMs === null) c.ws.ping();
  }

  /** Sends one data frame for `stream` to `c` now. */
  sendData(c: ServerConnection, stream: string): void {
    const frame = this.frame(stream);
    c.ws.send(this.opts.binaryFrames ? Buffer.from(frame, 'utf8') : frame, {
      binary: this.opts.binaryFrames ?? false,
    });
    c.dataSent++;
  }

  /** Largest number of incoming frames (text + pong) within any `windowMs` window. */
  static maxInWindow(records: readonly { atMs: number }[], windowMs = 1_000): number {
    const t = records.map((r) => r.atMs).sort((a, b) => a - b);
    let max = 0;
    let lo = 0;
    for (let hi = 0; hi < t.length; hi++) {
      while (t[hi] - t[lo] >= windowMs) lo++;
      max = Math.max(max, hi - lo + 1);
    }
    return max;
  }

  async close(): Promise<void> {
    if (this.dataTimer) clearInterval(this.dataTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const c of this.open()) c.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // ---------------------------------------------------------------- internals

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const path = req.url ?? '/';
    const parsed = parsePath(path);
    const c: ServerConnection = {
      seq: ++this.seq,
      path,
      route: parsed?.route ?? null,
      streams: parsed ? [...parsed.streams] : [],
      initialStreams: parsed ? [...parsed.streams] : [],
      ws,
      openedAtMs: Date.now(),
      closedAtMs: null,
      closeCode: null,
      closeReason: '',
      incoming: [],
      controls: [],
      pongs: 0,
      dataSent: 0,
      silent: false,
      rateViolation: false,
    };
    this.connections.push(c);
    ws.on('close', (code, reason) => {
      c.closedAtMs = Date.now();
      c.closeCode = code;
      c.closeReason = reason.toString();
    });
    ws.on('error', () => {});
    if (!parsed) {
      ws.close(1008, 'invalid path');
      return;
    }
    if (this.refuseNext > 0) {
      this.refuseNext--;
      ws.close(1008, 'Too many requests');
      return;
    }
    c.silent = this.silenceNew;
    ws.on('pong', () => {
      c.pongs++;
      this.countIncoming(c, { atMs: Date.now(), kind: 'pong' });
    });
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      this.countIncoming(c, { atMs: Date.now(), kind: 'text', text });
      if (c.closedAtMs === null && !c.rateViolation) this.onControl(c, text);
    });
  }

  private countIncoming(c: ServerConnection, rec: IncomingRecord): void {
    c.incoming.push(rec);
    const limit = this.opts.incomingLimitPerSec ?? 10;
    const recent = c.incoming.filter((r) => rec.atMs - r.atMs < 1_000).length;
    if (recent > limit && !c.rateViolation) {
      c.rateViolation = true;
      c.ws.close(1008, 'Too many requests');
    }
  }

  private onControl(c: ServerConnection, text: string): void {
    let msg: { method?: unknown; params?: unknown; id?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      c.ws.send(JSON.stringify({ code: 3, msg: 'Invalid JSON' }));
      return;
    }
    c.controls.push({
      atMs: Date.now(),
      method: String(msg.method),
      params: msg.params,
      id: msg.id,
    });
    const id = msg.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      c.ws.send(
        JSON.stringify({ code: 2, msg: 'Invalid request: request ID must be an unsigned integer' }),
      );
      return;
    }
    const params = Array.isArray(msg.params) ? msg.params.map(String) : null;
    switch (msg.method) {
      case 'SUBSCRIBE': {
        if (!params) return this.error(c, id, 'Invalid request: params');
        const bad = params.find((p) => this.opts.rejectStream?.(p) ?? false);
        if (bad) return this.error(c, id, `Invalid request: invalid stream ${bad}`);
        for (const p of params) if (!c.streams.includes(p)) c.streams.push(p);
        c.ws.send(JSON.stringify({ result: null, id }));
        return;
      }
      case 'UNSUBSCRIBE': {
        if (!params) return this.error(c, id, 'Invalid request: params');
        c.streams = c.streams.filter((s) => !params.includes(s));
        c.ws.send(JSON.stringify({ result: null, id }));
        return;
      }
      case 'LIST_SUBSCRIPTIONS':
        c.ws.send(JSON.stringify({ result: c.streams, id }));
        return;
      default:
        this.error(c, id, `Invalid request: unknown method ${String(msg.method)}`);
    }
  }

  private error(c: ServerConnection, id: number, text: string): void {
    c.ws.send(JSON.stringify({ code: 2, msg: text, id }));
  }

  private tick(): void {
    if (!this.dataEnabled) return;
    for (const c of this.open()) {
      if (c.silent || c.route === null || c.ws.readyState !== c.ws.OPEN) continue;
      for (const stream of c.streams) {
        const kind = stream.split('@')[1] as Kind;
        if (!(this.deliverOn[kind] ?? []).includes(c.route)) continue; // wrong route: silent
        this.sendData(c, stream);
      }
    }
  }

  private frame(stream: string): string {
    const [sym, kind] = stream.split('@');
    const id = (this.ids.get(stream) ?? 1000) + 1;
    this.ids.set(stream, id);
    const now = Date.now();
    const S = sym.toUpperCase();
    let data: Record<string, unknown>;
    if (kind === 'aggTrade') {
      data = {
        e: 'aggTrade',
        E: now,
        s: S,
        a: id,
        p: '100.10',
        q: '0.5',
        nq: '0.5',
        f: id * 2,
        l: id * 2 + 1,
        T: now,
        m: id % 2 === 0,
      };
    } else if (kind === 'trade') {
      data = { e: 'trade', E: now, T: now, s: S, t: id, p: '100.1', q: '1', X: 'MARKET', m: false };
    } else {
      data = { e: 'bookTicker', u: id, E: now, T: now, s: S, b: '1', B: '2', a: '1.1', A: '3' };
    }
    return JSON.stringify({ stream, data });
  }
}

function parsePath(path: string): { route: Route; streams: string[] } | null {
  const url = new URL(path, 'http://127.0.0.1');
  const m = /^\/(market|public)\/(stream|ws)(\/.*)?$/.exec(url.pathname);
  if (!m) return null;
  const route = m[1] as Route;
  if (m[2] === 'stream') {
    const raw = url.searchParams.get('streams');
    if (!raw) return null;
    return { route, streams: raw.split('/').filter(Boolean) };
  }
  const rest = (m[3] ?? '').split('/').filter(Boolean);
  return rest.length > 0 ? { route, streams: rest } : null;
}

/** Polls `predicate` every 5 ms until true or `timeoutMs` elapses (then throws with `label`). */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 5_000,
  label = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
