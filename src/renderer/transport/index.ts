/**
 * Picks the transport the renderer talks through, once, at start: the preload's
 * `window.pairdesk` inside Electron, otherwise the browser-mode WebSocket bridge on the page's
 * own host, authenticated by the `?token=` of the page URL. Nothing else in the renderer knows
 * which one it got.
 *
 * The token then leaves the address bar (history.replaceState), so it does not linger in the
 * visible URL, screenshots or shared links. The bridge client keeps it in memory for its
 * reconnects, and the tab's sessionStorage keeps it for a reload of the page (the page itself
 * reloads on the HttpOnly cookie).
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
  location?: { protocol: string; host: string; search: string; pathname?: string; hash?: string };
  createSocket?: WebSocketFactory;
  /** Where the token is kept for a reload once it left the URL (the tab's sessionStorage). */
  tokenStore?: Pick<Storage, 'getItem' | 'setItem'>;
  /** Used to drop the token from the address bar once the bridge client holds it. */
  history?: Pick<History, 'replaceState' | 'state'>;
}

const TOKEN_STORE_KEY = 'pairdesk.bridgeToken';

/** The bridge URL for a page location, or a NoTransportError saying what is missing. */
export function bridgeUrl(
  location: NonNullable<TransportScope['location']>,
  storedToken: string | null = null,
): string {
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM) ?? storedToken;
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
  const location = scope.location;
  const client = new WsBridgeClient({
    url: bridgeUrl(location, readToken(scope.tokenStore)),
    ...(scope.createSocket ? { createSocket: scope.createSocket } : {}),
  });
  dropTokenFromUrl(location, scope);
  return client;
}

function readToken(store: TransportScope['tokenStore']): string | null {
  try {
    return store?.getItem(TOKEN_STORE_KEY) ?? null;
  } catch {
    return null; // storage disabled: a reload then needs the printed link again
  }
}

/** Keeps the token for a reload and removes it (only it) from the address bar. */
function dropTokenFromUrl(
  location: NonNullable<TransportScope['location']>,
  scope: TransportScope,
): void {
  const params = new URLSearchParams(location.search);
  const token = params.get(TOKEN_PARAM);
  if (token === null || !scope.history) return;
  try {
    scope.tokenStore?.setItem(TOKEN_STORE_KEY, token);
  } catch {
    // storage disabled or full: reconnects still use the token held by the client
  }
  params.delete(TOKEN_PARAM);
  const search = params.toString();
  const url = `${location.pathname ?? '/'}${search ? `?${search}` : ''}${location.hash ?? ''}`;
  scope.history.replaceState(scope.history.state, '', url);
}

let appApi: RendererApi | null = null;

function sessionStorageOrNull(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // access can throw when storage is blocked
  }
}

/** The app's one transport (created on first use; React StrictMode must not open two). */
export function getAppApi(): RendererApi {
  appApi ??= getApi({
    pairdesk: window.pairdesk,
    location: window.location,
    tokenStore: sessionStorageOrNull(),
    history: window.history,
  });
  return appApi;
}
