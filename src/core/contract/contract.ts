/**
 * The one typed contract between the main process and the renderer (GitHub Desktop style):
 * every request with its response, and every pushed event. The preload exposes exactly this
 * through contextBridge; the browser mode implements the same over a WebSocket bridge, so the
 * renderer never knows which transport it has.
 */
import type { Bar, RejectReason, Timeframe } from '../market/types';

/** Feed connection health, as published by the feed client. */
export type ConnectionState = 'connecting' | 'live' | 'stale' | 'backing_off' | 'stopped';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Plain-words reason, e.g. `watchdog: no data for 10 s`. */
  reason: string;
  /** Wall-clock ms when this state began. */
  sinceMs: number;
}

/** Where the running session's data comes from. */
export type SourceKind = 'live' | 'demo' | 'replay';

export interface SourceInfo {
  kind: SourceKind;
  /** True for the simulated market: every view must label it SIMULATED. */
  simulated: boolean;
  /** Human label, e.g. `Binance USD-M futures` or the replayed file name. */
  label: string;
  datasetId: number;
}

export interface SymbolPrice {
  symbol: string;
  price: number;
  /** Trade time of the last tick, ms. */
  timeMs: number;
}

/** Ingestion health for the status bar. */
export interface IngestStats {
  messagesPerSec: number;
  /** ms since the last message from the feed; null before the first one. */
  lastMessageAgeMs: number | null;
  ticksStored: number;
  rejects: Partial<Record<RejectReason, number>>;
  rejectsTotal: number;
  dbSizeBytes: number;
}

/** Everything a freshly opened window needs to draw itself. */
export interface SessionSnapshot {
  source: SourceInfo;
  symbols: string[];
  connection: ConnectionStatus;
  prices: SymbolPrice[];
  stats: IngestStats;
}

/** Requests the renderer may make: channel → request payload and response. */
export interface RequestMap {
  'session.snapshot': { request: null; response: SessionSnapshot };
  'bars.history': {
    request: { symbol: string; timeframe: Timeframe; limit: number };
    response: Bar[];
  };
}

/** Events main pushes to the renderer: name → payload. Bursty ones arrive coalesced. */
export interface EventMap {
  connection: ConnectionStatus;
  prices: SymbolPrice[];
  stats: IngestStats;
  /** Bars closed or revised since the previous event, and the in-progress ones. */
  bars: { closed: Bar[]; inProgress: Bar[] };
}

export type RequestChannel = keyof RequestMap;
export type EventName = keyof EventMap;
export type RequestOf<C extends RequestChannel> = RequestMap[C]['request'];
export type ResponseOf<C extends RequestChannel> = RequestMap[C]['response'];

/** What the renderer sees, whatever the transport (preload IPC or WebSocket bridge). */
export interface PairDeskApi {
  invoke<C extends RequestChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

export const REQUEST_CHANNELS: readonly RequestChannel[] = ['session.snapshot', 'bars.history'];
export const EVENT_NAMES: readonly EventName[] = ['connection', 'prices', 'stats', 'bars'];

/** IPC channel names used by the Electron transport. */
export const IPC_INVOKE_PREFIX = 'pairdesk:invoke:';
export const IPC_EVENT_CHANNEL = 'pairdesk:event';

/** An event as it crosses a transport. */
export interface EventEnvelope<E extends EventName = EventName> {
  event: E;
  payload: EventMap[E];
}

/**
 * The main-process side of the contract, implemented by the services layer and served by
 * either transport (Electron IPC or the browser-mode WebSocket bridge).
 */
export interface ContractHost {
  handle<C extends RequestChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** Registers an event listener; returns the unsubscribe function. */
  subscribe(listener: (envelope: EventEnvelope) => void): () => void;
}
