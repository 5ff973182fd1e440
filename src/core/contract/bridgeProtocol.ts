/**
 * Wire format of the browser-mode WebSocket bridge, which carries the same contract as Electron
 * IPC. The page is served at `http://127.0.0.1:PORT/?token=T`; the bridge lives at
 * `ws://127.0.0.1:PORT/bridge?token=T`. Client frames are JSON text; a server frame is JSON text,
 * or a binary frame (bridgeCodec.ts) when it carries bulk arrays such as a bar history.
 */
import type { EventEnvelope, RequestChannel } from './contract';

export const BRIDGE_PATH = '/bridge';
export const TOKEN_PARAM = 'token';

/** Client → server: one request; `id` pairs it with its reply. */
export interface BridgeInvoke {
  type: 'invoke';
  id: number;
  channel: RequestChannel;
  request: unknown;
}

/** Server → client: the reply to one invoke. */
export type BridgeReply =
  | { type: 'reply'; id: number; ok: true; response: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

/** Server → client: one pushed contract event. */
export interface BridgeEvent {
  type: 'event';
  envelope: EventEnvelope;
}

export type BridgeServerFrame = BridgeReply | BridgeEvent;
