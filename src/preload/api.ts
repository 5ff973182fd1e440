/**
 * The renderer-facing API over Electron IPC: exactly `PairDeskApi`, nothing else. Kept apart
 * from index.ts (which touches contextBridge) so tests can build it over a fake ipcRenderer.
 * Bundled into the sandboxed preload: it may only use `electron` and plain JS.
 */
import {
  EVENT_NAMES,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_PREFIX,
  REQUEST_CHANNELS,
} from '../core/contract/contract';
import type {
  EventEnvelope,
  EventMap,
  EventName,
  PairDeskApi,
  RequestChannel,
} from '../core/contract/contract';

/** The slice of `IpcRenderer` used here. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function isEnvelope(value: unknown): value is EventEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    (EVENT_NAMES as readonly unknown[]).includes((value as { event?: unknown }).event)
  );
}

export function createPairDeskApi(ipcRenderer: IpcRendererLike): PairDeskApi {
  const invoke = (channel: RequestChannel, request: unknown): Promise<unknown> => {
    if (!(REQUEST_CHANNELS as readonly unknown[]).includes(channel)) {
      return Promise.reject(new Error(`Unknown PairDesk request channel: ${String(channel)}`));
    }
    return ipcRenderer.invoke(IPC_INVOKE_PREFIX + channel, request);
  };
  const on = (event: EventName, listener: (payload: EventMap[EventName]) => void): (() => void) => {
    if (!(EVENT_NAMES as readonly unknown[]).includes(event)) {
      throw new Error(`Unknown PairDesk event: ${String(event)}`);
    }
    if (typeof listener !== 'function')
      throw new Error('PairDesk event listener must be a function');
    // The IpcRendererEvent is never handed to the page (it carries `sender`).
    const relay = (_ipcEvent: unknown, envelope: unknown): void => {
      if (isEnvelope(envelope) && envelope.event === event) listener(envelope.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
    };
  };
  return { invoke, on } as PairDeskApi;
}
