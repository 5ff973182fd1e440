/**
 * Issue #10, replay of any trade file through the app's services, the real feed server on
 * 127.0.0.1 and a real SQLite file: the real capture (futures trades, BTCUSDT + ETHUSDT) written
 * as two data.binance.vision aggTrades CSV zips replays, merged by time, into the same stored
 * bars as the NDJSON capture itself; pause holds the flow (and loses nothing), resume and a new
 * speed go on; restart plays into a new dataset; a multi-file replay is restored after a restart;
 * progress arrives as `transfer` events.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  EventEnvelope,
  SourceInfo,
  TransferProgress,
} from '../../../src/core/contract/contract';
import { AGG_TRADES_HEADER } from '../../../src/core/formats/aggTrades';
import { TICK_CSV_HEADER } from '../../../src/core/formats/exportHeaders';
import { startPairDeskApp, type PairDeskApp } from '../../../src/main/app/pairDeskApp';
import { aggTradeLine, loadCapture } from '../../../scripts/make-format-fixtures';
import { replayStopped, sleep, startCaptureReplay, waitFor } from './captureReplay';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];
const TRADES = { BTCUSDT: 10_701, ETHUSDT: 13_655 };
const TIMEFRAMES_MS = [1_000, 60_000, 300_000];

/** The capture's trades of each symbol as a futures aggTrades CSV (with header) in a zip. */
function writeAggTradesZips(dir: string): string[] {
  const { ticks } = loadCapture();
  return SYMBOLS.map((symbol) => {
    const csv = [
      AGG_TRADES_HEADER,
      ...ticks
        .filter((t) => t.symbol === symbol)
        .map((t) => aggTradeLine(t, { spot: false, us: false })),
    ].join('\n');
    const member = `${symbol}-aggTrades-2024-07-18.csv`;
    const path = join(dir, `${symbol}-aggTrades-2024-07-18.zip`);
    writeFileSync(path, zipSync({ [member]: strToU8(`${csv}\n`) }));
    return path;
  });
}

/** The capture as `pairdesk export --ticks` writes it: by symbol, then time; gzip-compressed. */
function writeTickExport(dir: string): string {
  const { ticks } = loadCapture();
  const rows = SYMBOLS.flatMap((symbol) =>
    ticks
      .filter((t) => t.symbol === symbol)
      .map((t) =>
        [t.symbol, t.tradeId, t.timeMs, t.priceText, t.qtyText, t.isBuyerMaker].join(','),
      ),
  );
  const path = join(dir, 'export-ticks.csv.gz');
  writeFileSync(path, gzipSync(`${[TICK_CSV_HEADER.join(','), ...rows].join('\n')}\n`));
  return path;
}

function transfers(events: readonly EventEnvelope[]): TransferProgress[] {
  return events
    .filter((e): e is EventEnvelope<'transfer'> => e.event === 'transfer')
    .map((e) => e.payload);
}

function messagesOf(app: PairDeskApp): number {
  return app.services.currentSession?.recorder.pipeline.snapshot().messages ?? 0;
}

describe('files.replay: aggTrades CSV zips through the feed path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-replay-files-'));
  const dbFile = join(dir, 'replay.db');
  let zips: string[] = [];
  let tickExport = '';
  let app: PairDeskApp | undefined;
  let ndjsonDataset = 0;
  let csvDataset = 0;

  beforeAll(() => {
    zips = writeAggTradesZips(dir);
    tickExport = writeTickExport(dir);
  });

  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const fileIds = (a: PairDeskApp): string[] => zips.map((z) => a.services.allowUserFile(z).id);

  it('two zips merged by time store the bars of the NDJSON replay', async () => {
    app = await startCaptureReplay(dbFile, 2_000);
    await replayStopped(app, 60_000);
    expect(app.services.source.state).toBe('ended');
    ndjsonDataset = app.services.source.datasetId;

    const events: EventEnvelope[] = [];
    app.host.subscribe((e) => events.push(e));
    const info = await app.host.handle('files.replay', { fileIds: fileIds(app), speed: 2_000 });
    expect(info).toMatchObject({
      kind: 'replay',
      state: 'running',
      label: 'Replay BTCUSDT-aggTrades-2024-07-18.zip + ETHUSDT-aggTrades-2024-07-18.zip',
      speed: 2_000,
    });
    await replayStopped(app, 60_000);
    const source = app.services.source;
    expect(source.error).toBeNull();
    expect(source.state).toBe('ended');
    expect(source.tradesReplayed).toBe(TRADES.BTCUSDT + TRADES.ETHUSDT);
    csvDataset = source.datasetId;
    expect(csvDataset).not.toBe(ndjsonDataset);

    const store = app.services.store;
    for (const symbol of SYMBOLS) {
      expect(store.tickCount(csvDataset, symbol)).toBe(TRADES[symbol as keyof typeof TRADES]);
      for (const tf of TIMEFRAMES_MS) {
        const want = store.bars(ndjsonDataset, symbol, tf);
        expect(want.length).toBeGreaterThan(0);
        expect(store.bars(csvDataset, symbol, tf), `${symbol} ${tf} ms`).toEqual(want);
      }
    }
    // Nothing rejected: merged by time, the feed clock never saw a trade from the past.
    expect(app.services.ingestStats().rejectsTotal).toBe(0);

    const progress = transfers(events);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(new Set(progress.map((p) => p.jobId)).size).toBe(1);
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({
      kind: 'replay',
      state: 'done',
      fraction: 1,
      datasetId: csvDataset,
    });
    expect(last.bytesTotal).toBeGreaterThan(0);
    expect(last.bytesDone).toBe(last.bytesTotal);
    // Header + one line per trade, each file.
    expect(last.lines).toBe(TRADES.BTCUSDT + TRADES.ETHUSDT + 2);
    expect(last.message).toMatch(/replayed 24,356 trades into dataset/);
  }, 120_000);

  it('restart plays the same files again into a new dataset with the same bars', async () => {
    if (!app) throw new Error('no app');
    const info = await app.host.handle('replay.control', { action: 'restart' });
    expect(info.datasetId).not.toBe(csvDataset);
    expect(info.label).toMatch(/^Replay BTCUSDT-aggTrades/);
    await replayStopped(app, 60_000);
    const again = app.services.source.datasetId;
    expect(app.services.source.tradesReplayed).toBe(TRADES.BTCUSDT + TRADES.ETHUSDT);
    for (const symbol of SYMBOLS) {
      expect(app.services.store.bars(again, symbol, 1_000)).toEqual(
        app.services.store.bars(csvDataset, symbol, 1_000),
      );
    }
  }, 60_000);

  it('pause stops the flow, resume goes on, a new speed re-paces; nothing is lost', async () => {
    if (!app) throw new Error('no app');
    const events: EventEnvelope[] = [];
    app.host.subscribe((e) => events.push(e));
    // The capture spans 8 min: 24 s at ×20.
    const startedAt = performance.now();
    await app.host.handle('files.replay', { fileIds: fileIds(app), speed: 20 });
    const a = app;
    await waitFor(() => messagesOf(a) > 500, 20_000, 'the first messages');

    // Progress at ×20: the share of bytes read, and an ETA of the data time left at ×20 (the
    // capture spans 480 s of data, so about 480 s × (1 − f) / 20). Loosely: these zips are small,
    // and a 16 KiB read ahead is several % of each, so the byte share leads the data played.
    await sleep(500);
    const running = transfers(events).filter((p) => p.state === 'running');
    const latest = running[running.length - 1];
    expect(latest.fraction).toBeGreaterThan(0);
    expect(latest.fraction).toBeLessThan(1);
    const expectedEta = (480_000 * (1 - (latest.fraction ?? 0))) / 20;
    expect(latest.etaMs).toBeGreaterThan(expectedEta * 0.3);
    expect(latest.etaMs).toBeLessThan(expectedEta * 2);
    expect(latest.linesPerSec).toBeGreaterThan(0);
    // ≤ 5 Hz: events at least ~200 ms apart while nothing is controlled.
    expect(running.length).toBeLessThanOrEqual(
      Math.ceil((performance.now() - startedAt) / 200) + 1,
    );

    const paused = await app.host.handle('replay.control', { action: 'pause' });
    expect(paused.paused).toBe(true);
    await sleep(300); // frames already on the socket
    const atPause = messagesOf(app);
    await sleep(1_200);
    expect(messagesOf(app)).toBe(atPause);
    expect(app.services.source.state).toBe('running');
    expect(transfers(events).some((p) => p.state === 'paused')).toBe(true);

    const resumed = await app.host.handle('replay.control', { action: 'resume' });
    expect(resumed.paused).toBe(false);
    await waitFor(() => messagesOf(a) > atPause, 5_000, 'messages after resume');

    const faster = await app.host.handle('replay.control', { action: 'speed', speed: 500 });
    expect(faster.speed).toBe(500);
    expect(app.services.settings.replaySpeed).toBe(500);
    const sourceEvents = events
      .filter((e): e is EventEnvelope<'source'> => e.event === 'source')
      .map((e) => e.payload);
    expect(sourceEvents.some((s: SourceInfo) => s.paused === true)).toBe(true);
    expect(sourceEvents.some((s: SourceInfo) => s.speed === 500)).toBe(true);

    await replayStopped(app, 30_000);
    expect(app.services.source.state).toBe('ended');
    const ds = app.services.source.datasetId;
    // The pause cost nothing: every trade stored, none rejected as late.
    expect(app.services.store.tickCount(ds, 'BTCUSDT')).toBe(TRADES.BTCUSDT);
    expect(app.services.store.tickCount(ds, 'ETHUSDT')).toBe(TRADES.ETHUSDT);
    expect(app.services.ingestStats().rejectsTotal).toBe(0);
    for (const symbol of SYMBOLS) {
      expect(app.services.store.bars(ds, symbol, 60_000)).toEqual(
        app.services.store.bars(ndjsonDataset, symbol, 60_000),
      );
    }
  }, 60_000);

  it('controls of an ended replay say why they cannot apply', async () => {
    if (!app) throw new Error('no app');
    await expect(app.host.handle('replay.control', { action: 'pause' })).rejects.toThrow(
      /the replay has ended: restart it/,
    );
  });

  it('a multi-file replay is restored, all of its files, after a restart of the services', async () => {
    await app?.stop();
    app = await startPairDeskApp({ dbFile });
    expect(app.services.source.label).toBe(
      'Replay BTCUSDT-aggTrades-2024-07-18.zip + ETHUSDT-aggTrades-2024-07-18.zip',
    );
    await replayStopped(app, 60_000);
    expect(app.services.source.tradesReplayed).toBe(TRADES.BTCUSDT + TRADES.ETHUSDT);
  }, 60_000);

  it('a PairDesk tick export (sorted by symbol) replays merged by time into the same bars', async () => {
    if (!app) throw new Error('no app');
    const { id } = app.services.allowUserFile(tickExport);
    const info = await app.host.handle('files.replay', {
      fileIds: [id],
      speed: 2_000,
      name: 'capture as ticks',
    });
    expect(info.label).toBe('Replay capture as ticks');
    expect(info.fileName).toBe('export-ticks.csv.gz');
    expect(app.services.store.getDataset(info.datasetId)?.label).toBe('Replay capture as ticks');
    await replayStopped(app, 60_000);
    const ds = app.services.source.datasetId;
    expect(app.services.source.error).toBeNull();
    expect(app.services.source.tradesReplayed).toBe(TRADES.BTCUSDT + TRADES.ETHUSDT);
    expect(app.services.ingestStats().rejectsTotal).toBe(0);
    for (const symbol of SYMBOLS) {
      for (const tf of TIMEFRAMES_MS) {
        expect(app.services.store.bars(ds, symbol, tf), `${symbol} ${tf} ms`).toEqual(
          app.services.store.bars(ndjsonDataset, symbol, tf),
        );
      }
    }
  }, 60_000);

  it('the views follow a replay of other symbols than the pair viewed', async () => {
    if (!app) throw new Error('no app');
    // BTCUSDT's trades under another name: the member's name says the symbol.
    const sol = join(dir, 'SOLUSDT-aggTrades-2024-07-18.zip');
    const [csv] = Object.values(unzipSync(readFileSync(zips[0])));
    writeFileSync(sol, zipSync({ 'SOLUSDT-aggTrades-2024-07-18.csv': csv }));
    const ids = [sol, zips[1]].map((z) => app?.services.allowUserFile(z).id ?? '');
    const info = await app.host.handle('files.replay', { fileIds: ids, speed: 2_000 });
    expect(info.state).toBe('running');
    expect(app.services.settings.symbols).toEqual(['ETHUSDT', 'SOLUSDT']);
    expect([app.services.settings.pairA, app.services.settings.pairB]).toEqual([
      'ETHUSDT',
      'SOLUSDT',
    ]);
    await replayStopped(app, 60_000);
    expect(app.services.store.tickCount(app.services.source.datasetId, 'SOLUSDT')).toBe(
      TRADES.BTCUSDT,
    );
  }, 60_000);
});
