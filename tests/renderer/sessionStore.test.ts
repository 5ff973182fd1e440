// The renderer's session store (src/renderer/state) driven by a fake PairDeskApi.
import { describe, expect, it } from 'vitest';
import type { SessionSnapshot, Settings } from '../../src/core/contract/contract';
import { createBarsStore } from '../../src/renderer/state/barsStore';
import { FrameCoalescer } from '../../src/renderer/state/frameCoalescer';
import {
  connectSession,
  createSessionStore,
  updateSettings,
} from '../../src/renderer/state/sessionStore';
import { NoTransportError, bridgeUrl, getApi } from '../../src/renderer/transport';
import { WsBridgeClient } from '../../src/renderer/transport/wsBridgeClient';
import { SNAPSHOT, bar, fakeApi, tick } from './helpers';

function manualScheduler() {
  const queue: (() => void)[] = [];
  return {
    schedule: (run: () => void) => {
      queue.push(run);
      return () => {
        const i = queue.indexOf(run);
        if (i >= 0) queue.splice(i, 1);
      };
    },
    frame: () => queue.splice(0).forEach((run) => run()),
    get waiting() {
      return queue.length;
    },
  };
}

describe('session store', () => {
  it('loads the snapshot and applies live events; newer prices win over the snapshot', async () => {
    let resolve!: (s: SessionSnapshot) => void;
    const snapshot = new Promise<SessionSnapshot>((r) => (resolve = r));
    const { api, emit, count } = fakeApi({ 'session.snapshot': () => snapshot });
    const store = createSessionStore();
    const disconnect = connectSession(store, api);
    expect(store.getState().load).toBe('loading');

    // An event that arrives before the snapshot is kept when it is newer.
    emit('prices', [{ symbol: 'BTCUSDT', price: 101, timeMs: 6_000 }]);
    emit('connection', { state: 'live', reason: 'streaming', sinceMs: 2_000 });
    resolve(SNAPSHOT);
    await tick();

    const state = store.getState();
    expect(state.load).toBe('ready');
    expect(state.source?.simulated).toBe(true);
    expect(state.settings?.pairA).toBe('BTCUSDT');
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

    emit('stats', { ...SNAPSHOT.stats, messagesPerSec: 1234, ticksStored: 99 });
    expect(store.getState().stats?.messagesPerSec).toBe(1234);

    emit('source', { ...SNAPSHOT.source, kind: 'live', simulated: false, label: 'Binance' });
    expect(store.getState().source).toMatchObject({ kind: 'live', simulated: false });

    const settings: Settings = { ...SNAPSHOT.settings, theme: 'light', symbols: ['BTCUSDT'] };
    emit('settings', settings);
    expect(store.getState().settings?.theme).toBe('light');
    expect(store.getState().symbols).toEqual(['BTCUSDT']);

    disconnect();
    expect(count()).toBe(0);
  });

  it('shows a failed snapshot as an error', async () => {
    const { api } = fakeApi({
      'session.snapshot': () => {
        throw new Error('boom');
      },
    });
    const store = createSessionStore();
    connectSession(store, api);
    await tick();
    expect(store.getState()).toMatchObject({ load: 'error', error: 'boom' });
  });

  it('coalesces a burst of events into one store update per frame', async () => {
    const { api, emit } = fakeApi({ 'session.snapshot': () => SNAPSHOT });
    const store = createSessionStore();
    const bars = createBarsStore();
    const frames = manualScheduler();
    connectSession(store, api, { bars, scheduler: frames.schedule });
    await tick();
    bars.getState().beginLoad('BTCUSDT', '1m', 100);
    bars.getState().receiveHistory('BTCUSDT@1m', 1, [bar('BTCUSDT', 0, 1)]);

    let sessionUpdates = 0;
    let barUpdates = 0;
    store.subscribe(() => sessionUpdates++);
    bars.subscribe(() => barUpdates++);
    for (let i = 1; i <= 20_000; i++) {
      emit('prices', [{ symbol: 'BTCUSDT', price: 100 + i, timeMs: 10_000 + i }]);
      emit('bars', { closed: [], inProgress: [bar('BTCUSDT', 60_000, 100 + i)] });
    }
    emit('stats', { ...SNAPSHOT.stats, messagesPerSec: 20_000 });
    expect(sessionUpdates).toBe(0);
    expect(barUpdates).toBe(0);
    expect(frames.waiting).toBe(1);

    frames.frame();
    expect(sessionUpdates).toBe(2); // prices and stats, each applied once
    expect(barUpdates).toBe(1);
    expect(store.getState().prices['BTCUSDT']?.price).toBe(20_100);
    expect(store.getState().stats?.messagesPerSec).toBe(20_000);
    const series = bars.getState().series['BTCUSDT@1m'];
    expect(series.bars).toHaveLength(2);
    expect(series.bars[1].close).toBe(20_100);
  });

  it('re-fetches the snapshot and reloads after the transport re-opens', async () => {
    let reopen: () => void = () => {};
    let snapshots = 0;
    const { api } = fakeApi({
      'session.snapshot': () => {
        snapshots++;
        return { ...SNAPSHOT, symbols: snapshots === 1 ? ['BTCUSDT'] : ['BTCUSDT', 'XRPUSDT'] };
      },
    });
    let reloaded = 0;
    const store = createSessionStore();
    connectSession(
      store,
      {
        ...api,
        onReopen: (listener) => {
          reopen = listener;
          return () => {};
        },
      },
      { onReopen: () => reloaded++ },
    );
    await tick();
    expect(store.getState().symbols).toEqual(['BTCUSDT']);
    reopen();
    await tick();
    expect(snapshots).toBe(2);
    expect(reloaded).toBe(1);
    expect(store.getState().symbols).toEqual(['BTCUSDT', 'XRPUSDT']);
  });
});

describe('settings updates', () => {
  it('applies at once, then takes the stored settings from the reply', async () => {
    const { api, calls } = fakeApi({
      'session.snapshot': () => SNAPSHOT,
      'settings.update': (patch) => ({ ...SNAPSHOT.settings, ...(patch as object), lookback: 777 }),
    });
    const store = createSessionStore();
    connectSession(store, api);
    await tick();
    const saving = updateSettings(store, api, { timeframe: '5m' });
    expect(store.getState().settings?.timeframe).toBe('5m'); // optimistic
    expect(await saving).toBe(true);
    expect(store.getState().settings).toMatchObject({ timeframe: '5m', lookback: 777 });
    expect(calls.at(-1)).toEqual({ channel: 'settings.update', request: { timeframe: '5m' } });
    expect(store.getState().settingsError).toBeNull();
  });

  it('reverts the changed keys and says why when the update is refused', async () => {
    const { api } = fakeApi({
      'session.snapshot': () => SNAPSHOT,
      'settings.update': () => {
        throw new Error('lookback: Too big');
      },
    });
    const store = createSessionStore();
    connectSession(store, api);
    await tick();
    const saving = updateSettings(store, api, { lookback: 5000, theme: 'light' });
    expect(store.getState().settings).toMatchObject({ lookback: 5000, theme: 'light' });
    expect(await saving).toBe(false);
    expect(store.getState().settings).toMatchObject({
      lookback: SNAPSHOT.settings.lookback,
      theme: SNAPSHOT.settings.theme,
    });
    expect(store.getState().settingsError).toMatch(
      /Could not save lookback, theme: lookback: Too big/,
    );
  });

  it('does not revert a key that a later change has set again', async () => {
    let rejectFirst!: (e: Error) => void;
    let call = 0;
    const { api } = fakeApi({
      'session.snapshot': () => SNAPSHOT,
      'settings.update': (patch) => {
        call++;
        if (call === 1) return new Promise((_, reject) => (rejectFirst = reject));
        return { ...SNAPSHOT.settings, ...(patch as object) };
      },
    });
    const store = createSessionStore();
    connectSession(store, api);
    await tick();
    const first = updateSettings(store, api, { timeframe: '1s' });
    const second = updateSettings(store, api, { timeframe: '5m' });
    await second;
    rejectFirst(new Error('nope'));
    await first;
    expect(store.getState().settings?.timeframe).toBe('5m');
  });
});

describe('transport selection', () => {
  it('returns window.pairdesk when present', () => {
    const { api } = fakeApi();
    expect(getApi({ pairdesk: api })).toBe(api);
  });

  it('throws a clear error without a preload and without a token', () => {
    expect(() => getApi({})).toThrow(NoTransportError);
    expect(() => getApi({})).toThrow(/No PairDesk transport/);
    const location = { protocol: 'http:', host: '127.0.0.1:5199', search: '' };
    expect(() => getApi({ location })).toThrow(/URL has no \?token=/);
  });

  it('builds the bridge URL from the page location and opens the bridge client', () => {
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:5199', search: '?token=a b' })).toBe(
      'ws://127.0.0.1:5199/bridge?token=a%20b',
    );
    expect(bridgeUrl({ protocol: 'https:', host: 'h:1', search: '?token=t' })).toBe(
      'wss://h:1/bridge?token=t',
    );
    const sockets: string[] = [];
    const api = getApi({
      location: { protocol: 'http:', host: '127.0.0.1:1', search: '?token=t' },
      createSocket: (url) => {
        sockets.push(url);
        return {
          readyState: 0,
          send: () => {},
          close: () => {},
          addEventListener: () => {},
        };
      },
    });
    expect(api).toBeInstanceOf(WsBridgeClient);
    expect(sockets).toEqual(['ws://127.0.0.1:1/bridge?token=t']);
    (api as WsBridgeClient).close();
  });
});

describe('frame coalescer', () => {
  it('flushes N events of one frame once, in order, per panel', () => {
    const frames = manualScheduler();
    const applied: [string, number[]][] = [];
    const c = new FrameCoalescer<'a' | 'b', number>(frames.schedule, (panel, events) =>
      applied.push([panel, events]),
    );
    for (let i = 0; i < 5; i++) {
      c.push('a', i);
      c.push('b', 10 + i);
    }
    expect(c.pending).toBe(10);
    expect(frames.waiting).toBe(1);
    frames.frame();
    expect(applied).toEqual([
      ['a', [0, 1, 2, 3, 4]],
      ['b', [10, 11, 12, 13, 14]],
    ]);
    expect(c.flushes).toBe(1);
    c.push('b', 99);
    frames.frame();
    expect(applied.at(-1)).toEqual(['b', [99]]);
    expect(c.flushes).toBe(2);
  });

  it('schedules nothing when idle, supports flushNow and dispose', () => {
    const frames = manualScheduler();
    const applied: number[][] = [];
    const c = new FrameCoalescer<'p', number>(frames.schedule, (_p, e) => applied.push(e));
    frames.frame();
    expect(applied).toEqual([]);
    c.push('p', 1);
    c.flush();
    expect(applied).toEqual([[1]]);
    expect(frames.waiting).toBe(0); // the scheduled frame was cancelled
    c.push('p', 2);
    c.dispose();
    frames.frame();
    c.push('p', 3);
    expect(applied).toEqual([[1]]);
  });

  it('applies the listed panels first, whatever order their events came in', () => {
    const frames = manualScheduler();
    const applied: string[] = [];
    const c = new FrameCoalescer<'session' | 'bars' | 'other', number>(
      frames.schedule,
      (panel) => applied.push(panel),
      ['session', 'bars'],
    );
    c.push('other', 1);
    c.push('bars', 1);
    c.push('session', 1);
    frames.frame();
    expect(applied).toEqual(['session', 'bars', 'other']);
  });

  it('works with a synchronous scheduler', () => {
    const applied: number[][] = [];
    const c = new FrameCoalescer<'p', number>(
      (run) => {
        run();
        return () => {};
      },
      (_p, e) => applied.push(e),
    );
    c.push('p', 1);
    c.push('p', 2);
    expect(applied).toEqual([[1], [2]]);
  });
});
