/**
 * FilesService routing imports and the dataset manager over real parts (#10): real aggTrades CSV
 * files in a tmp folder, the real importer into a real SQLite store, `transfer` events coalesced
 * to ≤ 5 Hz with the final one always sent, a `datasets` event after each change, and
 * `files.cancel` stopping a running import (its partial dataset deleted).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../src/core/contract/contract';
import type { DatasetSummary, TransferProgress } from '../../../src/core/contract/files';
import { ReplayCatalog } from '../../../src/main/app/replayFiles';
import { FilesService } from '../../../src/main/files/filesService';
import type { Platform } from '../../../src/main/platform/interfaces';
import { PairDeskStore } from '../../../src/main/store/store';

const T0 = Date.UTC(2024, 6, 18, 23, 57, 0);
const dirs: string[] = [];
const stores: PairDeskStore[] = [];

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(platform?: Platform) {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-files-import-'));
  dirs.push(dir);
  const store = PairDeskStore.open(join(dir, 'pairdesk.db'));
  stores.push(store);
  const events: EventEnvelope[] = [];
  const eventTimes: number[] = [];
  /** What the running source writes (the app's activeDatasetIds). */
  const active: number[] = [];
  /** Called with each event as it is emitted (e.g. to cancel at the first progress). */
  const hooks: ((envelope: EventEnvelope) => void)[] = [];
  const files = new FilesService({
    store,
    dataDir: join(dir, 'data'),
    catalog: new ReplayCatalog([]),
    ...(platform ? { platform } : {}),
    emit: (event, payload) => {
      const envelope = { event, payload } as EventEnvelope;
      events.push(envelope);
      eventTimes.push(Date.now());
      for (const hook of hooks) hook(envelope);
    },
    activeDatasetIds: () => active,
    viewedDatasetId: () => 0,
  });
  const transfers = (): TransferProgress[] =>
    events.filter((e) => e.event === 'transfer').map((e) => e.payload as TransferProgress);
  const datasetEvents = (): DatasetSummary[][] =>
    events.filter((e) => e.event === 'datasets').map((e) => e.payload as DatasetSummary[]);
  return { dir, store, files, events, eventTimes, active, hooks, transfers, datasetEvents };
}

/** A futures aggTrades CSV (header, ms times): `lines` trades one every 10 ms from T0. */
function aggTradesCsv(
  dir: string,
  symbol: string,
  lines: number,
  price = 64_000,
  name = `${symbol}-aggTrades-2024-07-18.csv`,
): string {
  const rows = [
    'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker',
  ];
  for (let i = 0; i < lines; i++) {
    const p = (price + (i % 100) / 10).toFixed(1);
    rows.push(`${i + 1},${p},0.010,${i * 2 + 1},${i * 2 + 2},${T0 + i * 10},${i % 2 === 0}`);
  }
  const path = join(dir, name);
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

describe('files.import through the router', () => {
  it('imports two picked files into one dataset, with progress and the dataset list after', async () => {
    const { dir, files, transfers, datasetEvents } = setup();
    const btc = files.registerPath(aggTradesCsv(dir, 'BTCUSDT', 3_000));
    const eth = files.registerPath(aggTradesCsv(dir, 'ETHUSDT', 2_000, 3_400));
    const inspected = await files.handle('files.inspect', { fileIds: [btc.id, eth.id] });
    expect(inspected.map((i) => [i.fileId, i.format, i.symbols])).toEqual([
      [btc.id, 'aggTrades', ['BTCUSDT']],
      [eth.id, 'aggTrades', ['ETHUSDT']],
    ]);
    const result = await files.handle('files.import', {
      fileIds: [btc.id, eth.id],
      name: 'July 18',
    });
    expect(result.state).toBe('done');
    expect(result.ticks).toBe(5_000);
    expect(result.jobId).toMatch(/^import-/);
    const events = transfers();
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.every((e) => e.jobId === result.jobId && e.kind === 'import')).toBe(true);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ state: 'done', datasetId: result.datasetId, fraction: 1 });
    expect(last.message).toBe(result.message);
    const lists = datasetEvents();
    expect(lists).toHaveLength(1);
    expect(lists[0]!.find((d) => d.id === result.datasetId)).toMatchObject({
      label: 'July 18',
      ticks: 5_000,
      symbols: ['BTCUSDT', 'ETHUSDT'],
      active: false,
    });
    // Finished: nothing left to cancel.
    await expect(files.handle('files.cancel', { jobId: result.jobId })).resolves.toEqual({
      cancelled: false,
    });
    expect(files.runningJobs).toBe(0);
  });

  it('passes the symbol asked for a file whose name does not say it', async () => {
    const { dir, files } = setup();
    const picked = files.registerPath(aggTradesCsv(dir, 'BTCUSDT', 500, 64_000, 'trades.csv'));
    const [inspection] = await files.handle('files.inspect', { fileIds: [picked.id] });
    expect(inspection).toMatchObject({ format: 'aggTrades', needsSymbol: true });
    const result = await files.handle('files.import', {
      fileIds: [picked.id],
      symbols: { [picked.id]: 'SOLUSDT' },
    });
    expect(result.state).toBe('done');
    const listed = await files.handle('datasets.list', null);
    expect(listed.find((d) => d.id === result.datasetId)?.symbols).toEqual(['SOLUSDT']);
  });

  it('files.cancel stops a running import: no dataset left, the last event says cancelled', async () => {
    const { dir, files, transfers, eventTimes, events } = setup();
    const big = files.registerPath(aggTradesCsv(dir, 'BTCUSDT', 150_000));
    const before = (await files.handle('datasets.list', null)).length;
    const running = files.handle('files.import', { fileIds: [big.id] });
    // The first progress event names the job; cancel it then.
    const start = Date.now();
    while (transfers().length === 0 && Date.now() - start < 10_000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const jobId = transfers()[0]!.jobId;
    await new Promise((r) => setTimeout(r, 50));
    await expect(files.handle('files.cancel', { jobId })).resolves.toEqual({ cancelled: true });
    const result = await running;
    expect(result).toMatchObject({ jobId, state: 'cancelled', datasetId: null });
    expect(transfers().at(-1)).toMatchObject({ jobId, state: 'cancelled', datasetId: null });
    expect((await files.handle('datasets.list', null)).length).toBe(before);
    // ≤ 5 Hz: consecutive transfer events of the job at least ~200 ms apart, but the last.
    const times = events
      .map((e, i) => ({ e, t: eventTimes[i]! }))
      .filter(({ e }) => e.event === 'transfer')
      .map(({ t }) => t);
    for (let i = 1; i < times.length - 1; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(190);
    }
  });
  it('the dataset an import is writing is listed active and cannot be deleted until it ends', async () => {
    const { dir, files, transfers } = setup();
    const big = files.registerPath(aggTradesCsv(dir, 'BTCUSDT', 150_000));
    const running = files.handle('files.import', { fileIds: [big.id] });
    const start = Date.now();
    while (!transfers().some((t) => t.datasetId !== null) && Date.now() - start < 10_000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const progress = transfers().find((t) => t.datasetId !== null);
    expect(progress?.state).toBe('running');
    const id = progress!.datasetId!;
    const listed = (await files.handle('datasets.list', null)).find((d) => d.id === id);
    expect(listed?.active).toBe(true);
    await expect(files.handle('datasets.delete', { id })).rejects.toThrow(/active|being written/i);
    const result = await running;
    expect(result).toMatchObject({ state: 'done', datasetId: id });
    const after = (await files.handle('datasets.list', null)).find((d) => d.id === id);
    expect(after?.active).toBe(false);
  });
});

describe('datasets.* through the router', () => {
  it('renames and deletes with a datasets event after each; an active dataset is refused', async () => {
    const { dir, files, datasetEvents, store, active } = setup();
    const picked = files.registerPath(aggTradesCsv(dir, 'BTCUSDT', 1_000));
    const { datasetId } = await files.handle('files.import', { fileIds: [picked.id] });
    const id = datasetId!;
    active.push(id);
    await expect(files.handle('datasets.delete', { id })).rejects.toThrow(/being written now/);
    expect(store.getDataset(id)).toBeDefined();
    active.length = 0;
    const eventsBefore = datasetEvents().length;
    const renamed = await files.handle('datasets.rename', { id, label: 'Renamed' });
    expect(renamed).toMatchObject({ id, label: 'Renamed' });
    expect(datasetEvents()).toHaveLength(eventsBefore + 1);
    expect(
      datasetEvents()
        .at(-1)!
        .find((d) => d.id === id)?.label,
    ).toBe('Renamed');

    const deleted = await files.handle('datasets.delete', { id });
    expect(deleted.deleted).toBe(true);
    expect(deleted.reclaimedBytes).toBeGreaterThanOrEqual(0);
    expect(store.getDataset(id)).toBeUndefined();
    expect(datasetEvents()).toHaveLength(eventsBefore + 2);
    expect(
      datasetEvents()
        .at(-1)!
        .some((d) => d.id === id),
    ).toBe(false);
    await expect(files.handle('datasets.delete', { id })).resolves.toMatchObject({
      deleted: false,
    });
  });
});

describe('export.csv through the router', () => {
  it('writes a browser-mode download with progress; files.cancel stops one and leaves no file', async () => {
    const { dir, files, transfers, hooks } = setup();
    const picked = files.registerPath(aggTradesCsv(dir, 'BTCUSDT', 20_000));
    const { datasetId } = await files.handle('files.import', { fileIds: [picked.id] });
    const done = await files.handle('export.csv', { what: 'ticks', datasetId: datasetId! });
    expect(done).toMatchObject({ rows: 20_000, cancelled: false, savedTo: null });
    expect(done.jobId).toMatch(/^export-/);
    const file = join(dir, 'data', 'downloads', done.jobId, done.fileName);
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(20_002); // header, rows, ''
    const exportEvents = transfers().filter((t) => t.jobId === done.jobId);
    expect(exportEvents.at(-1)).toMatchObject({ kind: 'export', state: 'done', lines: 20_000 });

    // Cancelled at its first progress event, before any row is written.
    hooks.push((envelope) => {
      const progress = envelope.payload as TransferProgress;
      if (
        envelope.event === 'transfer' &&
        progress.kind === 'export' &&
        progress.jobId !== done.jobId
      ) {
        void files.handle('files.cancel', { jobId: progress.jobId });
      }
    });
    const cancelled = await files.handle('export.csv', { what: 'ticks', datasetId: datasetId! });
    expect(cancelled).toMatchObject({ cancelled: true, downloadUrl: null, rows: 0 });
    expect(transfers().at(-1)).toMatchObject({ jobId: cancelled.jobId, state: 'cancelled' });
    expect(existsSync(join(dir, 'data', 'downloads', cancelled.jobId))).toBe(false);
    expect(files.runningJobs).toBe(0);
  });
});

describe('close', () => {
  it('cancels a running import, drops undownloaded exports, then refuses work', async () => {
    const { dir, files, store, transfers, hooks } = setup();
    const small = files.registerPath(aggTradesCsv(dir, 'ETHUSDT', 1_000, 3_400));
    const { datasetId } = await files.handle('files.import', { fileIds: [small.id] });
    const exported = await files.handle('export.csv', { what: 'ticks', datasetId: datasetId! });
    expect(existsSync(join(dir, 'data', 'downloads', exported.jobId))).toBe(true);

    const big = files.registerPath(aggTradesCsv(dir, 'BTCUSDT', 150_000));
    let closing: Promise<void> | null = null;
    hooks.push((envelope) => {
      const progress = envelope.payload as TransferProgress;
      if (envelope.event === 'transfer' && progress.kind === 'import' && closing === null) {
        if (progress.state === 'running' && progress.label.startsWith('BTCUSDT')) {
          closing = files.close();
        }
      }
    });
    const result = await files.handle('files.import', { fileIds: [big.id] });
    expect(closing).not.toBeNull();
    await closing;
    expect(result).toMatchObject({ state: 'cancelled', datasetId: null });
    expect(transfers().at(-1)).toMatchObject({ jobId: result.jobId, state: 'cancelled' });
    // Only the first import's dataset is left: the cancelled one deleted its partial dataset.
    expect(store.listDatasets().map((d) => d.id)).toEqual([datasetId]);
    expect(existsSync(join(dir, 'data', 'downloads'))).toBe(false);
    await expect(files.handle('datasets.list', null)).rejects.toThrow(/shutting down/);
  });

  it('waits for a running export to end (here: held in its save dialog) before resolving', async () => {
    let answer: (path: string | null) => void = () => undefined;
    const platform: Platform = {
      notifier: { notify: () => undefined },
      saveDialog: {
        askSavePath: () => new Promise<string | null>((resolve) => (answer = resolve)),
      },
    };
    const { dir, files } = setup(platform);
    const picked = files.registerPath(aggTradesCsv(dir, 'BTCUSDT', 1_000));
    const { datasetId } = await files.handle('files.import', { fileIds: [picked.id] });
    const exporting = files.handle('export.csv', { what: 'ticks', datasetId: datasetId! });
    await new Promise((r) => setTimeout(r, 20)); // the dialog is up
    let closed = false;
    const closing = files.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false);
    const target = join(dir, 'chosen.csv');
    answer(target); // the user picks a file while the app is closing: the export is cancelled
    await closing;
    await expect(exporting).resolves.toMatchObject({ cancelled: true, rows: 0 });
    expect(existsSync(target)).toBe(false);
  });
});
