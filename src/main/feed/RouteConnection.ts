import WebSocket from 'ws';
import type { RawData } from 'ws';
import { backoffDelayMs, type BackoffOptions } from './backoff';
import { classifyFrame, extractStreamName, parseControlReply } from './frames';
import { RateMeter } from './RateMeter';
import { SlidingWindowLimiter } from './SlidingWindowLimiter';
import { describeConnectError } from './socketErrors';
import { combinedStreamUrl } from './streams';
import type {
  ControlMethod,
  ControlResultEvent,
  FeedGapEvent,
  FeedRoute,
  FeedSocketErrorEvent,
  FeedState,
  RouteStateEvent,
  RouteStats,
} from './types';

/** Fully resolved settings shared by all route connections of one client. */
export interface RouteConnectionSettings {
  baseUrl: string;
  watchdogMs: number;
  backoff: BackoffOptions;
  maxLifetimeMs: number;
  lifetimeJitterMs: number;
  rotationOverlapMs: number;
  controlRatePerSec: number;
  controlTimeoutMs: number;
  maxParamsPerMessage: number;
  connectTimeoutMs: number;
  /** ws maxPayload: a larger frame is refused with 1009 before it is buffered. */
  maxFrameBytes: number;
  now: () => number;
  random: () => number;
}

export interface RouteConnectionHooks {
  nextControlId: () => number;
  onData: (raw: string, route: FeedRoute, receivedAtMs: number, stream: string | null) => void;
  onState: (event: RouteStateEvent) => void;
  onControl: (event: ControlResultEvent) => void;
  onGap: (event: FeedGapEvent) => void;
  onSocketError: (event: FeedSocketErrorEvent) => void;
  /** The server accepted a handshake: its HTTP response headers (lower-case names). */
  onUpgrade?: (
    route: FeedRoute,
    headers: Readonly<Record<string, string | string[] | undefined>>,
  ) => void;
}

interface PendingControl {
  method: ControlMethod;
  params: string[];
  sentAt: number;
  timer: NodeJS.Timeout;
}

type SessionRole = 'primary' | 'successor';

/** One WebSocket and what we know about its server-side subscription state. */
interface Session {
  seq: number;
  ws: WebSocket;
  url: string;
  role: SessionRole;
  /** Streams the server has (URL + sent SUBSCRIBE − sent UNSUBSCRIBE, rolled back on errors). */
  sent: Set<string>;
  pending: Map<number, PendingControl>;
  limiter: SlidingWindowLimiter;
  createdAt: number;
  openedAt: number | null;
  firstDataAt: number | null;
  lastDataAt: number | null;
  /** Set when we closed/abandoned it on purpose: its close event must not trigger a reconnect. */
  retired: boolean;
  /** A frame exceeded maxFrameBytes: ws closes with 1009 (the close event may say 1006). */
  frameTooLarge: boolean;
  /** Why the attempt failed before opening (`connection refused by …`): the state's reason. */
  connectFailure: string | null;
}

const CLOSE_GRACE_MS = 2_000;

/**
 * Owns the combined-stream connection of ONE route: connect, watchdog, backoff, lifetime rotation
 * and the rate-limited SUBSCRIBE/UNSUBSCRIBE reconciliation between the wanted stream set and the
 * set the server has.
 */
export class RouteConnection {
  private readonly desired = new Set<string>();
  private primary: Session | null = null;
  private successor: Session | null = null;
  private running = false;
  private sessionSeq = 0;

  private state: FeedState = 'stopped';
  private reason = 'not started';
  private since: number;
  private attempt = 0;
  private nextRetryMs: number | null = null;
  private liveSince: number | null = null;

  private reconnectTimer: NodeJS.Timeout | null = null;
  private watchdogTimer: NodeJS.Timeout | null = null;
  private lifetimeTimer: NodeJS.Timeout | null = null;
  private overlapTimer: NodeJS.Timeout | null = null;
  private drainTimer: NodeJS.Timeout | null = null;

  /** Outage bookkeeping for the gap event. */
  private outage: { lastDataAtMs: number | null; reason: string } | null = null;

  private lastDataAtMs: number | null = null;
  private readonly msgMeter = new RateMeter();
  private readonly byteMeter = new RateMeter();
  private readonly counters = {
    dataMessages: 0,
    controlReplies: 0,
    bytes: 0,
    connects: 0,
    reconnects: 0,
    rotations: 0,
    watchdogTrips: 0,
    framesTooLarge: 0,
    controlSent: 0,
    controlAcked: 0,
    controlErrors: 0,
    pingsReceived: 0,
    pongsSent: 0,
  };

  constructor(
    readonly route: FeedRoute,
    private readonly cfg: RouteConnectionSettings,
    private readonly hooks: RouteConnectionHooks,
  ) {
    this.since = cfg.now();
  }

  // ---------------------------------------------------------------- public surface

  get currentState(): FeedState {
    return this.state;
  }

  get hasStreams(): boolean {
    return this.desired.size > 0;
  }

  streams(): string[] {
    return [...this.desired];
  }

  stateEvent(): RouteStateEvent {
    return {
      route: this.route,
      state: this.state,
      reason: this.reason,
      since: this.since,
      attempt: this.attempt,
      nextRetryMs: this.nextRetryMs,
      url: this.primary?.url ?? (this.desired.size > 0 ? this.buildUrl() : null),
    };
  }

  /** Replaces the wanted stream set; applied live via control frames when connected. */
  setStreams(streams: readonly string[]): void {
    const next = new Set(streams);
    let changed = next.size !== this.desired.size;
    if (!changed) for (const s of next) if (!this.desired.has(s)) changed = true;
    if (!changed) return;
    this.desired.clear();
    for (const s of next) this.desired.add(s);
    if (!this.running) return;
    if (this.desired.size === 0) {
      this.goIdle();
      return;
    }
    if (!this.primary && !this.reconnectTimer) {
      this.connect('streams added');
      return;
    }
    this.scheduleDrain();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    if (this.desired.size > 0) this.connect('start');
    else this.setState('stopped', 'idle: no streams');
  }

  /** Graceful stop: close code 1000, all timers cleared, no reconnect. */
  async stop(reason = 'stopped by client'): Promise<void> {
    this.running = false;
    this.clearTimers();
    const closing = [this.primary, this.successor]
      .filter((s): s is Session => s !== null)
      .map((s) => this.retire(s, 1000, 'client stop'));
    this.primary = null;
    this.successor = null;
    this.outage = null;
    this.liveSince = null;
    this.setState('stopped', reason);
    await Promise.all(closing);
  }

  stats(): RouteStats {
    const now = this.cfg.now();
    const s = this.primary;
    return {
      route: this.route,
      state: this.state,
      reason: this.reason,
      since: this.since,
      attempt: this.attempt,
      url: s?.url ?? null,
      streams: this.desired.size,
      connectedAtMs: s?.openedAt ?? null,
      lastMessageAtMs: this.lastDataAtMs,
      ...this.counters,
      messagesPerSec: this.msgMeter.rate(now),
      bytesPerSec: this.byteMeter.rate(now),
      controlPending: (s?.pending.size ?? 0) + (this.drainTimer ? 1 : 0),
    };
  }

  get lastMessageAtMs(): number | null {
    return this.lastDataAtMs;
  }

  // ---------------------------------------------------------------- connection lifecycle

  private buildUrl(): string {
    return combinedStreamUrl(this.cfg.baseUrl, this.route, [...this.desired]);
  }

  private connect(why: string): void {
    this.reconnectTimer = null;
    this.nextRetryMs = null;
    if (!this.running || this.desired.size === 0) return;
    const session = this.openSession('primary');
    this.primary = session;
    this.setState('connecting', `connecting (${why})`);
  }

  private openSession(role: SessionRole): Session {
    const url = this.buildUrl();
    const ws = new WebSocket(url, {
      handshakeTimeout: this.cfg.connectTimeoutMs,
      perMessageDeflate: false,
      autoPong: true,
      // ws's default (100 MiB) let a hostile server make us buffer and decode huge frames.
      maxPayload: this.cfg.maxFrameBytes,
    });
    const session: Session = {
      seq: ++this.sessionSeq,
      ws,
      url,
      role,
      sent: new Set(this.desired),
      pending: new Map(),
      limiter: new SlidingWindowLimiter(this.cfg.controlRatePerSec),
      createdAt: this.cfg.now(),
      openedAt: null,
      firstDataAt: null,
      lastDataAt: null,
      retired: false,
      frameTooLarge: false,
      connectFailure: null,
    };
    this.counters.connects++;
    ws.on('open', () => this.handleOpen(session));
    ws.on('message', (data, isBinary) => this.handleMessage(session, data, isBinary));
    ws.on('ping', () => {
      // ws (autoPong) has already queued the pong; Binance counts it as an incoming message.
      session.limiter.record(this.cfg.now());
      this.counters.pingsReceived++;
      this.counters.pongsSent++;
    });
    ws.on('upgrade', (res) => {
      if (!session.retired) this.hooks.onUpgrade?.(this.route, res.headers);
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (session.retired) return;
      if (session.openedAt === null) session.connectFailure = describeConnectError(err, url);
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        // ws has sent close 1009 and stopped reading; a hostile peer need not answer, so do not
        // wait out the close handshake: drop the socket now and reconnect with backoff.
        session.frameTooLarge = true;
        ws.terminate();
      }
      this.hooks.onSocketError({ route: this.route, message: err.message, atMs: this.cfg.now() });
    });
    ws.on('close', (code, reasonBuf) => this.handleClose(session, code, reasonBuf.toString()));
    return session;
  }

  private handleOpen(session: Session): void {
    if (session.retired) return;
    session.openedAt = this.cfg.now();
    this.ensureWatchdog();
    if (session.role === 'primary') {
      this.setState('connecting', 'socket open; awaiting first data');
      this.armLifetime(session);
      this.scheduleDrain();
    }
  }

  private handleMessage(session: Session, data: RawData, _isBinary: boolean): void {
    if (session.retired) return;
    const now = this.cfg.now();
    const buf = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    // Binary frames are decoded as UTF-8 just like text frames.
    const text = buf.toString('utf8');
    this.counters.bytes += buf.length;
    this.byteMeter.add(now, buf.length);

    if (classifyFrame(text) === 'control') {
      this.counters.controlReplies++;
      this.handleControlReply(session, text, now);
      return;
    }

    if (session.role === 'successor') {
      // First data on the rotated connection: take over now (the old one delivered until here).
      this.switchToSuccessor('lifetime rotation: new connection delivering');
      if (session.retired) return;
    }

    session.lastDataAt = now;
    this.lastDataAtMs = now;
    this.counters.dataMessages++;
    this.msgMeter.add(now);
    if (session.firstDataAt === null) {
      session.firstDataAt = now;
      if (session === this.primary && this.state !== 'live') {
        this.liveSince = now;
        this.setState('live', 'receiving data');
        if (this.outage) {
          const outage = this.outage;
          this.outage = null;
          this.hooks.onGap({
            route: this.route,
            streams: [...session.sent],
            lastDataAtMs: outage.lastDataAtMs,
            resumedAtMs: now,
            reason: outage.reason,
          });
        }
      }
    }
    this.hooks.onData(text, this.route, now, extractStreamName(text));
  }

  private handleClose(session: Session, code: number, reason: string): void {
    this.failPending(session, 'closed');
    if (session.retired) return;
    session.retired = true;
    let why =
      session.openedAt === null && session.connectFailure !== null
        ? session.connectFailure
        : `closed: code ${code}${reason ? ` ${reason}` : ''}`;
    if (code === 1009 || session.frameTooLarge) {
      // ws closes with 1009 when a frame exceeds maxPayload (a server may send 1009 too).
      this.counters.framesTooLarge++;
      why = `closed: code 1009 frame too large (limit ${this.cfg.maxFrameBytes} bytes)`;
    }

    if (session === this.successor) {
      // Rotation attempt failed; the old connection still works. Try again later.
      this.successor = null;
      this.clearTimer('overlapTimer');
      if (this.running && this.primary) this.armLifetimeRetry();
      return;
    }
    if (session !== this.primary) return;

    this.primary = null;
    if (this.successor) {
      // Old connection cut (e.g. the 24 h mark) during a rotation: promote the new one.
      this.promoteSuccessor(`primary ${why} during rotation`);
      return;
    }
    if (!this.running) return;
    this.scheduleReconnect(why, session);
  }

  private scheduleReconnect(reason: string, previous: Session): void {
    this.clearTimer('lifetimeTimer');
    this.clearTimer('overlapTimer');
    this.clearTimer('drainTimer');
    if (!this.hasOpenSession()) this.clearTimer('watchdogTimer');
    const now = this.cfg.now();
    if (this.liveSince !== null && now - this.liveSince >= this.cfg.backoff.resetAfterMs) {
      this.attempt = 0;
    }
    this.liveSince = null;
    if (!this.outage) {
      this.outage = { lastDataAtMs: previous.lastDataAt ?? this.lastDataAtMs, reason };
    }
    const delay = backoffDelayMs(this.attempt, this.cfg.backoff, this.cfg.random);
    this.attempt++;
    this.counters.reconnects++;
    this.nextRetryMs = delay;
    this.setState('backing_off', reason);
    this.reconnectTimer = setTimeout(() => this.connect(`retry ${this.attempt}`), delay);
  }

  /** No streams left: close the connection rather than keep an empty, silent one. */
  private goIdle(): void {
    this.clearTimers();
    for (const s of [this.primary, this.successor]) {
      if (s) void this.retire(s, 1000, 'no streams');
    }
    this.primary = null;
    this.successor = null;
    this.outage = null;
    this.liveSince = null;
    this.attempt = 0;
    this.nextRetryMs = null;
    this.setState('stopped', 'idle: no streams');
  }

  // ---------------------------------------------------------------- watchdog

  private hasOpenSession(): boolean {
    return this.primary?.openedAt != null || this.successor?.openedAt != null;
  }

  private ensureWatchdog(): void {
    if (this.watchdogTimer) return;
    const tick = Math.max(25, Math.floor(this.cfg.watchdogMs / 4));
    this.watchdogTimer = setInterval(() => this.checkWatchdog(), tick);
  }

  private checkWatchdog(): void {
    const s = this.primary;
    if (!s || s.retired || s.openedAt === null) {
      if (!this.hasOpenSession()) this.clearTimer('watchdogTimer');
      return;
    }
    const now = this.cfg.now();
    const silentMs = now - (s.lastDataAt ?? s.openedAt);
    if (silentMs < this.cfg.watchdogMs) return;
    this.counters.watchdogTrips++;
    const reason = `watchdog: no data for ${formatSeconds(silentMs)} s`;
    this.setState('stale', reason);
    // The socket may be half-dead: terminate instead of waiting for a close handshake.
    this.primary = null;
    void this.retire(s, null, 'watchdog');
    if (this.successor) {
      this.promoteSuccessor(`${reason} during rotation`);
      return;
    }
    this.scheduleReconnect(reason, s);
  }

  // ---------------------------------------------------------------- lifetime rotation

  private armLifetime(session: Session): void {
    this.clearTimer('lifetimeTimer');
    const jitterCap = Math.min(this.cfg.lifetimeJitterMs, this.cfg.maxLifetimeMs * 0.1);
    const age = this.cfg.now() - (session.openedAt ?? session.createdAt);
    const delay = Math.max(0, this.cfg.maxLifetimeMs - this.cfg.random() * jitterCap - age);
    this.lifetimeTimer = setTimeout(() => this.beginRotation(), delay);
  }

  private armLifetimeRetry(): void {
    this.clearTimer('lifetimeTimer');
    const delay = Math.min(this.cfg.backoff.maxMs, Math.max(this.cfg.watchdogMs, 1_000));
    this.lifetimeTimer = setTimeout(() => this.beginRotation(), delay);
  }

  /**
   * Make-before-break: open a second connection with the current stream set; the old one keeps
   * delivering until the new one delivers its first data frame (or rotationOverlapMs passes), so
   * no trade falls between them. A few trades may arrive twice; downstream dedups by trade id.
   */
  private beginRotation(): void {
    this.lifetimeTimer = null;
    if (!this.running || !this.primary || this.successor || this.desired.size === 0) return;
    this.successor = this.openSession('successor');
    this.overlapTimer = setTimeout(() => {
      this.overlapTimer = null;
      const succ = this.successor;
      if (!succ) return;
      if (succ.openedAt !== null) {
        this.switchToSuccessor('lifetime rotation: overlap elapsed');
      } else {
        // Still handshaking: give up on it and retry later; the old connection keeps running.
        this.successor = null;
        void this.retire(succ, null, 'rotation handshake too slow');
        this.armLifetimeRetry();
      }
    }, this.cfg.rotationOverlapMs);
  }

  private switchToSuccessor(reason: string): void {
    const old = this.primary;
    this.primary = null;
    if (old) void this.retire(old, 1000, 'lifetime rotation');
    this.promoteSuccessor(reason);
  }

  private promoteSuccessor(reason: string): void {
    const succ = this.successor;
    if (!succ) return;
    this.successor = null;
    this.clearTimer('overlapTimer');
    this.clearTimer('drainTimer');
    succ.role = 'primary';
    this.primary = succ;
    this.counters.rotations++;
    if (succ.openedAt !== null) {
      this.armLifetime(succ);
      this.ensureWatchdog();
      // Stays `live` if it was: the hand-over is seamless.
      this.setState(this.state === 'live' ? 'live' : 'connecting', reason);
      this.scheduleDrain();
    } else {
      this.clearTimer('lifetimeTimer');
      this.liveSince = null;
      this.setState('connecting', reason);
    }
  }

  // ---------------------------------------------------------------- control frames

  private scheduleDrain(): void {
    if (this.drainTimer) return;
    const s = this.primary;
    if (!s || s.openedAt === null || s.retired) return;
    // setTimeout(0) also coalesces a synchronous burst of symbol changes into one batch.
    const wait = s.limiter.waitMs(this.cfg.now());
    this.drainTimer = setTimeout(() => this.drain(), wait);
  }

  /** Sends UNSUBSCRIBE/SUBSCRIBE for the difference between wanted and server-side streams. */
  private drain(): void {
    this.drainTimer = null;
    const s = this.primary;
    if (!s || s.retired || s.openedAt === null || s.ws.readyState !== WebSocket.OPEN) return;
    for (;;) {
      const toUnsub = [...s.sent].filter((x) => !this.desired.has(x));
      const toSub = [...this.desired].filter((x) => !s.sent.has(x));
      if (toUnsub.length === 0 && toSub.length === 0) return;
      const wait = s.limiter.waitMs(this.cfg.now());
      if (wait > 0) {
        this.drainTimer = setTimeout(() => this.drain(), wait);
        return;
      }
      // Unsubscribe first so the server-side set never exceeds the stream cap.
      if (toUnsub.length > 0) {
        this.sendControl(s, 'UNSUBSCRIBE', toUnsub.slice(0, this.cfg.maxParamsPerMessage));
      } else {
        this.sendControl(s, 'SUBSCRIBE', toSub.slice(0, this.cfg.maxParamsPerMessage));
      }
    }
  }

  private sendControl(s: Session, method: ControlMethod, params: string[]): void {
    const id = this.hooks.nextControlId();
    const now = this.cfg.now();
    s.limiter.record(now);
    for (const p of params) {
      if (method === 'SUBSCRIBE') s.sent.add(p);
      else s.sent.delete(p);
    }
    const timer = setTimeout(() => {
      const p = s.pending.get(id);
      if (!p) return;
      s.pending.delete(id);
      this.counters.controlErrors++;
      this.emitControl(id, p, 'timeout', null);
    }, this.cfg.controlTimeoutMs);
    s.pending.set(id, { method, params, sentAt: now, timer });
    this.counters.controlSent++;
    s.ws.send(JSON.stringify({ method, params, id }));
  }

  private handleControlReply(s: Session, text: string, now: number): void {
    const reply = parseControlReply(text);
    if (!reply) return;
    let id = reply.id;
    if (id === null || !s.pending.has(id)) {
      // Some error replies carry no id: attribute them to the oldest outstanding request.
      if (reply.error === null || s.pending.size === 0) return;
      id = s.pending.keys().next().value ?? null;
      if (id === null) return;
    }
    const pending = s.pending.get(id);
    if (!pending) return;
    s.pending.delete(id);
    clearTimeout(pending.timer);
    if (reply.error) {
      this.counters.controlErrors++;
      // Roll back our view of the server state; a later change retries the difference.
      for (const p of pending.params) {
        if (pending.method === 'SUBSCRIBE') s.sent.delete(p);
        else s.sent.add(p);
      }
      this.emitControl(id, pending, 'error', reply.error, now);
    } else {
      this.counters.controlAcked++;
      this.emitControl(id, pending, 'ack', null, now);
    }
  }

  private emitControl(
    id: number,
    p: PendingControl,
    outcome: ControlResultEvent['outcome'],
    error: ControlResultEvent['error'],
    now = this.cfg.now(),
  ): void {
    this.hooks.onControl({
      route: this.route,
      id,
      method: p.method,
      params: p.params,
      outcome,
      error,
      rttMs: now - p.sentAt,
    });
  }

  private failPending(s: Session, outcome: 'closed'): void {
    if (s.pending.size === 0) return;
    const entries = [...s.pending];
    s.pending.clear();
    for (const [id, p] of entries) {
      clearTimeout(p.timer);
      this.emitControl(id, p, outcome, null);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Closes (code) or terminates (null) a session we no longer want; resolves once closed. */
  private retire(s: Session, code: number | null, reason: string): Promise<void> {
    s.retired = true;
    this.failPending(s, 'closed');
    const ws = s.ws;
    if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        ws.terminate();
        resolve();
      }, CLOSE_GRACE_MS);
      ws.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      if (code === null || ws.readyState !== WebSocket.OPEN) {
        // terminate() also aborts a pending handshake (emits 'error' + 'close').
        ws.terminate();
      } else {
        ws.close(code, reason);
      }
    });
  }

  private setState(state: FeedState, reason: string): void {
    if (state === this.state && reason === this.reason) return;
    if (state !== this.state) this.since = this.cfg.now();
    this.state = state;
    this.reason = reason;
    if (state !== 'backing_off') this.nextRetryMs = null;
    this.hooks.onState(this.stateEvent());
  }

  private clearTimer(
    name: 'reconnectTimer' | 'watchdogTimer' | 'lifetimeTimer' | 'overlapTimer' | 'drainTimer',
  ): void {
    const t = this[name];
    if (t) {
      clearTimeout(t);
      this[name] = null;
    }
  }

  private clearTimers(): void {
    this.clearTimer('reconnectTimer');
    this.clearTimer('watchdogTimer');
    this.clearTimer('lifetimeTimer');
    this.clearTimer('overlapTimer');
    this.clearTimer('drainTimer');
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1_000;
  return Number.isInteger(s) || s >= 10 ? String(Math.round(s)) : s.toFixed(1);
}
