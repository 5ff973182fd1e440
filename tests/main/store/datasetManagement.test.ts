/**
 * Schema v3 (dataset origin, bars-only timeframe) and the dataset manager's store calls:
 * summaries, rename, and delete with the space given back to the file system. Real SQLite files.
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/store/db';
import { getUserVersion, migrate, MIGRATIONS } from '../../../src/main/store/migrations';
import { PairDeskStore } from '../../../src/main/store/store';
import { makeBar, makeTick, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

let n = 0;
const open: PairDeskStore[] = [];
function newStore(file = tmp.file(`dm${++n}.db`)): { store: PairDeskStore; file: string } {
  const store = PairDeskStore.open(file);
  open.push(store);
  return { store, file };
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function onDisk(file: string): number {
  let total = 0;
  for (const f of [file, `${file}-wal`]) {
    try {
      total += statSync(f).size;
    } catch {
      // absent WAL
    }
  }
  return total;
}

/** A schema-v2 file as the previous release wrote it (auto_vacuum NONE, no v3 columns). */
function writeV2File(file: string): void {
  const db = new Database(file);
  db.pragma('page_size = 8192');
  db.pragma('journal_mode = WAL');
  migrate(db, MIGRATIONS.slice(0, 2));
  db.exec(`
    INSERT INTO datasets (id, kind, label, source, created_ms, tick_count, bar_count, first_ms, last_ms)
    VALUES (1, 'live', 'Live', 'binance-usdm', 1000, 2, 1, 0, 1700000000002),
           (2, 'replay', 'cap.ndjson', '/d/cap.ndjson', 2000, 0, 0, NULL, NULL);
    INSERT INTO ticks VALUES (1, 'BTCUSDT', 1, 1700000000001, 1700000000006, '100.01', '0.001', 0, 0, 0),
                             (1, 'BTCUSDT', 2, 1700000000002, 1700000000007, '100.02', '0.002', 1, 0, 0);
    INSERT INTO bars VALUES (1, 'BTCUSDT', 60000, 0, 1, 2, 0.5, 1.5, 3, 4.5, 2, 1, 1.5);
    INSERT INTO alert_events (dataset_id, source, pair_a, pair_b, timeframe, rolling_window, rule,
      kind, side, value, threshold, beta, bar_start_ms, wall_ms)
    VALUES (1, 'live', 'BTCUSDT', 'ETHUSDT', '1m', 60, 'zscore', 'breach', 'upper', 2.5, 2, 1.1, 0, 5);
  `);
  expect(getUserVersion(db)).toBe(2);
  db.close();
}

describe('schema v3', () => {
  it('migrates a v2 file in place, keeping its rows; old rows take their origin from the kind', () => {
    const file = tmp.file('v2.db');
    writeV2File(file);
    const { store } = newStore(file);
    expect(getUserVersion(store.db)).toBe(3);
    expect(
      store.listDatasets().map((d) => [d.id, d.kind, d.origin, d.barsOnlyTimeframeMs]),
    ).toEqual([
      [1, 'live', 'live', null],
      [2, 'replay', 'replay', null],
    ]);
    expect([...store.ticks(1)].map((t) => [t.tradeId, t.priceText])).toEqual([
      [1, '100.01'],
      [2, '100.02'],
    ]);
    expect(store.bars(1, 'BTCUSDT', 60_000)).toHaveLength(1);
    expect(store.db.prepare('SELECT count(*) FROM alert_events').pluck().get()).toBe(1);
    expect(store.integrityCheck().ok).toBe(true);
  });

  it('new files are created with incremental auto_vacuum; v2 files keep theirs until a reclaim', () => {
    const fresh = openDatabase(tmp.file('fresh-v3.db'));
    expect(fresh.pragma('auto_vacuum', { simple: true })).toBe(2);
    fresh.close();
    const file = tmp.file('v2-av.db');
    writeV2File(file);
    const { store } = newStore(file);
    expect(store.db.pragma('auto_vacuum', { simple: true })).toBe(0);
    expect(store.deleteDatasetAndReclaim(2).deleted).toBe(true);
    expect(store.db.pragma('auto_vacuum', { simple: true })).toBe(2);
    expect(store.tickCount(1)).toBe(2);
  });

  it('refuses a bad origin or bars-only timeframe', () => {
    const { store } = newStore();
    expect(() =>
      store.db
        .prepare(
          "INSERT INTO datasets (kind, label, created_ms, origin) VALUES ('replay', 'x', 0, 'ftp')",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() => store.createDataset('replay', 'x', null, { barsOnlyTimeframeMs: 0 })).toThrow(
      /positive integer/,
    );
  });
});

describe('createDataset with origin', () => {
  it('stores an import as kind replay with origin import, and a bars-only timeframe', () => {
    const { store, file } = newStore();
    const imp = store.createDataset('replay', 'klines', 'BTCUSDT-1m-2024-07-18.zip', {
      origin: 'import',
      barsOnlyTimeframeMs: 60_000,
    });
    const demo = store.createDataset('demo', 'Demo');
    expect(imp).toMatchObject({ kind: 'replay', origin: 'import', barsOnlyTimeframeMs: 60_000 });
    expect(demo).toMatchObject({ kind: 'demo', origin: 'demo', barsOnlyTimeframeMs: null });
    store.close();
    const again = newStore(file).store;
    expect(again.getDataset(imp.id)).toMatchObject({
      origin: 'import',
      barsOnlyTimeframeMs: 60_000,
    });
  });
});

describe('datasetSummaries', () => {
  it('lists newest first with symbols, tick times, counts, bars-only timeframe and a size share', () => {
    const { store } = newStore();
    const live = store.getOrCreateLiveDataset('Live', 'binance-usdm');
    for (let i = 1; i <= 3000; i++) {
      store.enqueueTick(live.id, makeTick(i, { symbol: i % 2 ? 'BTCUSDT' : 'ETHUSDT' }));
    }
    // A 5-minute bar starting before the first tick: firstMs must still be the first tick.
    store.enqueueBar(live.id, makeBar(1_699_999_800_000, { timeframeMs: 300_000 }));
    const bars = store.createDataset('replay', 'ohlc.csv', 'ohlc.csv', {
      origin: 'import',
      barsOnlyTimeframeMs: 60_000,
    });
    for (let k = 0; k < 100; k++) {
      store.enqueueBar(bars.id, makeBar(k * 60_000, { symbol: 'SOLUSDT' }));
      store.enqueueBar(bars.id, makeBar(k * 60_000, { symbol: 'ADAUSDT' }));
    }
    const empty = store.createDataset('demo', 'Empty demo');
    store.flush();

    const list = store.datasetSummaries();
    expect(list.map((d) => d.id)).toEqual([empty.id, bars.id, live.id]);
    expect(list[2]).toMatchObject({
      origin: 'live',
      label: 'Live',
      source: 'binance-usdm',
      symbols: ['BTCUSDT', 'ETHUSDT'],
      firstMs: makeTick(1).timeMs,
      lastMs: makeTick(3000).timeMs,
      ticks: 3000,
      bars: 1,
      barsOnly: null,
    });
    expect(list[1]).toMatchObject({
      origin: 'import',
      symbols: ['ADAUSDT', 'SOLUSDT'],
      firstMs: 0,
      lastMs: 99 * 60_000,
      ticks: 0,
      bars: 200,
      barsOnly: '1m',
    });
    expect(list[0]).toMatchObject({ symbols: [], firstMs: null, lastMs: null, sizeBytes: 0 });
    // The shares add up to the two tables' B-tree sizes (the estimate's definition).
    const tables = store.db
      .prepare<[], number>(
        "SELECT sum(pgsize) FROM dbstat('main', 1) WHERE name IN ('ticks', 'bars')",
      )
      .pluck()
      .get();
    const total = list.reduce((s, d) => s + d.sizeBytes, 0);
    expect(Math.abs(total - (tables ?? 0))).toBeLessThanOrEqual(2);
    expect(list[2].sizeBytes).toBeGreaterThan(list[1].sizeBytes);
  });
});

describe('renameDataset', () => {
  it('trims, persists, and refuses empty, too long or unknown', () => {
    const { store } = newStore();
    const d = store.createDataset('replay', 'old');
    expect(store.renameDataset(d.id, '  New name  ')).toMatchObject({
      id: d.id,
      label: 'New name',
    });
    expect(store.getDataset(d.id)?.label).toBe('New name');
    expect(() => store.renameDataset(d.id, '   ')).toThrow('a dataset name cannot be empty');
    expect(() => store.renameDataset(d.id, 'x'.repeat(201))).toThrow(/at most 200 characters/);
    expect(store.renameDataset(d.id, 'y'.repeat(200)).label).toHaveLength(200);
    expect(() => store.renameDataset(999, 'z')).toThrow('there is no dataset 999');
  });
});

describe('deleteDatasetAndReclaim', () => {
  it('gives a large dataset’s space back to the file system and keeps the others', () => {
    const { store, file } = newStore();
    const keep = store.createDataset('replay', 'keep');
    const big = store.createDataset('replay', 'big');
    for (let i = 1; i <= 2_000; i++) store.enqueueTick(keep.id, makeTick(i));
    for (let i = 1; i <= 200_000; i++) store.enqueueTick(big.id, makeTick(i));
    store.flush();
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = onDisk(file);
    expect(before).toBeGreaterThan(8_000_000);

    const r = store.deleteDatasetAndReclaim(big.id);
    const after = onDisk(file);
    expect(r.deleted).toBe(true);
    expect(before - after).toBe(r.reclaimedBytes);
    // 200 k of 202 k ticks gone: the file shrinks to a small fraction.
    expect(after).toBeLessThan(before * 0.1);
    expect(store.getDataset(big.id)).toBeUndefined();
    expect(store.tickCount(keep.id)).toBe(2_000);
    expect(store.integrityCheck().ok).toBe(true);
    expect(store.deleteDatasetAndReclaim(big.id)).toEqual({ deleted: false, reclaimedBytes: 0 });
  });

  it('reclaims on a v2 file too (one VACUUM switches it to incremental)', () => {
    const file = tmp.file('v2-big.db');
    writeV2File(file);
    const { store } = newStore(file);
    const big = store.createDataset('replay', 'big');
    for (let i = 1; i <= 100_000; i++) store.enqueueTick(big.id, makeTick(i));
    store.flush();
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = onDisk(file);
    const r = store.deleteDatasetAndReclaim(big.id);
    expect(r.deleted).toBe(true);
    expect(onDisk(file)).toBeLessThan(before * 0.2);
    expect([...store.ticks(1)]).toHaveLength(2);
  });
});
