/**
 * Issue #13 finding 7: the token stayed in the address bar for the whole session. The browser
 * transport now takes it from the URL once, drops it from the address bar with
 * history.replaceState (other parameters and the hash kept), keeps it in memory for reconnects
 * and in the tab's sessionStorage for a reload.
 */
import { describe, expect, it } from 'vitest';
import { getApi } from '../../../src/renderer/transport';
import type { WebSocketLike } from '../../../src/renderer/transport/wsBridgeClient';
import { WsBridgeClient } from '../../../src/renderer/transport/wsBridgeClient';

interface FakeSocket extends WebSocketLike {
  fire(type: 'open' | 'close'): void;
}

function harness(search: string, stored: Record<string, string> = {}) {
  const urls: string[] = [];
  const sockets: FakeSocket[] = [];
  const replaced: string[] = [];
  const store = { ...stored };
  const location = { protocol: 'http:', host: '127.0.0.1:5178', pathname: '/', search, hash: '#x' };
  const api = getApi({
    location,
    tokenStore: {
      getItem: (k) => store[k] ?? null,
      setItem: (k, v) => {
        store[k] = v;
      },
    },
    history: {
      state: null,
      replaceState: (_s, _t, url) => {
        replaced.push(String(url));
      },
    },
    createSocket: (url) => {
      urls.push(url);
      type Listener = (e: { code: number; reason: string }) => void;
      const listeners = new Map<string, Listener[]>();
      const socket = {
        readyState: 0,
        send: () => {},
        close: () => {},
        addEventListener: (type: string, l: Listener) => {
          listeners.set(type, [...(listeners.get(type) ?? []), l]);
        },
        fire: (type: 'open' | 'close') => {
          for (const l of listeners.get(type) ?? []) l({ code: 1006, reason: '' });
        },
      } as unknown as FakeSocket;
      sockets.push(socket);
      return socket;
    },
  });
  return { api: api as WsBridgeClient, urls, sockets, replaced, store };
}

describe('browser transport token', () => {
  it('drops the token from the address bar, keeps other parameters, reconnects with it', async () => {
    const h = harness('?token=abc123&view=analytics');
    expect(h.urls).toEqual(['ws://127.0.0.1:5178/bridge?token=abc123']);
    expect(h.replaced).toEqual(['/?view=analytics#x']);
    expect(Object.values(h.store)).toEqual(['abc123']);
    // A dropped connection reconnects with the token held in memory.
    h.sockets[0].fire('close');
    await new Promise((r) => setTimeout(r, 800));
    expect(h.urls[1]).toBe('ws://127.0.0.1:5178/bridge?token=abc123');
    h.api.close();
  });

  it('after a reload (no token in the URL) uses the token kept for the tab', () => {
    const first = harness('?token=abc123');
    first.api.close();
    const reload = harness('', first.store);
    expect(reload.urls).toEqual(['ws://127.0.0.1:5178/bridge?token=abc123']);
    expect(reload.replaced).toEqual([]);
    reload.api.close();
  });

  it('a new token in the URL wins over a kept one', () => {
    const h = harness('?token=new', { 'pairdesk.bridgeToken': 'old' });
    expect(h.urls).toEqual(['ws://127.0.0.1:5178/bridge?token=new']);
    expect(h.store['pairdesk.bridgeToken']).toBe('new');
    h.api.close();
  });
});
