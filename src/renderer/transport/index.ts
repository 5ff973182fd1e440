/**
 * Picks the transport the renderer talks through. Inside Electron the preload has exposed
 * `window.pairdesk`; the browser-mode WebSocket bridge is the next step.
 */
import type { PairDeskApi } from '../../core/contract/contract';

export class NoTransportError extends Error {
  override readonly name = 'NoTransportError';
  constructor() {
    super(
      'No PairDesk transport: window.pairdesk is missing (not running inside the PairDesk ' +
        'Electron app) and the browser WebSocket bridge is not available yet.',
    );
  }
}

export function getApi(scope: { pairdesk?: PairDeskApi } = window): PairDeskApi {
  const api = scope.pairdesk;
  if (api) return api;
  throw new NoTransportError();
}
