/**
 * The import writer (store/importWriter.ts) on a real SQLite file: the thread writes what it is
 * sent — every stream, trade type and flag, several symbols and datasets, more batches than may
 * be in flight at once (so the sender really waits) — and a write failure inside the thread comes
 * back from finish() in words. The batch encoding round-trips every stored field.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tick } from '../../../src/core/market/types';
import { openImportWriter } from '../../../src/main/store/importWriter';
import { PairDeskStore } from '../../../src/main/store/store';
import { decodeTicks, TickBatchBuilder } from '../../../src/main/store/tickBatch';
import { makeBar, makeTick, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
let store: PairDeskStore;
beforeEach(() => {
  tmp = tempDir();
  store = PairDeskStore.open(tmp.file('w.db'));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

/** A tick of every kind, varied by id. */
function variedTick(id: number): Tick {
  return makeTick(id, {
    symbol: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'][id % 3],
    stream: id % 5 === 0 ? 'trade' : 'aggTrade',
    tradeType: (['MARKET', 'INSURANCE_FUND', 'ADL'] as const)[id % 7 === 0 ? 1 + (id % 2) : 0],
  });
}

const stored = (t: Tick) => ({ ...t, price: Number(t.priceText), qty: Number(t.qtyText) });

describe('TickBatchBuilder / decodeTicks', () => {
  it('round-trips every stored field (price/qty numbers are not carried)', () => {
    const b = new TickBatchBuilder(7, 100);
    const sent = Array.from({ length: 100 }, (_, i) => variedTick(1_000 + i));
    for (const t of sent) b.addTick(t);
    b.addBar(makeBar(60_000));
    expect(b.full).toBe(true);
    const batch = b.take();
    expect(b.empty).toBe(true);
    expect(batch.bars).toEqual([makeBar(60_000)]);
    const got = decodeTicks(batch);
    expect(got.map((t) => ({ ...t, price: 0, qty: 0 }))).toEqual(
      sent.map((t) => ({ ...t, price: 0, qty: 0 })),
    );
  });
});

describe('openImportWriter', () => {
  it('the thread stores every tick and bar sent, in two datasets, with exact counters', async () => {
    const a = store.createDataset('replay', 'a').id;
    const b = store.createDataset('replay', 'b').id;
    const w = openImportWriter(store, { threaded: true });
    expect(w.threaded).toBe(true);
    // 80 batches of 4096 into `a`: more than may be in flight, so the sender waits for the thread.
    const n = 40 * 8192 + 17;
    for (let i = 1; i <= n; i++) w.enqueueTick(a, variedTick(i));
    w.enqueueBar(a, makeBar(60_000, { close: 1 }));
    w.enqueueBar(a, makeBar(60_000, { close: 2 })); // a revision: the later one stays
    // 3 symbols × 2 streams × 3 trade types interleaved: several groups per multi-row statement.
    for (let i = 1; i <= 5000; i++) w.enqueueTick(b, variedTick(i));
    await w.finish();
    expect(store.tickCount(a)).toBe(n);
    expect(store.tickCount(b)).toBe(5000);
    expect(store.getDataset(a)?.barCount).toBe(1);
    expect(store.bars(a, 'BTCUSDT', 60_000).map((x) => x.close)).toEqual([2]);
    const rows = [...store.ticks(b)].sort((x, y) => x.tradeId - y.tradeId);
    expect(rows).toEqual(Array.from({ length: 5000 }, (_, i) => stored(variedTick(i + 1))));
    expect(store.getDataset(a)?.firstMs).toBe(Math.min(60_000, variedTick(1).timeMs));
  });

  it('a failed write in the thread rejects finish() with the reason', async () => {
    const w = openImportWriter(store, { threaded: true });
    w.enqueueTick(999, makeTick(1));
    await expect(w.finish()).rejects.toThrow(/dataset 999 does not exist/);
  });

  it('an in-memory store writes on the calling thread', async () => {
    const mem = PairDeskStore.open(':memory:');
    try {
      const id = mem.createDataset('replay', 'm').id;
      const w = openImportWriter(mem, { threaded: true });
      expect(w.threaded).toBe(false);
      w.enqueueTick(id, makeTick(1));
      await w.finish();
      expect(mem.tickCount(id)).toBe(1);
    } finally {
      mem.close();
    }
  });
});
