// Bars per (symbol, timeframe): history load, live merge rules, and the chart's tail sync.
import { describe, expect, it } from 'vitest';
import { OVERLAY_WRITERS, CANDLE_WRITERS } from '../../src/renderer/charts/options';
import { SplitSync, TailSync } from '../../src/renderer/charts/tailSync';
import {
  lowerBound,
  mergeClosed,
  mergeInProgress,
  seriesKey,
  timeframeOfMs,
} from '../../src/renderer/state/barsMerge';
import { createBarsStore, syncSeries, TAIL_WINDOW } from '../../src/renderer/state/barsStore';
import { bar, fakeApi, tick } from './helpers';

const M = 60_000;
const starts = (bars: { startMs: number }[]) => bars.map((b) => b.startMs / M);

describe('merge rules', () => {
  it('closed bars append, replace by startMs, or insert in order', () => {
    const bars = [bar('X', 0, 1), bar('X', M, 2)];
    expect(mergeClosed(bars, bar('X', 3 * M, 4))).toBe(2); // append
    expect(mergeClosed(bars, bar('X', 3 * M, 5))).toBe(2); // replace last
    expect(mergeClosed(bars, bar('X', 0, 9))).toBe(0); // revise an old one
    expect(mergeClosed(bars, bar('X', 2 * M, 3))).toBe(2); // fill a gap
    expect(starts(bars)).toEqual([0, 1, 2, 3]);
    expect(bars.map((b) => b.close)).toEqual([9, 2, 3, 5]);
    expect(lowerBound(bars, 2.5 * M)).toBe(3);
  });

  it('the in-progress bar updates the last candle or opens a new one; stale ones are ignored', () => {
    const bars = [bar('X', 0, 1)];
    expect(mergeInProgress(bars, bar('X', M, 2))).toBe(1);
    expect(mergeInProgress(bars, bar('X', M, 3))).toBe(1);
    expect(mergeInProgress(bars, bar('X', 0, 7))).toBe(-1);
    expect(bars.map((b) => b.close)).toEqual([1, 3]);
    expect(mergeInProgress([], bar('X', 0, 1))).toBe(0);
  });

  it('maps bar widths to timeframes', () => {
    expect(timeframeOfMs(1_000)).toBe('1s');
    expect(timeframeOfMs(300_000)).toBe('5m');
    expect(timeframeOfMs(7_000)).toBeNull();
  });
});

describe('bars store', () => {
  function loaded(history = [bar('BTCUSDT', 0, 1), bar('BTCUSDT', M, 2)], limit = 100) {
    const store = createBarsStore();
    const id = store.getState().beginLoad('BTCUSDT', '1m', limit);
    store.getState().receiveHistory('BTCUSDT@1m', id, history);
    return store;
  }

  it('applies closed and in-progress bars of the matching series only', () => {
    const store = loaded();
    const before = store.getState().series['BTCUSDT@1m'];
    store.getState().applyEvents([
      {
        closed: [bar('BTCUSDT', M, 2.5), bar('ETHUSDT', M, 50), bar('BTCUSDT', M, 2.6, 1_000)],
        inProgress: [bar('BTCUSDT', 2 * M, 3)],
      },
    ]);
    const after = store.getState().series['BTCUSDT@1m'];
    expect(after).not.toBe(before);
    expect(after.rev).toBe(before.rev + 1);
    expect(after.epoch).toBe(before.epoch); // tail change only
    expect(after.bars.map((b) => b.close)).toEqual([1, 2.5, 3]);
    expect(store.getState().series['ETHUSDT@1m']).toBeUndefined();
  });

  it('in-progress updates change the last candle; a closed bar then replaces it', () => {
    const store = loaded();
    const s = () => store.getState().series['BTCUSDT@1m'];
    store.getState().applyEvents([{ closed: [], inProgress: [bar('BTCUSDT', 2 * M, 3)] }]);
    store.getState().applyEvents([{ closed: [], inProgress: [bar('BTCUSDT', 2 * M, 3.5)] }]);
    expect(s().bars).toHaveLength(3);
    expect(s().bars[2].close).toBe(3.5);
    store
      .getState()
      .applyEvents([
        { closed: [bar('BTCUSDT', 2 * M, 3.6)], inProgress: [bar('BTCUSDT', 3 * M, 4)] },
      ]);
    expect(s().bars.map((b) => b.close)).toEqual([1, 2, 3.6, 4]);
  });

  it('bumps the epoch for a revision deep in the series', () => {
    const history = Array.from({ length: 20 }, (_, i) => bar('BTCUSDT', i * M, i));
    const store = loaded(history);
    const epoch = store.getState().series['BTCUSDT@1m'].epoch;
    store.getState().applyEvents([{ closed: [bar('BTCUSDT', 2 * M, 99)], inProgress: [] }]);
    expect(store.getState().series['BTCUSDT@1m'].epoch).toBe(epoch + 1);
    expect(TAIL_WINDOW).toBeLessThan(18);
  });

  it('trims to the limit (with slack) and bumps the epoch', () => {
    const history = Array.from({ length: 100 }, (_, i) => bar('BTCUSDT', i * M, i));
    const store = loaded(history, 100);
    const added = Array.from({ length: 50 }, (_, i) => bar('BTCUSDT', (100 + i) * M, 100 + i));
    store.getState().applyEvents([{ closed: added, inProgress: [] }]);
    expect(store.getState().series['BTCUSDT@1m'].bars).toHaveLength(150); // within slack
    const epoch = store.getState().series['BTCUSDT@1m'].epoch;
    store.getState().applyEvents([{ closed: [bar('BTCUSDT', 150 * M, 150)], inProgress: [] }]);
    const s = store.getState().series['BTCUSDT@1m'];
    expect(s.bars).toHaveLength(100);
    expect(s.bars[0].startMs).toBe(51 * M);
    expect(s.epoch).toBe(epoch + 1);
  });

  it('buffers events while the history loads and replays them on top of it', () => {
    const store = createBarsStore();
    const id = store.getState().beginLoad('BTCUSDT', '1m', 100);
    store.getState().applyEvents([{ closed: [], inProgress: [bar('BTCUSDT', 2 * M, 3)] }]);
    store.getState().applyEvents([{ closed: [], inProgress: [bar('BTCUSDT', 2 * M, 3.3)] }]);
    expect(store.getState().series['BTCUSDT@1m'].bars).toHaveLength(0);
    store.getState().receiveHistory('BTCUSDT@1m', id, [bar('BTCUSDT', 0, 1), bar('BTCUSDT', M, 2)]);
    const s = store.getState().series['BTCUSDT@1m'];
    expect(s.status).toBe('ready');
    expect(s.bars.map((b) => b.close)).toEqual([1, 2, 3.3]);
  });

  it('ignores a superseded history reply', () => {
    const store = createBarsStore();
    const first = store.getState().beginLoad('BTCUSDT', '1m', 100);
    const second = store.getState().beginLoad('BTCUSDT', '1m', 200);
    store.getState().receiveHistory('BTCUSDT@1m', first, [bar('BTCUSDT', 0, 1)]);
    expect(store.getState().series['BTCUSDT@1m'].bars).toHaveLength(0);
    store.getState().receiveHistory('BTCUSDT@1m', second, [bar('BTCUSDT', 0, 7)]);
    expect(store.getState().series['BTCUSDT@1m'].bars[0].close).toBe(7);
  });

  it('syncSeries loads what is wanted with bars.history and drops the rest', async () => {
    const { api, calls } = fakeApi({
      'bars.history': (r) => {
        const req = r as { symbol: string; limit: number };
        return [bar(req.symbol, 0, 1), bar(req.symbol, M, 2)];
      },
    });
    const store = createBarsStore();
    await syncSeries(store, api, [
      { symbol: 'BTCUSDT', timeframe: '1m', limit: 500 },
      { symbol: 'ETHUSDT', timeframe: '1m', limit: 500 },
    ]);
    expect(calls.map((c) => c.request)).toEqual([
      { symbol: 'BTCUSDT', timeframe: '1m', limit: 500 },
      { symbol: 'ETHUSDT', timeframe: '1m', limit: 500 },
    ]);
    expect(store.getState().series[seriesKey('ETHUSDT', '1m')].bars).toHaveLength(2);
    // Unchanged requests do not reload; a changed limit does; unwanted series go.
    await syncSeries(store, api, [{ symbol: 'BTCUSDT', timeframe: '1m', limit: 500 }]);
    expect(calls).toHaveLength(2);
    expect(Object.keys(store.getState().series)).toEqual(['BTCUSDT@1m']);
    await syncSeries(store, api, [{ symbol: 'BTCUSDT', timeframe: '1m', limit: 900 }]);
    expect(calls).toHaveLength(3);
  });

  it('records a failed history load', async () => {
    const { api } = fakeApi({
      'bars.history': () => {
        throw new Error('database is locked');
      },
    });
    const store = createBarsStore();
    await syncSeries(store, api, [{ symbol: 'BTCUSDT', timeframe: '5m', limit: 50 }]);
    await tick();
    expect(store.getState().series['BTCUSDT@5m']).toMatchObject({
      status: 'error',
      error: 'database is locked',
    });
  });
});

describe('chart tail sync', () => {
  it('rebuilds on a new history, then rewrites only the tail and appends', () => {
    const history = Array.from({ length: 1000 }, (_, i) => bar('BTCUSDT', i * M, 100 + i));
    const store = createBarsStore();
    const id = store.getState().beginLoad('BTCUSDT', '1m', 5000);
    const sync = new TailSync(CANDLE_WRITERS);
    expect(sync.sync(store.getState().series['BTCUSDT@1m'])).toBe('reset');
    store.getState().receiveHistory('BTCUSDT@1m', id, history);
    expect(sync.sync(store.getState().series['BTCUSDT@1m'])).toBe('rebuild');
    expect(sync.lastWritten).toBe(1000);
    const candles = sync.columns[0];

    store.getState().applyEvents([{ closed: [], inProgress: [bar('BTCUSDT', 1000 * M, 5)] }]);
    expect(sync.sync(store.getState().series['BTCUSDT@1m'])).toBe('tail');
    expect(sync.lastWritten).toBe(TAIL_WINDOW + 1);
    expect(sync.columns[0]).toBe(candles); // same array, extended in place
    expect(sync.length).toBe(1001);
    expect(sync.columns[0][1000]).toEqual([1000 * M, 5, 5, 5, 5]);

    const updated = { ...bar('BTCUSDT', 1000 * M, 6), open: 5, high: 7 };
    store.getState().applyEvents([{ closed: [], inProgress: [updated] }]);
    expect(sync.sync(store.getState().series['BTCUSDT@1m'])).toBe('tail');
    expect(sync.columns[0][1000]).toEqual([1000 * M, 5, 6, 6, 7]);
    expect(sync.columns[1][1000]).toEqual([1000 * M, 0, 1, 0, 1]); // rising: up volume
    const down = { ...bar('BTCUSDT', 1000 * M, 4), open: 5 };
    store.getState().applyEvents([{ closed: [], inProgress: [down] }]);
    expect(sync.sync(store.getState().series['BTCUSDT@1m'])).toBe('tail');
    expect(sync.columns[1][1000]).toEqual([1000 * M, 1, 0, 0, 1]); // falling: down volume
    expect(sync.sync(store.getState().series['BTCUSDT@1m'])).toBe('none');
  });

  it('normalises the overlay to the first loaded close × 100', () => {
    const sync = new TailSync(OVERLAY_WRITERS);
    sync.sync({
      bars: [bar('A', 0, 50), bar('A', M, 55), bar('A', 2 * M, 45)],
      epoch: 1,
      loadId: 1,
      rev: 1,
    });
    const values = sync.columns[0].map((p) => (p as number[])[1]);
    [100, 110, 90].forEach((v, i) => expect(values[i]).toBeCloseTo(v, 9));
  });
});

describe('history / live split', () => {
  it('hands over only the live tail until it outgrows its limit', () => {
    const bars = Array.from({ length: 100 }, (_, i) => bar('A', i * M, 100 + i));
    const sync = new SplitSync(OVERLAY_WRITERS, 3, 1);
    let rev = 1;
    const source = () => ({ bars, epoch: 1, loadId: 1, rev: rev++ });
    expect(sync.sync(source())).toBe('all');
    expect(sync.historyLength).toBe(99);
    expect(sync.hist[0]).toHaveLength(99);
    expect(sync.live[0]).toHaveLength(2); // overlap point + the last bar
    bars.push(bar('A', 100 * M, 1));
    expect(sync.sync(source())).toBe('live');
    expect(sync.live[0]).toHaveLength(3);
    bars.push(bar('A', 101 * M, 1), bar('A', 102 * M, 1));
    expect(sync.sync(source())).toBe('all'); // the tail outgrew 3 points: split moves
    expect(sync.historyLength).toBe(102);
    expect(sync.hist[0].length + sync.live[0].length - 1).toBe(103);
    // A revision inside the history part moves the split too.
    bars[101] = bar('A', 101 * M, 7);
    expect(sync.sync(source())).toBe('all');
  });
});
