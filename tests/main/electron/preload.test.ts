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

describe('pathsForFiles (files dropped on the window)', () => {
  it('asks webUtils.getPathForFile for each File and keeps the non-empty paths', () => {
    const asked: unknown[] = [];
    const paths = new Map<string, string>([
      ['BTCUSDT-aggTrades-2024-07-18.zip', '/home/u/BTCUSDT-aggTrades-2024-07-18.zip'],
      ['ETHUSDT-aggTrades-2024-07-18.zip', '/home/u/ETHUSDT-aggTrades-2024-07-18.zip'],
    ]);
    const api = createPairDeskApi(fakeIpcRenderer().ipc, (file) => {
      asked.push(file);
      if (file.name === 'boom.csv') throw new Error('not a file');
      return paths.get(file.name) ?? ''; // '' = a File made in the page, not on disk
    });
    const btc = new File(['a'], 'BTCUSDT-aggTrades-2024-07-18.zip');
    const eth = new File(['b'], 'ETHUSDT-aggTrades-2024-07-18.zip');
    const madeInPage = new File(['c'], 'generated.csv');
    const throws = new File(['d'], 'boom.csv');
    expect(
      api.pathsForFiles?.([btc, 'not a file', madeInPage, null, eth, throws, { name: 1 }]),
    ).toEqual([
      '/home/u/BTCUSDT-aggTrades-2024-07-18.zip',
      '/home/u/ETHUSDT-aggTrades-2024-07-18.zip',
    ]);
    // Only File-like objects reach webUtils.
    expect(asked).toEqual([btc, madeInPage, eth, throws]);
    expect(api.pathsForFiles?.('nope' as unknown as unknown[])).toEqual([]);
  });

  it('is absent without webUtils (the renderer then uploads)', () => {
    const api = createPairDeskApi(fakeIpcRenderer().ipc);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
  });
});

describe('preload entry', () => {
  it('exposes exactly window.pairdesk with invoke, on and pathsForFiles over webUtils', async () => {
    const exposed = new Map<string, unknown>();
    const { ipc } = fakeIpcRenderer();
    const asked: unknown[] = [];
    vi.doMock('electron', () => ({
      contextBridge: {
        exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value),
      },
      ipcRenderer: ipc,
      webUtils: {
        getPathForFile: (file: File) => {
          asked.push(file);
          return `/dropped/${file.name}`;
        },
      },
    }));
    await import('../../../src/preload/index');
    expect([...exposed.keys()]).toEqual(['pairdesk']);
    const api = exposed.get('pairdesk') as PairDeskApi;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'pathsForFiles']);
    const file = new File(['x'], 'a.csv');
    expect(api.pathsForFiles?.([file])).toEqual(['/dropped/a.csv']);
    expect(asked).toEqual([file]);
    vi.doUnmock('electron');
  });
});
