/**
 * Picks the transport the renderer talks through, once, at start: the preload's
 * `window.pairdesk` inside Electron, otherwise the browser-mode WebSocket bridge on the page's
 * own host, authenticated by the `?token=` of the page URL. Nothing else in the renderer knows
 * which one it got.
 */
import { BRIDGE_PATH, TOKEN_PARAM } from '../../core/contract/bridgeProtocol';
import type { PairDeskApi } from '../../core/contract/contract';
import type { RendererApi } from './types';
import { WsBridgeClient } from './wsBridgeClient';
import type { WebSocketFactory } from './wsBridgeClient';

export type { RendererApi, TransportStatus, TransportEvents } from './types';

export class NoTransportError extends Error {
  override readonly name = 'NoTransportError';
}

export interface TransportScope {
  pairdesk?: PairDeskApi;
  location?: { protocol: string; host: string; search: string };
  createSocket?: WebSocketFactory;
}

/** The bridge URL for a page location, or a NoTransportError saying what is missing. */
export function bridgeUrl(location: NonNullable<TransportScope['location']>): string {
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM);
  if (!token) {
    throw new NoTransportError(
      'No PairDesk transport: this page is not inside the PairDesk app and its URL has no ' +
        `?${TOKEN_PARAM}=… — open the full link printed when browser mode starts.`,
    );
  }
  if (location.protocol !== 'http:' && location.protocol !== 'https:') {
    throw new NoTransportError(
      `No PairDesk transport: window.pairdesk is missing and a ${location.protocol} page cannot ` +
        'reach the browser bridge.',
    );
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${BRIDGE_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

export function getApi(scope: TransportScope = window): RendererApi {
  if (scope.pairdesk) return scope.pairdesk;
  if (!scope.location) {
    throw new NoTransportError(
      'No PairDesk transport: window.pairdesk is missing and there is no page location for ' +
        'the browser bridge.',
    );
  }
  return new WsBridgeClient({
    url: bridgeUrl(scope.location),
    ...(scope.createSocket ? { createSocket: scope.createSocket } : {}),
  });
}

let appApi: RendererApi | null = null;

/** The app's one transport (created on first use; React StrictMode must not open two). */
export function getAppApi(): RendererApi {
  appApi ??= getApi(window);
  return appApi;
}
