/**
 * Issue #13 finding 2: every queue between the socket and SQLite is bounded. A tick whose price
 * text is a megabyte of digits parses to a fine number, so it used to be accepted and kept (in
 * the writer queue, then on disk); the writer queue grew without limit while flushes could not
 * run (an export iterator open, or a failing disk). Now over-long texts are rejected, and the
 * writer drops and counts beyond maxPending.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IngestPipeline, MAX_DECIMAL_TEXT_CHARS } from '../../../src/main/ingest/ingestPipeline';
import { PairDeskStore } from '../../../src/main/store/store';

const T0 = Date.UTC(2026, 0, 5, 12);

function frame(id: number, price: string, qty = '0.010'): string {
  return (
    `{"e":"aggTrade","E":${T0 + id},"a":${id},"s":"BTCUSDT","p":"${price}","q":"${qty}",` +
    `"f":${id},"l":${id},"T":${T0 + id},"m":false}`
  );
}

describe('ingest queue bounds', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function open(opts: { maxPending?: number; batchSize?: number } = {}): PairDeskStore {
    const dir = mkdtempSync(join(tmpdir(), 'pairdesk-bounds-'));
    dirs.push(dir);
    return PairDeskStore.open(join(dir, 'bounds.db'), opts);
  }

  it('rejects a valid-looking price or quantity text longer than the limit, with a short message', () => {
    const store = open();
    const dataset = store.createDataset('replay', 'bounds', 'test');
    const pipeline = new IngestPipeline({
      store,
      datasetId: dataset.id,
      symbols: ['BTCUSDT'],
      wallNow: () => T0,
    });
    const longPrice = `1.${'0'.repeat(900_000)}1`;
    pipeline.handleRaw(frame(1, longPrice));
    pipeline.handleRaw(frame(2, '65000.1', `0.${'0'.repeat(MAX_DECIMAL_TEXT_CHARS)}1`));
    pipeline.handleRaw(frame(3, `1.${'0'.repeat(MAX_DECIMAL_TEXT_CHARS - 3)}`)); // at the limit
    pipeline.handleRaw(frame(1, '65000.2')); // id 1 was not marked seen by the rejected tick
    pipeline.finish();
    const snap = pipeline.snapshot();
    expect(snap.rejects.bad_price).toBe(1);
    expect(snap.rejects.bad_qty).toBe(1);
    expect(snap.ticksStored).toBe(2);
    const [first] = pipeline.rejects.recent();
    expect(first.message).toBe(
      `price "1.${'0'.repeat(38)}… (900003 chars)" is longer than ${MAX_DECIMAL_TEXT_CHARS} characters`,
    );
    expect(first.excerpt?.length).toBeLessThan(260);
    store.close();
  });

  it('drops and counts ticks beyond maxPending while flushes cannot run, then resumes', () => {
    const store = open({ batchSize: 100, maxPending: 1_000 });
    const dataset = store.createDataset('replay', 'bounds', 'test');
    const seed = store.createDataset('replay', 'seed', 'test');
    const pipeline = new IngestPipeline({
      store,
      datasetId: dataset.id,
      symbols: ['BTCUSDT'],
      wallNow: () => T0,
    });
    // A stored tick to export, and an export iterator held open: no flush can happen meanwhile.
    const seedPipeline = new IngestPipeline({ store, datasetId: seed.id, wallNow: () => T0 });
    seedPipeline.handleRaw(frame(1, '1'));
    seedPipeline.finish();
    const reader = store.ticks(seed.id);
    expect(reader.next().done).toBe(false);
    for (let id = 1; id <= 5_000; id++) pipeline.handleRaw(frame(id, '65000.1'));
    const stats = store.stats();
    // 1 000 items pending (ticks and a few closed bars); the rest of the ticks dropped, counted.
    expect(stats.pending).toBe(1_000);
    expect(stats.droppedTicks).toBeGreaterThanOrEqual(4_000);
    expect(stats.droppedTicks).toBeLessThan(4_010);
    reader.return();
    store.flush();
    expect(store.tickCount(dataset.id)).toBe(5_000 - stats.droppedTicks);
    // Queueing works again once the backlog is written.
    pipeline.handleRaw(frame(5_001, '65000.1'));
    pipeline.finish();
    expect(store.tickCount(dataset.id)).toBe(5_001 - stats.droppedTicks);
    expect(store.stats().droppedTicks).toBe(stats.droppedTicks);
    store.close();
  });
});
