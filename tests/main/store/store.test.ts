import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Tick } from '../../../src/core/market/types';
import { openDatabase } from '../../../src/main/store/db';
import { PairDeskStore, type PairDeskStoreOptions } from '../../../src/main/store/store';
import type { FlushInfo } from '../../../src/main/store/writer';
import { makeBar, makeTick, sleep, tempDir, waitFor } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

let n = 0;
const open: PairDeskStore[] = [];
function newStore(opts: PairDeskStoreOptions = {}, file = tmp.file(`s${++n}.db`)) {
  const s = PairDeskStore.open(file, opts);
  open.push(s);
  return { store: s, file };
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** Committed rows as seen by an independent connection (not the store's own). */
function committedTicks(file: string): number {
  const db = new Database(file, { readonly: true });
  const c = db.prepare<[], number>('SELECT count(*) FROM ticks').pluck().get() ?? 0;
  db.close();
  return c;
}

describe('batched writes', () => {
  it('flushes a small batch by timer within ~200 ms', async () => {
    const flushes: { at: number; info: FlushInfo }[] = [];
    const { store, file } = newStore({ onFlush: (info) => flushes.push({ at: Date.now(), info }) });
    const ds = store.createDataset('replay', 'r');
    const t0 = Date.now();
    for (let i = 1; i <= 10; i++) store.enqueueTick(ds.id, makeTick(i));
    expect(store.stats().pending).toBe(10);
    expect(committedTicks(file)).toBe(0);
    expect(await waitFor(() => flushes.length === 1, 1000)).toBe(true);
    const latency = flushes[0].at - t0;
    expect(latency).toBeGreaterThanOrEqual(150);
    expect(latency).toBeLessThan(600); // 200 ms + slack for a loaded CI box
    expect(flushes[0].info).toMatchObject({ reason: 'timer', ticksInserted: 10 });
    expect(committedTicks(file)).toBe(10);
    expect(store.stats()).toMatchObject({ pending: 0, flushes: 1, ticksWritten: 10 });
  });

  it('flushes synchronously inside the enqueue call that reaches batchSize', () => {
    const { store, file } = newStore({ batchSize: 100 });
    const ds = store.createDataset('replay', 'r');
    for (let i = 1; i < 100; i++) store.enqueueTick(ds.id, makeTick(i));
    expect(store.stats()).toMatchObject({ flushes: 0, pending: 99 });
    store.enqueueTick(ds.id, makeTick(100));
    expect(store.stats()).toMatchObject({ flushes: 1, pending: 0, ticksWritten: 100 });
    expect(committedTicks(file)).toBe(100);
    // 250 more: two size flushes, 50 left for the timer/close.
    for (let i = 101; i <= 350; i++) store.enqueueTick(ds.id, makeTick(i));
    expect(store.stats()).toMatchObject({ flushes: 3, pending: 50 });
  });

  it('close() flushes whatever is pending', () => {
    const { store, file } = newStore({ flushIntervalMs: 60_000 });
    const ds = store.createDataset('replay', 'r');
    for (let i = 1; i <= 50; i++) store.enqueueTick(ds.id, makeTick(i));
    expect(committedTicks(file)).toBe(0);
    store.close();
    expect(committedTicks(file)).toBe(50);
    const again = PairDeskStore.open(file);
    expect(again.getDataset(ds.id)?.tickCount).toBe(50);
    again.close();
  });

  it('ignores duplicate (dataset, symbol, trade_id), within and across batches', () => {
    const { store } = newStore();
    const ds = store.createDataset('replay', 'r');
    store.enqueueTick(ds.id, makeTick(1));
    store.enqueueTick(ds.id, makeTick(1, { priceText: '999.99', price: 999.99 }));
    store.flush();
    store.enqueueTick(ds.id, makeTick(1, { priceText: '888.88', price: 888.88 }));
    store.enqueueTick(ds.id, makeTick(2));
    store.flush();
    // Same id under another symbol is a different trade.
    store.enqueueTick(ds.id, makeTick(1, { symbol: 'ETHUSDT' }));
    store.flush();
    const ticks = [...store.ticks(ds.id)];
    expect(ticks.map((t) => [t.symbol, t.tradeId, t.priceText])).toEqual([
      ['BTCUSDT', 1, makeTick(1).priceText], // first write wins
      ['BTCUSDT', 2, makeTick(2).priceText],
      ['ETHUSDT', 1, makeTick(1).priceText],
    ]);
    expect(store.stats()).toMatchObject({ ticksWritten: 3, ticksIgnored: 2 });
    expect(store.getDataset(ds.id)?.tickCount).toBe(3);
  });

  it('upserts bars: a revision replaces the stored bar, counted once', () => {
    const { store } = newStore();
    const ds = store.createDataset('replay', 'r');
    store.enqueueBar(ds.id, makeBar(60_000));
    store.flush();
    store.enqueueBar(ds.id, makeBar(60_000, { close: 105, high: 105, trades: 4 }));
    // Coalesced: two revisions within one batch count as one pending item and one write.
    store.enqueueBar(ds.id, makeBar(120_000, { close: 1 }));
    store.enqueueBar(ds.id, makeBar(120_000, { close: 2 }));
    expect(store.stats().pending).toBe(2);
    store.flush();
    const bars = store.bars(ds.id, 'BTCUSDT', 60_000);
    expect(bars).toEqual([
      makeBar(60_000, { close: 105, high: 105, trades: 4 }),
      makeBar(120_000, { close: 2 }),
    ]);
    expect(store.getDataset(ds.id)).toMatchObject({
      barCount: 2,
      firstMs: 60_000,
      lastMs: 120_000,
    });
    expect(store.stats().barsWritten).toBe(3);
  });

  it('stores a NaN bar value as NULL and reads it back as NaN without failing the batch', () => {
    const { store } = newStore();
    const ds = store.createDataset('replay', 'r');
    store.enqueueBar(ds.id, makeBar(0, { volume: 0, quoteVolume: 0, vwap: NaN }));
    store.enqueueTick(ds.id, makeTick(1));
    store.flush();
    expect(store.bars(ds.id, 'BTCUSDT', 60_000)[0].vwap).toBeNaN();
    expect(store.tickCount(ds.id)).toBe(1);
  });

  it('keeps a failed batch queued and writes it on a later flush', async () => {
    const errors: unknown[] = [];
    const { store, file } = newStore({
      busyTimeoutMs: 20,
      flushIntervalMs: 20,
      onError: (e) => errors.push(e),
    });
    const ds = store.createDataset('replay', 'r');
    // Another connection holds the write lock, so our flush gets SQLITE_BUSY.
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    for (let i = 1; i <= 5; i++) store.enqueueTick(ds.id, makeTick(i));
    expect(() => store.flush()).toThrow(/locked|busy/i);
    expect(store.stats()).toMatchObject({ pending: 5, failedFlushes: 1 });
    expect(await waitFor(() => errors.length > 0, 1000)).toBe(true); // timer retry also failed
    other.exec('COMMIT');
    other.close();
    expect(await waitFor(() => store.stats().pending === 0, 2000)).toBe(true);
    expect(store.stats()).toMatchObject({ ticksWritten: 5, lastError: null });
    expect(committedTicks(file)).toBe(5);
  });

  it('rejects ticks for an unknown dataset at enqueue time', () => {
    const { store } = newStore();
    expect(() => store.enqueueTick(12345, makeTick(1))).toThrow(/dataset 12345 does not exist/);
  });
});

describe('datasets', () => {
  it('reuses the single live dataset across reopen; demo/replay get new ones', () => {
    const { store, file } = newStore();
    const live = store.getOrCreateLiveDataset('Live', 'binance-usdm');
    expect(store.getOrCreateLiveDataset().id).toBe(live.id);
    expect(store.createDataset('live', 'ignored').id).toBe(live.id);
    const demo1 = store.createDataset('demo', 'Demo run 1');
    const demo2 = store.createDataset('demo', 'Demo run 2');
    const replay = store.createDataset('replay', 'file.jsonl', '/data/file.jsonl');
    expect(new Set([live.id, demo1.id, demo2.id, replay.id]).size).toBe(4);
    expect(store.latestDataset()?.id).toBe(replay.id);
    expect(store.latestDataset('demo')?.id).toBe(demo2.id);
    store.close();
    const again = PairDeskStore.open(file);
    open.push(again);
    expect(again.getOrCreateLiveDataset().id).toBe(live.id);
    expect(again.listDatasets().map((d) => [d.kind, d.label, d.source])).toEqual([
      ['live', 'Live', 'binance-usdm'],
      ['demo', 'Demo run 1', null],
      ['demo', 'Demo run 2', null],
      ['replay', 'file.jsonl', '/data/file.jsonl'],
    ]);
  });

  it('keeps datasets separate: a replay never sees live ticks', () => {
    const { store } = newStore();
    const live = store.getOrCreateLiveDataset();
    const replay = store.createDataset('replay', 'r');
    for (let i = 1; i <= 20; i++) store.enqueueTick(live.id, makeTick(i));
    // Same symbol and trade ids, different content: must not be deduped against live.
    for (let i = 11; i <= 15; i++) {
      store.enqueueTick(replay.id, makeTick(i, { priceText: '1.5', price: 1.5 }));
    }
    store.enqueueBar(live.id, makeBar(0));
    store.flush();
    expect([...store.ticks(replay.id)].map((t) => [t.tradeId, t.priceText])).toEqual(
      [11, 12, 13, 14, 15].map((i) => [i, '1.5']),
    );
    expect([...store.ticks(live.id)]).toHaveLength(20);
    expect(store.bars(replay.id, 'BTCUSDT', 60_000)).toEqual([]);
    const list = store.listDatasets();
    expect(list.find((d) => d.id === live.id)).toMatchObject({
      tickCount: 20,
      barCount: 1,
      firstMs: 0, // the bar start
      lastMs: makeTick(20).timeMs,
    });
    expect(list.find((d) => d.id === replay.id)).toMatchObject({
      tickCount: 5,
      barCount: 0,
      firstMs: makeTick(11).timeMs,
      lastMs: makeTick(15).timeMs,
    });
  });

  it('deletes a dataset with its rows and pending writes', () => {
    const { store } = newStore();
    const a = store.createDataset('replay', 'a');
    const b = store.createDataset('replay', 'b');
    store.enqueueTick(a.id, makeTick(1));
    store.enqueueBar(a.id, makeBar(0));
    store.flush();
    store.enqueueTick(a.id, makeTick(2));
    store.enqueueTick(b.id, makeTick(1));
    expect(store.deleteDataset(a.id)).toBe(true);
    expect(store.stats().pending).toBe(1);
    store.flush();
    expect(
      store.db.prepare('SELECT count(*) FROM ticks WHERE dataset_id = ?').pluck().get(a.id),
    ).toBe(0);
    expect(store.db.prepare('SELECT count(*) FROM bars').pluck().get()).toBe(0);
    expect(store.tickCount(b.id)).toBe(1);
    // Ids are never reused, so a stale id cannot point at a newer dataset.
    expect(store.createDataset('replay', 'c').id).toBeGreaterThan(b.id);
  });
});

describe('queries', () => {
  it('exports ticks ordered by symbol, time, trade id with exact field round-trip', () => {
    const { store } = newStore();
    const ds = store.createDataset('replay', 'r');
    const input: Tick[] = [
      makeTick(5, { symbol: 'ETHUSDT', timeMs: 1000 }),
      makeTick(3, { symbol: 'BTCUSDT', timeMs: 2000 }),
      makeTick(4, { symbol: 'BTCUSDT', timeMs: 1000 }), // later id, earlier time
      makeTick(2, { symbol: 'BTCUSDT', timeMs: 1000 }),
      makeTick(1, { symbol: 'ETHUSDT', timeMs: 1000 }),
      makeTick(9, {
        symbol: 'ADAUSDT',
        timeMs: 5,
        priceText: '0.000012345678901234567890',
        price: Number('0.000012345678901234567890'),
        qtyText: '123456789.12345678',
        qty: Number('123456789.12345678'),
        isBuyerMaker: true,
        stream: 'trade',
        tradeType: 'ADL',
      }),
      makeTick(8, {
        symbol: 'ADAUSDT',
        timeMs: 6,
        tradeType: 'INSURANCE_FUND',
        isBuyerMaker: false,
      }),
    ];
    for (const t of input) store.enqueueTick(ds.id, t);
    const out = [...store.ticks(ds.id)]; // flushes pending first (read-your-writes)
    expect(out.map((t) => `${t.symbol}:${t.timeMs}:${t.tradeId}`)).toEqual([
      'ADAUSDT:5:9',
      'ADAUSDT:6:8',
      'BTCUSDT:1000:2',
      'BTCUSDT:1000:4',
      'BTCUSDT:2000:3',
      'ETHUSDT:1000:1',
      'ETHUSDT:1000:5',
    ]);
    // Every field survives, including full decimal text beyond double precision.
    const byKey = new Map(input.map((t) => [`${t.symbol}:${t.tradeId}`, t]));
    for (const t of out) expect(t).toEqual(byKey.get(`${t.symbol}:${t.tradeId}`));
    expect(out[0].priceText).toBe('0.000012345678901234567890');

    expect(
      [...store.ticks(ds.id, { symbol: 'BTCUSDT', fromMs: 1000, toMs: 2000 })].map(
        (t) => t.tradeId,
      ),
    ).toEqual([2, 4]);
    expect(store.tickCount(ds.id, 'BTCUSDT')).toBe(3);
    expect(store.tickCount(ds.id)).toBe(7);
    expect(store.tradeIdRange(ds.id, 'BTCUSDT')).toEqual({ min: 2, max: 4 });
    expect(store.tradeIdRange(ds.id, 'XRPUSDT')).toBeUndefined();
    expect(store.symbolStats(ds.id)).toEqual([
      { symbol: 'ADAUSDT', stream: 'aggTrade', count: 1, minTradeId: 8, maxTradeId: 8 },
      { symbol: 'ADAUSDT', stream: 'trade', count: 1, minTradeId: 9, maxTradeId: 9 },
      { symbol: 'BTCUSDT', stream: 'aggTrade', count: 3, minTradeId: 2, maxTradeId: 4 },
      { symbol: 'ETHUSDT', stream: 'aggTrade', count: 2, minTradeId: 1, maxTradeId: 5 },
    ]);
    expect(store.tradeIdRange(ds.id, 'ADAUSDT', 'trade')).toEqual({ min: 9, max: 9 });
  });

  it('lists the symbols that have bars of a timeframe', () => {
    const { store } = newStore();
    const ds = store.createDataset('replay', 'bar symbols');
    store.enqueueBar(ds.id, makeBar(60_000, { symbol: 'ETHUSDT' }));
    store.enqueueBar(ds.id, makeBar(120_000, { symbol: 'ETHUSDT' }));
    store.enqueueBar(ds.id, makeBar(60_000, { symbol: 'BTCUSDT' }));
    store.enqueueBar(ds.id, makeBar(1_000, { symbol: 'SOLUSDT', timeframeMs: 1_000 }));
    expect(store.barSymbols(ds.id, 60_000)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(store.barSymbols(ds.id, 1_000)).toEqual(['SOLUSDT']);
    expect(store.barSymbols(ds.id, 300_000)).toEqual([]);
  });

  it('keeps the same id on the aggTrade and trade streams of a symbol apart', () => {
    const { store } = newStore();
    const ds = store.createDataset('replay', 'both streams');
    store.enqueueTick(ds.id, makeTick(7, { symbol: 'BTCUSDT', stream: 'aggTrade', timeMs: 1 }));
    store.enqueueTick(ds.id, makeTick(7, { symbol: 'BTCUSDT', stream: 'trade', timeMs: 2 }));
    store.enqueueTick(ds.id, makeTick(7, { symbol: 'BTCUSDT', stream: 'trade', timeMs: 3 })); // repeat
    expect(store.tickCount(ds.id, 'BTCUSDT')).toBe(2);
    expect(store.stats().ticksIgnored).toBe(1);
    expect([...store.ticks(ds.id)].map((t) => `${t.stream}:${t.timeMs}`)).toEqual([
      'aggTrade:1',
      'trade:2',
    ]);
  });

  it('reads a stream back from its newest trade id', () => {
    const { store } = newStore({ batchSize: 100 });
    const ds = store.createDataset('replay', 'newest');
    for (let i = 1; i <= 250; i++)
      store.enqueueTick(ds.id, makeTick(i, { symbol: 'ETHUSDT', timeMs: i * 10 }));
    const ids: number[] = [];
    for (const t of store.newestTicks(ds.id, 'ETHUSDT', 'aggTrade')) {
      if (t.timeMs < 2_400) break;
      ids.push(t.tradeId);
    }
    expect(ids).toEqual([250, 249, 248, 247, 246, 245, 244, 243, 242, 241, 240]);
    store.enqueueTick(ds.id, makeTick(251, { symbol: 'ETHUSDT', timeMs: 2_510 })); // writer resumed
    expect(store.tickCount(ds.id, 'ETHUSDT')).toBe(251);
  });

  it('streams a large export while ingestion keeps queueing (flush waits for the iterator)', () => {
    const { store } = newStore({ batchSize: 1000 });
    const ds = store.createDataset('replay', 'r');
    for (let i = 1; i <= 5000; i++) store.enqueueTick(ds.id, makeTick(i));
    store.flush();
    let seen = 0;
    let next = 5001;
    for (const t of store.ticks(ds.id)) {
      expect(t.tradeId).toBe(++seen);
      // Crosses batchSize while the iterator holds the connection: must not throw.
      if (seen % 2 === 0) store.enqueueTick(ds.id, makeTick(next++));
    }
    expect(seen).toBe(5000);
    expect(store.stats().pending).toBe(2500);
    expect(() => {
      const it = store.ticks(ds.id);
      it.next();
      try {
        store.flush();
      } finally {
        it.return();
      }
    }).toThrow(/export iterator/);
    store.flush();
    expect(store.tickCount(ds.id)).toBe(7500);
  });

  it('bars: ordered by start, range [fromMs, toMs), limitLast', () => {
    const { store } = newStore();
    const ds = store.createDataset('replay', 'r');
    for (const start of [300_000, 0, 120_000, 60_000, 240_000, 180_000]) {
      store.enqueueBar(ds.id, makeBar(start, { close: start }));
    }
    store.enqueueBar(ds.id, makeBar(0, { timeframeMs: 1000 }));
    store.enqueueBar(ds.id, makeBar(0, { symbol: 'ETHUSDT' }));
    const starts = (q?: Parameters<PairDeskStore['bars']>[3]) =>
      store.bars(ds.id, 'BTCUSDT', 60_000, q).map((b) => b.startMs);
    expect(starts()).toEqual([0, 60_000, 120_000, 180_000, 240_000, 300_000]);
    expect(starts({ fromMs: 60_000, toMs: 240_000 })).toEqual([60_000, 120_000, 180_000]);
    expect(starts({ limitLast: 2 })).toEqual([240_000, 300_000]);
    expect(starts({ toMs: 240_000, limitLast: 2 })).toEqual([120_000, 180_000]);
    expect(starts({ limitLast: 0 })).toEqual([]);
  });

  it('barCloses: the last N closes as columns, equal to bars(), NULL close → NaN', () => {
    const { store } = newStore();
    const ds = store.createDataset('replay', 'r');
    for (let i = 0; i < 50; i++) {
      store.enqueueBar(ds.id, makeBar(i * 60_000, { close: i === 47 ? NaN : 100 + i * 0.25 }));
    }
    store.enqueueBar(ds.id, makeBar(0, { symbol: 'ETHUSDT', close: 7 }));
    const cols = store.barCloses(ds.id, 'BTCUSDT', 60_000, 10);
    const bars = store.bars(ds.id, 'BTCUSDT', 60_000, { limitLast: 10 });
    expect(cols.startMs).toBeInstanceOf(Float64Array);
    expect([...cols.startMs]).toEqual(bars.map((b) => b.startMs));
    expect([...cols.close]).toEqual(bars.map((b) => b.close));
    expect(cols.startMs[0]).toBe(40 * 60_000);
    expect(cols.close[7]).toBeNaN();
    expect(store.barCloses(ds.id, 'BTCUSDT', 60_000, 0).close.length).toBe(0);
    expect(store.barCloses(ds.id, 'BTCUSDT', 60_000, 1000).close.length).toBe(50);
  });
});

describe('settings and maintenance', () => {
  it('stores JSON settings', () => {
    const { store, file } = newStore();
    store.setSetting('ui.theme', 'dark');
    store.setSetting('pairs', [{ a: 'BTCUSDT', b: 'ETHUSDT', lookback: 300 }]);
    store.setSetting('ui.theme', 'light');
    expect(store.getSetting('ui.theme')).toBe('light');
    expect(store.getSetting('missing')).toBeUndefined();
    expect(() => store.setSetting('bad', undefined)).toThrow(TypeError);
    store.deleteSetting('ui.theme');
    store.close();
    const again = PairDeskStore.open(file);
    open.push(again);
    expect(again.getSetting('pairs')).toEqual([{ a: 'BTCUSDT', b: 'ETHUSDT', lookback: 300 }]);
    expect(again.getSetting('ui.theme')).toBeUndefined();
  });

  it('reports size and integrity; close truncates the WAL', () => {
    const { store, file } = newStore({ batchSize: 500 });
    const ds = store.createDataset('replay', 'r');
    for (let i = 1; i <= 2000; i++) store.enqueueTick(ds.id, makeTick(i));
    const size = store.dbSizeBytes();
    expect(size).toBeGreaterThan(50_000);
    expect(store.integrityCheck()).toEqual({ ok: true, messages: ['ok'] });
    store.close();
    expect(store.isOpen).toBe(false);
    const db = openDatabase(file, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM ticks').pluck().get()).toBe(2000);
    db.close();
  });

  it('a read-only store reads but refuses writes', async () => {
    const { store, file } = newStore();
    const ds = store.createDataset('replay', 'r');
    store.enqueueTick(ds.id, makeTick(1));
    store.close();
    const ro = PairDeskStore.open(file, { readonly: true });
    open.push(ro);
    expect(ro.listDatasets()).toHaveLength(1);
    expect([...ro.ticks(ds.id)]).toHaveLength(1);
    expect(() => ro.enqueueTick(ds.id, makeTick(2))).toThrow(/read-only/);
    await sleep(0);
  });
});
