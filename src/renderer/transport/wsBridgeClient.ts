/**
 * PairDeskApi over the browser-mode WebSocket bridge (wire format: bridgeProtocol.ts).
 * Invokes carry ids and resolve with their reply; pushed events go to `on` listeners. When the
 * socket closes, in-flight invokes are rejected, new ones wait for the next connection, and the
 * client reconnects with exponential backoff; each re-open is announced through `onReopen` so
 * the session can re-fetch its snapshot (events were missed while disconnected).
 */
import type {
  EventMap,
  EventName,
  PairDeskApi,
  RequestChannel,
  RequestOf,
  ResponseOf,
} from '../../core/contract/contract';
import type {
  BridgeInvoke,
  BridgeServerFrame,
  BridgeEvent,
} from '../../core/contract/bridgeProtocol';
import { decodeBridgeFrame } from '../../core/contract/bridgeCodec';
import { contractRowFactory } from '../../core/contract/contractTables';
import type { TransportEvents, TransportStatus } from './types';

/** The subset of the browser WebSocket the client uses (the `ws` package matches it too). */
export interface WebSocketLike {
  readonly readyState: number;
  /** Set to 'arraybuffer': binary frames (bridgeCodec) arrive as ArrayBuffers. */
  binaryType?: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(
    type: 'close',
    listener: (event: { code: number; reason: string }) => void,
  ): void;
  addEventListener(type: 'error', listener: () => void): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export interface WsBridgeClientOptions {
  url: string;
  createSocket?: WebSocketFactory;
  backoff?: Partial<BackoffOptions>;
  /** A request without a reply after this long is rejected. */
  requestTimeoutMs?: number;
  /** 0..1 → jitter fraction; injectable for deterministic tests. */
  random?: () => number;
}

const OPEN = 1;

/**
 * Requests that last as long as the work they start (an import of 10 M lines, an export, the
 * user in a native dialog): no reply timeout; a lost connection still rejects them, and their
 * `transfer` events tell the outcome meanwhile.
 */
export const UNTIMED_CHANNELS: ReadonlySet<RequestChannel> = new Set<RequestChannel>([
  'files.open',
  'files.import',
  'export.csv',
]);
const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 15_000, factor: 2 };

interface Pending {
  channel: RequestChannel;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** Reply timeout; undefined for UNTIMED_CHANNELS. */
  timer: ReturnType<typeof setTimeout> | undefined;
  frame: string;
  sent: boolean;
}

/** The delay before reconnect attempt `attempt` (0-based), with up to +20 % jitter. */
export function backoffDelay(attempt: number, options: BackoffOptions, random: number): number {
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** attempt);
  return Math.round(base * (1 + 0.2 * random));
}

export class WsBridgeClient implements PairDeskApi, TransportEvents {
  private socket: WebSocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly reopenListeners = new Set<() => void>();
  private readonly statusListeners = new Set<(status: TransportStatus) => void>();
  private readonly backoff: BackoffOptions;
  private readonly createSocket: WebSocketFactory;
  private readonly requestTimeoutMs: number;
  private readonly random: () => number;
  private attempt = 0;
  private everOpened = false;
  private closed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private currentStatus: TransportStatus = {
    state: 'connecting',
    error: null,
    retryAtMs: null,
  };

  constructor(private readonly options: WsBridgeClientOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.createSocket =
      options.createSocket ?? ((url) => new WebSocket(url) as unknown as WebSocketLike);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.random = options.random ?? Math.random;
    this.connect();
  }

  get status(): TransportStatus {
    return this.currentStatus;
  }

  invoke<C extends RequestChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    if (this.closed) return Promise.reject(new Error('PairDesk bridge client is closed'));
    const id = this.nextId++;
    const message: BridgeInvoke = { type: 'invoke', id, channel, request };
    return new Promise<ResponseOf<C>>((resolve, reject) => {
      const timer = UNTIMED_CHANNELS.has(channel)
        ? undefined
        : setTimeout(() => {
            this.pending.delete(id);
            reject(new Error(`No reply to "${channel}" within ${this.requestTimeoutMs / 1000} s`));
          }, this.requestTimeoutMs);
      const entry: Pending = {
        channel,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer,
        frame: JSON.stringify(message),
        sent: false,
      };
      this.pending.set(id, entry);
      this.trySend(entry);
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const stored = listener as (payload: never) => void;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  onReopen(listener: () => void): () => void {
    this.reopenListeners.add(listener);
    return () => {
      this.reopenListeners.delete(listener);
    };
  }

  onTransport(listener: (status: TransportStatus) => void): () => void {
    this.statusListeners.add(listener);
    listener(this.currentStatus);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  /** Closes for good: no reconnect; pending invokes are rejected. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.rejectPending(() => true, 'PairDesk bridge client closed');
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'client closed');
    this.setStatus({ state: 'closed', error: null, retryAtMs: null });
  }

  private connect(): void {
    if (this.closed) return;
    this.setStatus({ state: 'connecting', error: this.currentStatus.error, retryAtMs: null });
    let socket: WebSocketLike;
    try {
      socket = this.createSocket(this.options.url);
    } catch (error) {
      this.onSocketClosed(error instanceof Error ? error.message : String(error));
      return;
    }
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      const reopened = this.everOpened;
      this.everOpened = true;
      this.setStatus({ state: 'open', error: null, retryAtMs: null });
      for (const entry of this.pending.values()) this.trySend(entry);
      if (reopened) for (const listener of [...this.reopenListeners]) safely(listener);
    });
    socket.addEventListener('message', (event) => {
      if (this.socket !== socket) return;
      this.onMessage(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      const why = event.reason
        ? `bridge closed: ${event.reason} (code ${event.code})`
        : `bridge connection lost (code ${event.code})`;
      this.onSocketClosed(why);
    });
    socket.addEventListener('error', () => {
      // A 'close' event always follows; it carries the details.
    });
  }

  private onSocketClosed(reason: string): void {
    // Sent requests will never get their reply; unsent ones wait for the next connection.
    this.rejectPending((entry) => entry.sent, `${reason}; request not answered`);
    if (this.closed) return;
    const delay = backoffDelay(this.attempt, this.backoff, this.random());
    this.attempt += 1;
    this.setStatus({ state: 'closed', error: reason, retryAtMs: Date.now() + delay });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private trySend(entry: Pending): void {
    const socket = this.socket;
    if (entry.sent || !socket || socket.readyState !== OPEN) return;
    entry.sent = true;
    socket.send(entry.frame);
  }

  private rejectPending(which: (entry: Pending) => boolean, message: string): void {
    for (const [id, entry] of this.pending) {
      if (!which(entry)) continue;
      this.pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(new Error(`${message} ("${entry.channel}")`));
    }
  }

  private onMessage(data: unknown): void {
    let frame: BridgeServerFrame;
    try {
      if (typeof data === 'string') frame = JSON.parse(data) as BridgeServerFrame;
      else if (data instanceof ArrayBuffer) {
        frame = decodeBridgeFrame(data, { rowFactory: contractRowFactory }) as BridgeServerFrame;
      } else {
        console.warn('PairDesk bridge: ignoring a frame that is neither text nor an ArrayBuffer');
        return;
      }
    } catch (error) {
      console.warn(`PairDesk bridge: ignoring a bad frame (${(error as Error).message})`);
      return;
    }
    if (frame.type === 'reply') {
      const entry = this.pending.get(frame.id);
      if (!entry) return;
      this.pending.delete(frame.id);
      clearTimeout(entry.timer);
      if (frame.ok) entry.resolve(frame.response);
      else entry.reject(new Error(frame.error));
    } else if (frame.type === 'event') {
      this.dispatch(frame);
    }
  }

  private dispatch(frame: BridgeEvent): void {
    const set = this.listeners.get(frame.envelope.event);
    if (!set) return;
    for (const listener of [...set]) safely(() => listener(frame.envelope.payload as never));
  }

  private setStatus(status: TransportStatus): void {
    this.currentStatus = status;
    for (const listener of [...this.statusListeners]) safely(() => listener(status));
  }
}

function safely(run: () => void): void {
  try {
    run();
  } catch (error) {
    console.error('PairDesk bridge listener failed:', error);
  }
}
