/**
 * CSV exports (issue #10) over real SQLite files and real files in a tmp dir: file names, the
 * browser-mode download folder, the save-dialog path through a plain `Platform` object, ranges,
 * cancel (no file left), progress rate, reject reports, and the analytics series byte-identical
 * to `pairdesk analyze`'s analytics.csv for the same bars.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRow } from '../../../../src/core/csv/csvWriter';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/core/contract/contract';
import type { ExportRequest, TransferProgress } from '../../../../src/core/contract/files';
import type { Bar } from '../../../../src/core/market/types';
import { ingestFiles } from '../../../../src/main/analyze/ingestFiles';
import { runAnalyze } from '../../../../src/main/analyze/runAnalyze';
import { ExportService } from '../../../../src/main/files/export/exportService';
import {
  exportFileName,
  rejectsFileName,
  utcMinuteStamp,
} from '../../../../src/main/files/export/fileNames';
import type { FileFilter, Platform } from '../../../../src/main/platform/interfaces';
import { PairDeskStore } from '../../../../src/main/store/store';
import { makeTick } from '../../store/helpers';
import { UM_2024_07_18 } from '../../../support/realData';

const dir = mkdtempSync(join(tmpdir(), 'pairdesk-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 2024-07-18T23:57:00Z: the seed's first minute. */
const T0 = Date.UTC(2024, 6, 18, 23, 57);

function bar(symbol: string, startMs: number, close: number): Bar {
  return {
    symbol,
    timeframeMs: 60_000,
    startMs,
    open: close - 1,
    high: close + 2,
    low: close - 2,
    close,
    volume: 1.5,
    quoteVolume: close * 1.5,
    trades: 3,
    takerBuyVolume: 0.5,
    vwap: close + 0.25,
  };
}

let store: PairDeskStore;
let datasetId: number;
const dataDir = join(dir, 'data');

beforeAll(() => {
  store = PairDeskStore.open(join(dir, 'x.db'));
  const ds = store.createDataset('replay', 'seed 001', 'um.ndjson');
  datasetId = ds.id;
  // 9 one-minute bars per symbol, 23:57 … 00:05, and ticks through the same span.
  for (let k = 0; k <= 8; k++) {
    store.enqueueBar(ds.id, bar('BTCUSDT', T0 + k * 60_000, 64_000 + k * 3));
    store.enqueueBar(ds.id, bar('ETHUSDT', T0 + k * 60_000, 3_400 + ((k * 7) % 5)));
  }
  for (let i = 1; i <= 540; i++) {
    const timeMs = T0 + i * 1000;
    store.enqueueTick(ds.id, makeTick(i, { symbol: 'BTCUSDT', timeMs }));
    store.enqueueTick(ds.id, makeTick(i, { symbol: 'ETHUSDT', timeMs: timeMs + 1 }));
  }
  store.flush();
});
afterAll(() => store.close());

function service(over: { platform?: Platform; settings?: Partial<Settings> } = {}) {
  const events: TransferProgress[] = [];
  const svc = new ExportService({
    store,
    dataDir,
    platform: over.platform,
    settings: () => ({ ...DEFAULT_SETTINGS, ...over.settings }),
    viewedDatasetId: () => datasetId,
    onProgress: (p) => events.push(p),
  });
  return { svc, events };
}

/** A Platform whose save dialog answers from a queue and records what it was asked. */
function fakePlatform(answers: (string | null)[]) {
  const asked: { defaultName: string; filters: FileFilter[] }[] = [];
  const platform: Platform = {
    notifier: { notify: () => undefined },
    saveDialog: {
      askSavePath: (defaultName, filters) => {
        asked.push({ defaultName, filters });
        return Promise.resolve(answers.shift() ?? null);
      },
    },
  };
  return { platform, asked };
}

/** The pre-#10 CLI's tick export text (kept here to prove the shared writer changed nothing). */
function legacyTicksCsv(): string {
  let s = csvRow(['symbol', 'trade_id', 'time_ms', 'price', 'qty', 'is_buyer_maker']);
  for (const t of store.ticks(datasetId)) {
    s += csvRow([t.symbol, t.tradeId, t.timeMs, t.priceText, t.qtyText, t.isBuyerMaker]);
  }
  return s;
}

describe('file names', () => {
  it('follows the seed 001 rule', () => {
    expect(utcMinuteStamp(Date.UTC(2024, 6, 18, 23, 57, 59, 999))).toBe('20240718T2357Z');
    expect(
      exportFileName({
        what: 'analytics',
        symbols: ['BTCUSDT', 'ETHUSDT'],
        timeframe: '1m',
        firstMs: T0,
        lastMs: T0 + 8 * 60_000,
      }),
    ).toBe('BTCUSDT-ETHUSDT-1m-analytics-20240718T2357Z-20240719T0005Z.csv');
    expect(
      exportFileName({
        what: 'bars',
        symbols: ['ETHUSDT'],
        timeframe: '5m',
        firstMs: 0,
        lastMs: 0,
      }),
    ).toBe('ETHUSDT-5m-bars-19700101T0000Z-19700101T0000Z.csv');
    expect(exportFileName({ what: 'ticks', symbols: ['A/B'], firstMs: null, lastMs: null })).toBe(
      'A_B-ticks.csv',
    );
    expect(
      exportFileName({ what: 'ticks', symbols: ['A', 'B', 'C', 'D', 'E'], firstMs: 0, lastMs: 0 }),
    ).toBe('A-and-4-more-ticks-19700101T0000Z-19700101T0000Z.csv');
    expect(rejectsFileName('r-7')).toBe('import-rejects-r-7.csv');
  });
});

describe('browser mode (no save dialog)', () => {
  it('writes ticks under downloads/<jobId>/ byte-identical to the CLI writer, with progress', async () => {
    const { svc, events } = service();
    const r = await svc.run({ what: 'ticks' }, undefined, 'job-ticks');
    const name = 'BTCUSDT-ETHUSDT-ticks-20240718T2357Z-20240719T0006Z.csv';
    expect(r).toEqual({
      jobId: 'job-ticks',
      fileName: name,
      savedTo: null,
      downloadUrl: '/files/download/job-ticks',
      rows: 1080,
      bytes: statSync(join(dataDir, 'downloads', 'job-ticks', name)).size,
      cancelled: false,
    });
    expect(readFileSync(join(dataDir, 'downloads', 'job-ticks', name), 'utf8')).toBe(
      legacyTicksCsv(),
    );
    const last = events[events.length - 1];
    expect(last).toMatchObject({
      jobId: 'job-ticks',
      kind: 'export',
      label: name,
      state: 'done',
      lines: 1080,
      bytesDone: r.bytes,
      fraction: 1,
      datasetId,
      message: `exported 1,080 rows to ${name}`,
    });
    expect(events[0]).toMatchObject({ state: 'running', lines: 0 });
  });

  it('exports the pair’s bars over an inclusive range, named after the first and last row', async () => {
    const { svc } = service();
    const req: ExportRequest = {
      what: 'bars',
      symbols: ['BTCUSDT', 'ETHUSDT'],
      timeframe: '1m',
      fromMs: T0 + 2 * 60_000,
      toMs: T0 + 4 * 60_000,
    };
    const r = await svc.run(req, undefined, 'job-range');
    expect(r.fileName).toBe('BTCUSDT-ETHUSDT-1m-bars-20240718T2359Z-20240719T0001Z.csv');
    const lines = readFileSync(join(dataDir, 'downloads', 'job-range', r.fileName), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines[0]).toBe(
      'symbol,start_ms,open,high,low,close,volume,quote_volume,trades,taker_buy_volume,vwap',
    );
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(' '))).toEqual([
      `BTCUSDT ${T0 + 120_000}`,
      `BTCUSDT ${T0 + 180_000}`,
      `BTCUSDT ${T0 + 240_000}`,
      `ETHUSDT ${T0 + 120_000}`,
      `ETHUSDT ${T0 + 180_000}`,
      `ETHUSDT ${T0 + 240_000}`,
    ]);
    expect(lines[1]).toBe(
      csvRow(Object.values(barRow(bar('BTCUSDT', T0 + 120_000, 64_006)))).trim(),
    );
    expect(r.rows).toBe(6);
  });

  it('exports one symbol’s ticks over a range', async () => {
    const { svc } = service();
    const r = await svc.run(
      { what: 'ticks', symbols: ['ETHUSDT'], fromMs: T0 + 10_001, toMs: T0 + 12_001 },
      undefined,
      'job-eth',
    );
    expect(r.fileName).toBe('ETHUSDT-ticks-20240718T2357Z-20240718T2357Z.csv');
    const text = readFileSync(join(dataDir, 'downloads', 'job-eth', r.fileName), 'utf8');
    expect(
      text
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[1]),
    ).toEqual(['10', '11', '12']);
  });

  it('refuses an unknown dataset or report in plain words, writing nothing', async () => {
    const { svc, events } = service();
    await expect(svc.run({ what: 'ticks', datasetId: 999 })).rejects.toThrow(
      'there is no dataset 999',
    );
    await expect(svc.run({ what: 'rejects', reportId: '../x' })).rejects.toThrow(
      '"../x" is not a report id',
    );
    await expect(svc.run({ what: 'rejects', reportId: 'gone' })).rejects.toThrow(
      'the reject report gone no longer exists',
    );
    await expect(
      service({ settings: { pairA: 'BTCUSDT', pairB: 'SOLUSDT', timeframe: '1m' } }).svc.run({
        what: 'analytics',
      }),
    ).rejects.toThrow(`no 1m bars of SOLUSDT in dataset ${datasetId}`);
    expect(events).toEqual([]);
  });

  it('copies a reject report as written by the importer', async () => {
    const report =
      'file,line,reason,field,message\n' +
      'a.csv,3,bad-number,price,"price ""x"" is not a number"\n' +
      'a.csv,9,too-few-columns,,"3 columns, expected 7"\n';
    mkdirSync(join(dataDir, 'reports'), { recursive: true });
    writeFileSync(join(dataDir, 'reports', 'rep-1.csv'), report);
    const { svc } = service();
    const r = await svc.run({ what: 'rejects', reportId: 'rep-1' }, undefined, 'job-rej');
    expect(r).toMatchObject({ fileName: 'import-rejects-rep-1.csv', rows: 2, cancelled: false });
    expect(readFileSync(join(dataDir, 'downloads', 'job-rej', r.fileName), 'utf8')).toBe(report);
  });
});

function barRow(b: Bar) {
  return {
    symbol: b.symbol,
    startMs: b.startMs,
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    volume: b.volume,
    quoteVolume: b.quoteVolume,
    trades: b.trades,
    takerBuyVolume: b.takerBuyVolume,
    vwap: b.vwap,
  };
}

describe('save dialog (Electron)', () => {
  it('asks with the default name and a CSV filter, and writes where the user chose', async () => {
    const target = join(dir, 'chosen.csv');
    const { platform, asked } = fakePlatform([target]);
    const { svc } = service({ platform });
    const r = await svc.run({ what: 'bars', symbols: ['ETHUSDT'], timeframe: '1m' });
    expect(asked).toEqual([
      {
        defaultName: 'ETHUSDT-1m-bars-20240718T2357Z-20240719T0005Z.csv',
        filters: [{ name: 'CSV', extensions: ['csv'] }],
      },
    ]);
    expect(r).toMatchObject({ savedTo: target, downloadUrl: null, rows: 9, cancelled: false });
    expect(readFileSync(target, 'utf8').split('\n')).toHaveLength(11); // header, 9 rows, ''
  });

  it('a path that cannot be written fails in plain words, with a final failed event', async () => {
    const target = join(dir, 'no-such-folder', 'x.csv');
    const { platform } = fakePlatform([target]);
    const { svc, events } = service({ platform });
    await expect(svc.run({ what: 'ticks' })).rejects.toThrow(
      `cannot write ${target}: the folder does not exist`,
    );
    expect(events.map((e) => [e.state, e.message])).toEqual([
      ['running', null],
      ['failed', `export failed: cannot write ${target}: the folder does not exist`],
    ]);
  });

  it('a cancelled dialog writes nothing and reports cancelled', async () => {
    const { platform } = fakePlatform([null]);
    const { svc, events } = service({ platform });
    const before = readdirSync(dir).sort();
    const r = await svc.run({ what: 'ticks' }, undefined, 'job-no');
    expect(r).toEqual({
      jobId: 'job-no',
      fileName: 'BTCUSDT-ETHUSDT-ticks-20240718T2357Z-20240719T0006Z.csv',
      savedTo: null,
      downloadUrl: null,
      rows: 0,
      bytes: 0,
      cancelled: true,
    });
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(events).toEqual([]);
  });
});

describe('cancel and progress rate', () => {
  it('a cancelled export deletes its partial file; progress stays ≤ 5 Hz', async () => {
    const big = store.createDataset('replay', 'big');
    for (let i = 1; i <= 400_000; i++) store.enqueueTick(big.id, makeTick(i));
    store.flush();
    const target = join(dir, 'cancelled.csv');
    const ac = new AbortController();
    const { platform } = fakePlatform([target]);
    const events: TransferProgress[] = [];
    const times: number[] = [];
    const svc = new ExportService({
      store,
      dataDir,
      platform,
      settings: () => DEFAULT_SETTINGS,
      viewedDatasetId: () => big.id,
      onProgress: (p) => {
        events.push(p);
        times.push(performance.now());
        // Cancel at the second rate-limited event: rows are on disk by then.
        if (events.filter((e) => e.lines > 0).length === 2) ac.abort();
      },
    });
    const r = await svc.run({ what: 'ticks' }, ac.signal);
    expect(r.cancelled).toBe(true);
    expect(r.savedTo).toBeNull();
    expect(existsSync(target)).toBe(false);
    const last = events[events.length - 1];
    expect(last.state).toBe('cancelled');
    expect(last.message).toBe('export cancelled; the partial file was deleted');
    expect(last.lines).toBeGreaterThan(0);
    expect(last.lines).toBeLessThan(400_000);
    const running = times.slice(1, -1); // between the start event and the final one
    for (let i = 1; i < running.length; i++) {
      expect(running[i] - running[i - 1]).toBeGreaterThanOrEqual(195);
    }
    const mid = events.find((e) => e.state === 'running' && e.lines > 0);
    expect(mid?.fraction).toBeGreaterThan(0);
    expect(mid?.fraction).toBeLessThan(1);
    expect(mid?.etaMs).toBeGreaterThan(0);
    store.deleteDataset(big.id);
  });

  it('a cancel in browser mode removes the download folder', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await service().svc.run({ what: 'ticks' }, ac.signal, 'job-gone');
    expect(r.cancelled).toBe(true);
    expect(existsSync(join(dataDir, 'downloads', 'job-gone'))).toBe(false);
  });
});

describe('analytics', () => {
  it('is byte-identical to `analyze`’s analytics.csv for the same bars', async () => {
    // Bars of the real capture built by analyze's own ingest, stored as a dataset's 1 s bars.
    const { bars } = await ingestFiles({
      files: [UM_2024_07_18],
      symbols: ['BTCUSDT', 'ETHUSDT'],
      timeframeMs: 1000,
      now: () => Date.UTC(2025, 0, 1),
    });
    const ds = store.createDataset('replay', 'capture');
    for (const [symbol, list] of bars) {
      for (const b of list)
        store.enqueueBar(ds.id, { ...bar(symbol, b.startMs, b.close), timeframeMs: 1000 });
    }
    store.flush();
    const cliCsv = join(dir, 'analyze.csv');
    await runAnalyze({
      files: [UM_2024_07_18],
      symbolA: 'BTCUSDT',
      symbolB: 'ETHUSDT',
      timeframe: '1s',
      window: 30,
      hedge: 'rolling',
      csvPath: cliCsv,
      now: () => Date.UTC(2025, 0, 1),
    });
    const svc = new ExportService({
      store,
      dataDir,
      settings: () => ({
        ...DEFAULT_SETTINGS,
        pairA: 'BTCUSDT',
        pairB: 'ETHUSDT',
        timeframe: '1s',
        rollingWindow: 30,
        hedgeMethod: 'rolling',
      }),
      viewedDatasetId: () => ds.id,
      onProgress: () => undefined,
    });
    const r = await svc.run(
      { what: 'analytics', fromMs: 0, toMs: Date.UTC(2030, 0, 1) },
      undefined,
      'job-an',
    );
    expect(r.fileName).toMatch(
      /^BTCUSDT-ETHUSDT-1s-analytics-20240718T235\dZ-20240719T00\d\dZ\.csv$/,
    );
    const ours = readFileSync(join(dataDir, 'downloads', 'job-an', r.fileName), 'utf8');
    expect(ours.length).toBeGreaterThan(10_000);
    expect(ours).toBe(readFileSync(cliCsv, 'utf8'));
    expect(r.rows).toBe(ours.split('\n').length - 2);
  });
});
