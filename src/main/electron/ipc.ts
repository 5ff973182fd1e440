/**
 * The Electron transport of the contract, main-process side: one `ipcMain.handle` per request
 * channel (sender frame checked, payload validated) and the event push to the window.
 * Only structural types here (no runtime `electron` import), so tests can pass fakes.
 */
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_PREFIX,
  REQUEST_CHANNELS,
} from '../../core/contract/contract';
import type { ContractHost, EventEnvelope, RequestChannel } from '../../core/contract/contract';
import { parseRequest } from '../../core/contract/schemas';
import { isAppUrl } from './security';

/** The slice of `WebFrameMain` the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
}

/** The slice of `IpcMainInvokeEvent`. */
export interface InvokeEventLike {
  readonly senderFrame: FrameLike | null;
  readonly sender: unknown;
}

/** The slice of `IpcMain`. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The slice of `BrowserWindow` (and its `webContents`) the transport uses. */
export interface WindowLike {
  isDestroyed(): boolean;
  readonly webContents: {
    readonly mainFrame: FrameLike;
    isDestroyed(): boolean;
    send(channel: string, ...args: unknown[]): void;
  };
}

export interface IpcTransportOptions {
  ipcMain: IpcMainLike;
  host: ContractHost;
  /** The one window allowed to call in; null while there is none. */
  getMainWindow: () => WindowLike | null;
  /** The app page URL (file:// of index.html or the dev-server URL); null before load. */
  getAppUrl: () => string | null;
  log?: (message: string) => void;
}

export function invokeChannelName(channel: RequestChannel): string {
  return IPC_INVOKE_PREFIX + channel;
}

/**
 * Why an invoke must be refused, or null when it comes from the main frame of the main
 * window showing the app page. Frames are compared by (processId, routingId) as well as by
 * identity, since Electron may hand out a new WebFrameMain wrapper for the same frame.
 */
export function senderRefusal(
  event: InvokeEventLike,
  window: WindowLike | null,
  appUrl: string | null,
): string | null {
  if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return 'no main window';
  if (event.sender !== window.webContents) return 'sender is not the main window';
  const frame = event.senderFrame;
  if (!frame) return 'sender frame is gone';
  const main = window.webContents.mainFrame;
  const sameFrame =
    frame === main || (frame.processId === main.processId && frame.routingId === main.routingId);
  if (!sameFrame) return 'sender is not the main frame';
  if (appUrl === null || !isAppUrl(frame.url, appUrl))
    return `sender URL not allowed: ${frame.url}`;
  return null;
}

/**
 * Registers `IPC_INVOKE_PREFIX + channel` for every contract channel. Each handler refuses
 * foreign senders and invalid payloads with a rejected promise carrying a clear message (the
 * main process never throws out of a handler), then forwards to `host.handle`.
 * Returns a function that removes the handlers.
 */
export function registerContractHandlers(options: IpcTransportOptions): () => void {
  const { ipcMain, host, getMainWindow, getAppUrl } = options;
  const log = options.log ?? (() => undefined);
  const names: string[] = [];
  for (const channel of REQUEST_CHANNELS) {
    const name = invokeChannelName(channel);
    ipcMain.handle(name, async (event, ...args) => {
      const refusal = senderRefusal(event, getMainWindow(), getAppUrl());
      if (refusal !== null) {
        log(`ipc: refused ${name}: ${refusal}`);
        throw new Error(`PairDesk refused "${channel}": ${refusal}`);
      }
      if (args.length !== 1) {
        throw new Error(`Invalid request for "${channel}": expected exactly one payload argument`);
      }
      const request = parseRequest(channel, args[0]);
      return host.handle(channel, request);
    });
    names.push(name);
  }
  return () => {
    for (const name of names) ipcMain.removeHandler(name);
  };
}

/**
 * Pushes every host event to the main window as `IPC_EVENT_CHANNEL` envelopes while a live
 * window exists (events with no window are dropped: a new window starts from a snapshot).
 * Returns the unsubscribe function.
 */
export function forwardContractEvents(
  host: ContractHost,
  getMainWindow: () => WindowLike | null,
): () => void {
  return host.subscribe((envelope: EventEnvelope) => {
    const window = getMainWindow();
    if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return;
    window.webContents.send(IPC_EVENT_CHANNEL, envelope);
  });
}
