import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_PREFIX } from '../../../src/core/contract/contract';
import type { ConnectionStatus, PairDeskApi } from '../../../src/core/contract/contract';
import { createPairDeskApi } from '../../../src/preload/api';
import type { IpcRendererLike } from '../../../src/preload/api';

type Relay = (event: unknown, ...args: unknown[]) => void;

function fakeIpcRenderer() {
  const listeners = new Map<string, Set<Relay>>();
  const invoked: { channel: string; args: unknown[] }[] = [];
  const ipc: IpcRendererLike = {
    async invoke(channel, ...args) {
      invoked.push({ channel, args });
      return { ok: channel };
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };
  const push = (channel: string, ...args: unknown[]) =>
    listeners.get(channel)?.forEach((l) => l({ sender: 'ipc-internals' }, ...args));
  const count = (channel: string) => listeners.get(channel)?.size ?? 0;
  return { ipc, invoked, push, count };
}

const LIVE: ConnectionStatus = { state: 'live', reason: 'streaming', sinceMs: 1 };

describe('preload API', () => {
  it('invokes the prefixed channel with the request', async () => {
    const { ipc, invoked } = fakeIpcRenderer();
    const api = createPairDeskApi(ipc);
    await expect(api.invoke('session.snapshot', null)).resolves.toEqual({
      ok: `${IPC_INVOKE_PREFIX}session.snapshot`,
    });
    await api.invoke('bars.history', { symbol: 'BTCUSDT', timeframe: '1m', limit: 5 });
    expect(invoked).toEqual([
      { channel: `${IPC_INVOKE_PREFIX}session.snapshot`, args: [null] },
      {
        channel: `${IPC_INVOKE_PREFIX}bars.history`,
        args: [{ symbol: 'BTCUSDT', timeframe: '1m', limit: 5 }],
      },
    ]);
  });

  it('refuses unknown channels without touching IPC', async () => {
    const { ipc, invoked } = fakeIpcRenderer();
    const api = createPairDeskApi(ipc) as unknown as {
      invoke(channel: string, request: unknown): Promise<unknown>;
    };
    await expect(api.invoke('fs.readFile', '/etc/passwd')).rejects.toThrow(
      /Unknown PairDesk request channel/,
    );
    expect(invoked).toEqual([]);
  });

  it('delivers only the matching event payloads, never the IPC event, until unsubscribed', () => {
    const { ipc, push, count } = fakeIpcRenderer();
    const api = createPairDeskApi(ipc);
    const received: unknown[][] = [];
    const off = api.on('connection', (...args: unknown[]) => received.push(args));

    push(IPC_EVENT_CHANNEL, { event: 'connection', payload: LIVE });
    push(IPC_EVENT_CHANNEL, { event: 'prices', payload: [] });
    push(IPC_EVENT_CHANNEL, 'garbage');
    push(IPC_EVENT_CHANNEL, { event: 'nope', payload: 1 });
    push('other-channel', { event: 'connection', payload: LIVE });
    expect(received).toEqual([[LIVE]]);

    expect(count(IPC_EVENT_CHANNEL)).toBe(1);
    off();
    off(); // idempotent
    expect(count(IPC_EVENT_CHANNEL)).toBe(0);
    push(IPC_EVENT_CHANNEL, { event: 'connection', payload: LIVE });
    expect(received).toHaveLength(1);
  });

  it('rejects unknown event names', () => {
    const api = createPairDeskApi(fakeIpcRenderer().ipc) as unknown as {
      on(event: string, listener: () => void): () => void;
    };
    expect(() => api.on('anything', () => undefined)).toThrow(/Unknown PairDesk event/);
  });
});

describe('preload entry', () => {
  it('exposes exactly window.pairdesk with invoke and on', async () => {
    const exposed = new Map<string, unknown>();
    const { ipc } = fakeIpcRenderer();
    vi.doMock('electron', () => ({
      contextBridge: {
        exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value),
      },
      ipcRenderer: ipc,
    }));
    await import('../../../src/preload/index');
    expect([...exposed.keys()]).toEqual(['pairdesk']);
    const api = exposed.get('pairdesk') as PairDeskApi;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    vi.doUnmock('electron');
  });
});
