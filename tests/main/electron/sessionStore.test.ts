// The renderer's session store (src/renderer/state) driven by a fake PairDeskApi; it lives here
// with the other transport tests because it is the consumer of the preload API.
import { DEFAULT_SETTINGS } from '../../../src/core/contract/contract';
import { describe, expect, it } from 'vitest';
import type {
  EventMap,
  EventName,
  PairDeskApi,
  SessionSnapshot,
} from '../../../src/core/contract/contract';
import { connectSession, createSessionStore } from '../../../src/renderer/state/sessionStore';
import { NoTransportError, getApi } from '../../../src/renderer/transport';

const SNAPSHOT: SessionSnapshot = {
  source: {
    kind: 'demo',
    simulated: true,
    label: 'Simulated market',
    datasetId: 1,
    state: 'running',
    error: null,
    speed: null,
  },
  settings: { ...DEFAULT_SETTINGS },
  symbols: ['BTCUSDT', 'ETHUSDT'],
  connection: { state: 'connecting', reason: 'opening socket', sinceMs: 1_000 },
  prices: [
    { symbol: 'BTCUSDT', price: 100, timeMs: 5_000 },
    { symbol: 'ETHUSDT', price: 10, timeMs: 5_000 },
  ],
  stats: {
    messagesPerSec: 0,
    lastMessageAgeMs: null,
    ticksStored: 0,
    rejects: {},
    rejectsTotal: 0,
    dbSizeBytes: 0,
  },
};

function fakeApi(snapshot: Promise<SessionSnapshot>) {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const api = {
    invoke: () => snapshot,
    on: (event: EventName, listener: (payload: never) => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)!.delete(listener);
    },
  } as unknown as PairDeskApi;
  const emit = <E extends EventName>(event: E, payload: EventMap[E]) =>
    listeners.get(event)?.forEach((l) => l(payload as never));
  const count = () => [...listeners.values()].reduce((n, s) => n + s.size, 0);
  return { api, emit, count };
}

describe('session store', () => {
  it('loads the snapshot and applies live events; newer prices win over the snapshot', async () => {
    let resolve!: (s: SessionSnapshot) => void;
    const { api, emit, count } = fakeApi(new Promise((r) => (resolve = r)));
    const store = createSessionStore();
    const disconnect = connectSession(store, api);
    expect(store.getState().load).toBe('loading');

    // An event that arrives before the snapshot is kept when it is newer.
    emit('prices', [{ symbol: 'BTCUSDT', price: 101, timeMs: 6_000 }]);
    emit('connection', { state: 'live', reason: 'streaming', sinceMs: 2_000 });
    resolve(SNAPSHOT);
    await new Promise((r) => setTimeout(r, 0));

    const state = store.getState();
    expect(state.load).toBe('ready');
    expect(state.source?.simulated).toBe(true);
    expect(state.connection?.state).toBe('live');
    expect(state.prices['BTCUSDT']?.price).toBe(101);
    expect(state.prices['ETHUSDT']?.price).toBe(10);

    emit('prices', [{ symbol: 'ETHUSDT', price: 11, timeMs: 7_000 }]);
    emit('prices', [{ symbol: 'ETHUSDT', price: 9, timeMs: 6_500 }]); // out of order: ignored
    expect(store.getState().prices['ETHUSDT']?.price).toBe(11);

    emit('connection', {
      state: 'backing_off',
      reason: 'watchdog: no data for 10 s',
      sinceMs: 8_000,
    });
    expect(store.getState().connection?.reason).toBe('watchdog: no data for 10 s');

    disconnect();
    expect(count()).toBe(0);
  });

  it('shows a failed snapshot as an error', async () => {
    const { api } = fakeApi(Promise.reject(new Error('boom')));
    const store = createSessionStore();
    connectSession(store, api);
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState()).toMatchObject({ load: 'error', error: 'boom' });
  });
});

describe('transport selection', () => {
  it('returns window.pairdesk when present and throws a clear error otherwise', () => {
    const api = fakeApi(Promise.resolve(SNAPSHOT)).api;
    expect(getApi({ pairdesk: api })).toBe(api);
    expect(() => getApi({})).toThrow(NoTransportError);
    expect(() => getApi({})).toThrow(/No PairDesk transport/);
  });
});
