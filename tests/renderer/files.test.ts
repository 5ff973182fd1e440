/**
 * The renderer's "files in and out" (issue #10): the import sheet's store (inspect, symbols,
 * request, Import then open the dataset, Replay), transfer events merged per job, the dataset
 * manager's store (list, event, rename, delete refused when active), exports (save dialog vs
 * browser download), the upload helper's progress and errors, and the texts of the panel.
 */
import { describe, expect, it, vi } from 'vitest';
import type {
  DatasetSummary,
  ExportResult,
  FileInspection,
  ImportResult,
  TransferProgress,
} from '../../src/core/contract/contract';
import { SYMBOL_PATTERN as CONTRACT_SYMBOL_PATTERN } from '../../src/core/contract/schemas';
import { warmupText } from '../../src/renderer/components/WarmupMessage';
import { shortcutFor } from '../../src/renderer/lib/keyboard';
import {
  bytesText,
  etaText,
  percent,
  rateText,
  titleText,
} from '../../src/renderer/lib/transferText';
import { SYMBOL_PATTERN } from '../../src/renderer/lib/validation';
import {
  cleanLabel,
  connectDatasets,
  createDatasetsStore,
  deleteDataset,
  renameDataset,
} from '../../src/renderer/state/datasetsStore';
import {
  barsExportRequest,
  exportOutcome,
  runExport,
  visibleRange,
} from '../../src/renderer/state/exports';
import {
  buildImportRequest,
  canReplay,
  createImportStore,
  defaultDatasetName,
  importBlocker,
  inspectPicked,
  startImport,
  startReplay,
  symbolError,
} from '../../src/renderer/state/importStore';
import {
  connectTransfers,
  createTransfersStore,
  MAX_FINISHED,
  mergeTransfer,
} from '../../src/renderer/state/transfersStore';
import { parsePickedFile, uploadFile, uploadUrl } from '../../src/renderer/transport/upload';
import type { XhrLike } from '../../src/renderer/transport/upload';
import { sourceInfo } from '../support/sourceInfo';
import { fakeApi, tick } from './helpers';

function inspection(over: Partial<FileInspection> = {}): FileInspection {
  return {
    fileId: 'f1',
    name: 'BTCUSDT-aggTrades-2024-07-18.csv',
    member: null,
    container: 'plain',
    sizeBytes: 1234,
    format: 'aggTrades',
    reason: 'header matches futures aggTrades; times in ms',
    symbols: ['BTCUSDT'],
    needsSymbol: false,
    barsTimeframe: null,
    replayable: true,
    ...over,
  };
}

function progress(over: Partial<TransferProgress> = {}): TransferProgress {
  return {
    jobId: 'j1',
    kind: 'import',
    label: 'a.csv',
    state: 'running',
    bytesDone: 10,
    bytesTotal: 100,
    lines: 5,
    linesPerSec: 1000,
    fraction: 0.1,
    etaMs: 9000,
    datasetId: null,
    message: null,
    ...over,
  };
}

function importResult(over: Partial<ImportResult> = {}): ImportResult {
  return {
    jobId: 'j1',
    datasetId: 7,
    state: 'done',
    files: [],
    ticks: 500,
    bars: 12,
    rejects: { total: 0, byReason: {}, first: [], reportId: null },
    elapsedMs: 800,
    message: 'imported 500 ticks of BTCUSDT into dataset 7',
    ...over,
  };
}

function dataset(over: Partial<DatasetSummary> = {}): DatasetSummary {
  return {
    id: 7,
    origin: 'import',
    label: 'BTCUSDT day',
    source: 'BTCUSDT-aggTrades-2024-07-18.csv',
    symbols: ['BTCUSDT'],
    firstMs: 1_721_260_800_000,
    lastMs: 1_721_347_199_000,
    ticks: 500,
    bars: 12,
    barsOnly: null,
    sizeBytes: 3 * 1024 * 1024,
    createdMs: 1,
    active: false,
    ...over,
  };
}

describe('import sheet store', () => {
  it('inspects the picked files and opens the sheet with a default name', async () => {
    const { api, calls } = fakeApi({ 'files.inspect': () => [inspection()] });
    const store = createImportStore();
    await inspectPicked(store, api, [
      { id: 'f1', name: 'BTCUSDT-aggTrades-2024-07-18.csv', sizeBytes: 1234 },
    ]);
    expect(calls).toEqual([{ channel: 'files.inspect', request: { fileIds: ['f1'] } }]);
    expect(store.getState().phase).toBe('ready');
    expect(store.getState().name).toBe('BTCUSDT-aggTrades-2024-07-18');
    expect(store.getState().inspections).toHaveLength(1);
  });

  it('shows why inspecting failed, and closes when nothing was picked', async () => {
    const { api } = fakeApi({
      'files.inspect': () => {
        throw new Error('file f9 is not registered');
      },
    });
    const store = createImportStore();
    await inspectPicked(store, api, [{ id: 'f9', name: 'x.csv', sizeBytes: 1 }]);
    expect(store.getState().error).toBe('file f9 is not registered');
    await inspectPicked(store, api, []);
    expect(store.getState().phase).toBe('ready'); // an open sheet stays
    store.getState().close();
    expect(store.getState().phase).toBe('closed');
  });

  it('builds the request: recognised files once each, typed symbols upper-cased', () => {
    const inspections = [
      inspection({ fileId: 'z', name: 'day.zip', container: 'zip', member: 'a.csv' }),
      inspection({ fileId: 'z', name: 'day.zip', container: 'zip', member: 'b.csv' }),
      inspection({ fileId: 'n', name: 'trades.csv', symbols: [], needsSymbol: true }),
      inspection({ fileId: 'u', name: 'notes.txt', format: null, replayable: false }),
    ];
    const state = { inspections, symbols: { n: ' ethusdt ' }, name: '  July day ' };
    expect(importBlocker(state)).toBeNull();
    expect(buildImportRequest(state)).toEqual({
      fileIds: ['z', 'n'],
      name: 'July day',
      symbols: { n: 'ETHUSDT' },
    });
    expect(importBlocker({ ...state, symbols: { n: 'eth-usdt' } })).toBe(
      'Type the missing symbols first',
    );
    expect(importBlocker({ ...state, inspections: [inspections[3]] })).toBe(
      'No file here is in a known format',
    );
  });

  it('validates symbols with the contract pattern and offers Replay for trade files only', () => {
    expect(SYMBOL_PATTERN.source).toBe(CONTRACT_SYMBOL_PATTERN.source);
    expect(symbolError('btcusdt')).toBeNull();
    expect(symbolError('')).toMatch(/Type the symbol/);
    expect(symbolError('BTC/USDT')).toMatch(/not a symbol/);
    expect(canReplay([inspection(), inspection({ format: null, replayable: false })])).toBe(true);
    expect(canReplay([inspection(), inspection({ format: 'klines', replayable: false })])).toBe(
      false,
    );
    expect(canReplay([])).toBe(false);
    expect(
      defaultDatasetName([
        { id: 'a', name: 'BTCUSDT-aggTrades-2024-07-18.zip', sizeBytes: 1 },
        { id: 'b', name: 'ETHUSDT-aggTrades-2024-07-18.csv.gz', sizeBytes: 1 },
      ]),
    ).toBe('BTCUSDT-aggTrades-2024-07-18 + ETHUSDT-aggTrades-2024-07-18');
  });

  it('imports, shows the result card and opens the new dataset', async () => {
    const opened = sourceInfo({ kind: 'replay', datasetId: 7, stored: true, label: 'day' });
    const { api, calls } = fakeApi({
      'files.inspect': () => [inspection()],
      'files.import': () => importResult(),
      'datasets.open': () => opened,
    });
    const store = createImportStore();
    const transfers = createTransfersStore();
    const sources: unknown[] = [];
    await inspectPicked(store, api, [{ id: 'f1', name: 'a.csv', sizeBytes: 1 }]);
    const result = await startImport(store, api, { transfers, onSource: (s) => sources.push(s) });
    expect(result?.datasetId).toBe(7);
    expect(calls.map((c) => c.channel)).toEqual(['files.inspect', 'files.import', 'datasets.open']);
    expect(calls[2].request).toEqual({ id: 7 });
    expect(store.getState().phase).toBe('closed');
    expect(transfers.getState().importResult?.ticks).toBe(500);
    expect(sources).toEqual([opened]);
  });

  it('a cancelled import opens nothing; a refused one reopens the sheet with the reason', async () => {
    const { api, calls } = fakeApi({
      'files.inspect': () => [inspection()],
      'files.import': () => importResult({ state: 'cancelled', datasetId: null }),
    });
    const store = createImportStore();
    const transfers = createTransfersStore();
    await inspectPicked(store, api, [{ id: 'f1', name: 'a.csv', sizeBytes: 1 }]);
    await startImport(store, api, { transfers, onSource: () => {} });
    expect(calls.map((c) => c.channel)).not.toContain('datasets.open');
    expect(transfers.getState().importResult?.state).toBe('cancelled');

    const refusing = fakeApi({
      'files.inspect': () => [inspection()],
      'files.import': () => {
        throw new Error('another import is running');
      },
    });
    await inspectPicked(store, refusing.api, [{ id: 'f1', name: 'a.csv', sizeBytes: 1 }]);
    store.getState().setName('mine');
    expect(await startImport(store, refusing.api, { transfers, onSource: () => {} })).toBeNull();
    expect(store.getState().phase).toBe('ready');
    expect(store.getState().name).toBe('mine');
    expect(store.getState().error).toBe('Import failed: another import is running');
  });

  it('replays at the chosen speed and hands over the new source', async () => {
    const replaying = sourceInfo({ kind: 'replay', speed: 50, datasetId: 9 });
    const { api, calls } = fakeApi({
      'files.inspect': () => [inspection()],
      'files.replay': () => replaying,
    });
    const store = createImportStore();
    const sources: unknown[] = [];
    await inspectPicked(store, api, [{ id: 'f1', name: 'a.csv', sizeBytes: 1 }]);
    store.getState().setSpeed(50);
    await startReplay(store, api, {
      transfers: createTransfersStore(),
      onSource: (s) => sources.push(s),
    });
    expect(calls[1]).toEqual({
      channel: 'files.replay',
      request: { fileIds: ['f1'], name: 'a', speed: 50 },
    });
    expect(sources).toEqual([replaying]);
    expect(store.getState().phase).toBe('closed');
  });
});

describe('transfers store', () => {
  it('puts new jobs first, updates in place, never revives a finished job', () => {
    let jobs = mergeTransfer([], progress({ jobId: 'a' }));
    jobs = mergeTransfer(jobs, progress({ jobId: 'b', kind: 'export' }));
    expect(jobs.map((j) => j.jobId)).toEqual(['b', 'a']);
    jobs = mergeTransfer(jobs, progress({ jobId: 'a', state: 'done', fraction: 1 }));
    expect(jobs.map((j) => `${j.jobId}:${j.state}`)).toEqual(['b:running', 'a:done']);
    jobs = mergeTransfer(jobs, progress({ jobId: 'a', state: 'running', fraction: 0.5 }));
    expect(jobs[1].state).toBe('done');
  });

  it(`keeps ${MAX_FINISHED} finished jobs and every running one`, () => {
    let jobs: TransferProgress[] = [progress({ jobId: 'live', kind: 'replay' })];
    for (let i = 0; i < MAX_FINISHED + 3; i++) {
      jobs = mergeTransfer(jobs, progress({ jobId: `x${i}`, state: 'done' }));
    }
    expect(jobs).toHaveLength(MAX_FINISHED + 1);
    expect(jobs.some((j) => j.jobId === 'live')).toBe(true);
    expect(jobs[0].jobId).toBe(`x${MAX_FINISHED + 2}`);
  });

  it('follows transfer events until disconnected', () => {
    const { api, emit, count } = fakeApi();
    const store = createTransfersStore();
    const disconnect = connectTransfers(store, api);
    emit('transfer', progress({ fraction: 0.25 }));
    emit('transfer', progress({ fraction: 0.5 }));
    expect(store.getState().jobs).toEqual([progress({ fraction: 0.5 })]);
    disconnect();
    expect(count()).toBe(0);
  });

  it('a done job leaves the panel by itself; a failed or cancelled one stays until dismissed', () => {
    vi.useFakeTimers();
    try {
      const { api, emit } = fakeApi();
      const store = createTransfersStore();
      const disconnect = connectTransfers(store, api, 1_000);
      emit('transfer', progress({ jobId: 'a', state: 'done', fraction: 1 }));
      emit('transfer', progress({ jobId: 'b', state: 'failed' }));
      emit('transfer', progress({ jobId: 'c', state: 'cancelled' }));
      expect(store.getState().jobs.map((j) => j.jobId)).toEqual(['c', 'b', 'a']);
      vi.advanceTimersByTime(999);
      expect(store.getState().jobs).toHaveLength(3);
      vi.advanceTimersByTime(1);
      expect(store.getState().jobs.map((j) => j.jobId)).toEqual(['c', 'b']);
      disconnect();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says percentage, rate, ETA and bytes in words', () => {
    expect(percent(0.999)).toBe(99);
    expect(percent(1.2)).toBe(100);
    expect(percent(null)).toBeNull();
    expect(rateText(progress({ linesPerSec: 123_456.7 }))).toBe('123,457 lines/s');
    expect(rateText(progress({ kind: 'export', linesPerSec: 12.34 }))).toBe('12.3 rows/s');
    expect(etaText(progress({ etaMs: 65_000 }))).toBe('ETA 1 min 5 s');
    expect(etaText(progress({ state: 'paused' }))).toBe('ETA —');
    expect(bytesText(progress({ bytesDone: 1536, bytesTotal: 0 }))).toBe('1.5 KB read');
    expect(bytesText(progress({ bytesDone: 1024, bytesTotal: 2048 }))).toBe('1.0 KB of 2.0 KB');
    expect(titleText(progress({ kind: 'replay', label: 'day.zip' }))).toBe('Replay · day.zip');
  });
});

describe('datasets store', () => {
  it('loads the list, then follows the datasets event', async () => {
    const { api, emit } = fakeApi({ 'datasets.list': () => [dataset()] });
    const store = createDatasetsStore();
    const disconnect = connectDatasets(store, api);
    await tick();
    expect(store.getState().load).toBe('ready');
    expect(store.getState().rows.map((r) => r.id)).toEqual([7]);
    emit('datasets', [dataset({ id: 8 }), dataset()]);
    expect(store.getState().rows.map((r) => r.id)).toEqual([8, 7]);
    disconnect();
  });

  it('renames with a trimmed label and refuses an empty one', async () => {
    const { api, calls } = fakeApi({
      'datasets.rename': (r) => dataset({ label: (r as { label: string }).label }),
    });
    const store = createDatasetsStore();
    store.getState().setRows([dataset()]);
    expect(await renameDataset(store, api, 7, '  July  ')).toBe(true);
    expect(calls[0].request).toEqual({ id: 7, label: 'July' });
    expect(store.getState().rows[0].label).toBe('July');
    expect(await renameDataset(store, api, 7, '   ')).toBe(false);
    expect(store.getState().message).toBe('A dataset name cannot be empty');
    expect(calls).toHaveLength(1);
    expect(cleanLabel('x'.repeat(300))).toHaveLength(200);
  });

  it('deletes with the reclaimed size in the message; never an active dataset', async () => {
    const { api, calls } = fakeApi({
      'datasets.delete': () => ({ deleted: true, reclaimedBytes: 2 * 1024 * 1024 }),
    });
    const store = createDatasetsStore();
    store.getState().setRows([dataset(), dataset({ id: 1, active: true, label: 'live' })]);
    expect(await deleteDataset(store, api, store.getState().rows[1])).toBe(false);
    expect(calls).toHaveLength(0);
    expect(store.getState().message).toMatch(/"live" \(dataset 1, 3\.0 MB\) is in use/);
    expect(await deleteDataset(store, api, store.getState().rows[0])).toBe(true);
    expect(store.getState().rows.map((r) => r.id)).toEqual([1]);
    expect(store.getState().message).toBe(
      'Deleted "BTCUSDT day" (dataset 7, 3.0 MB): 2.0 MB reclaimed',
    );
  });
});

describe('exports', () => {
  const result = (over: Partial<ExportResult> = {}): ExportResult => ({
    jobId: 'e1',
    fileName: 'BTCUSDT-1m-bars.csv',
    savedTo: null,
    downloadUrl: null,
    rows: 12_345,
    bytes: 999,
    cancelled: false,
    ...over,
  });

  it('browser mode follows the download URL; Electron says where it saved', async () => {
    const transfers = createTransfersStore();
    const downloads: string[] = [];
    const browser = fakeApi({
      'export.csv': () => result({ downloadUrl: '/files/download/e1' }),
    });
    await runExport(browser.api, { what: 'ticks' }, transfers, (url, name) =>
      downloads.push(`${url} ${name}`),
    );
    expect(downloads).toEqual(['/files/download/e1 BTCUSDT-1m-bars.csv']);
    expect(transfers.getState().exportMessage).toBe(
      'Downloaded 12,345 rows as BTCUSDT-1m-bars.csv',
    );
    const electron = fakeApi({ 'export.csv': () => result({ savedTo: '/home/u/b.csv' }) });
    await runExport(electron.api, { what: 'ticks' }, transfers, () => downloads.push('no'));
    expect(downloads).toHaveLength(1);
    expect(transfers.getState().exportMessage).toBe('Saved 12,345 rows to /home/u/b.csv');
    expect(exportOutcome(result())).toBe('Export of BTCUSDT-1m-bars.csv cancelled');
    const failing = fakeApi({
      'export.csv': () => {
        throw new Error('no such report');
      },
    });
    expect(await runExport(failing.api, { what: 'rejects', reportId: 'r1' }, transfers)).toBe(null);
    expect(transfers.getState().exportMessage).toBe('Could not export: no such report');
  });

  it('builds bars requests for the pair or one leg, a range or the whole dataset', () => {
    const settings = { pairA: 'BTCUSDT', pairB: 'ETHUSDT', timeframe: '1m' as const };
    expect(barsExportRequest(settings, 'pair', { fromMs: 1, toMs: 2 })).toEqual({
      what: 'bars',
      symbols: ['BTCUSDT', 'ETHUSDT'],
      timeframe: '1m',
      fromMs: 1,
      toMs: 2,
    });
    expect(barsExportRequest(settings, 'b', null, 4)).toEqual({
      what: 'bars',
      symbols: ['ETHUSDT'],
      timeframe: '1m',
      datasetId: 4,
    });
  });

  it('takes the zoom window inside the held range, else the held range', () => {
    const held = { fromMs: 1000, toMs: 9000 };
    expect(visibleRange({ startValue: 2000.4, endValue: 5000 }, held)).toEqual({
      fromMs: 2000,
      toMs: 5000,
    });
    expect(visibleRange({ startValue: 0, endValue: 99_999 }, held)).toEqual(held);
    expect(visibleRange({ startValue: null, endValue: null }, held)).toEqual(held);
    expect(visibleRange(null, null)).toBeNull();
  });
});

describe('upload helper', () => {
  class FakeXhr implements XhrLike {
    status = 0;
    responseText = '';
    upload: XhrLike['upload'] = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    opened: string[] = [];
    headers: Record<string, string> = {};
    sent: Blob | null = null;
    open(method: string, url: string) {
      this.opened = [method, url];
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    send(body: Blob) {
      this.sent = body;
    }
    abort() {
      this.onabort?.();
    }
    reply(status: number, text: string) {
      this.status = status;
      this.responseText = text;
      this.onload?.();
    }
  }
  const file = Object.assign(new Blob(['a,b\n1,2\n']), { name: 'BTC day #1.csv' });

  it('posts the bytes with the name in the URL and reports progress', async () => {
    const xhr = new FakeXhr();
    const seen: string[] = [];
    const done = uploadFile(file, {
      createXhr: () => xhr,
      onProgress: (loaded, total) => seen.push(`${loaded}/${total}`),
    });
    expect(xhr.opened).toEqual(['POST', '/files/upload?name=BTC%20day%20%231.csv']);
    expect(xhr.sent).toBe(file);
    xhr.upload.onprogress?.({ loaded: 4, total: 8 });
    xhr.reply(200, JSON.stringify({ id: 'u1', name: 'BTC day #1.csv', sizeBytes: 8 }));
    await expect(done).resolves.toEqual({ id: 'u1', name: 'BTC day #1.csv', sizeBytes: 8 });
    expect(seen).toEqual(['4/8', '8/8']);
    expect(uploadUrl('a b')).toBe('/files/upload?name=a%20b');
  });

  it("rejects with the server's reason, a bad reply, a lost connection or a cancel", async () => {
    const refused = new FakeXhr();
    const a = uploadFile(file, { createXhr: () => refused });
    refused.reply(413, JSON.stringify({ error: 'file larger than 4 GB' }));
    await expect(a).rejects.toThrow('BTC day #1.csv: upload refused (HTTP 413): file larger');
    const odd = new FakeXhr();
    const b = uploadFile(file, { createXhr: () => odd });
    odd.reply(200, '{"id":3}');
    await expect(b).rejects.toThrow(/not a file/);
    const lost = new FakeXhr();
    const c = uploadFile(file, { createXhr: () => lost });
    lost.onerror?.();
    await expect(c).rejects.toThrow(/connection lost/);
    const abort = new AbortController();
    const cancelled = new FakeXhr();
    const d = uploadFile(file, { createXhr: () => cancelled, signal: abort.signal });
    abort.abort();
    await expect(d).rejects.toThrow('upload cancelled');
    expect(() => parsePickedFile('<html>')).toThrow(/not JSON/);
  });
});

describe('keyboard', () => {
  const key = (k: string, ctrlKey = false) =>
    shortcutFor({ key: k, ctrlKey, metaKey: false, altKey: false, target: null });

  it('opens the Data tab with D or Ctrl+4', () => {
    expect(key('d')).toEqual({ type: 'tab', tab: 'data' });
    expect(key('D')).toEqual({ type: 'tab', tab: 'data' });
    expect(key('4', true)).toEqual({ type: 'tab', tab: 'data' });
  });
});

describe('bars-only and stored datasets in the chart warm-up', () => {
  const base = {
    symbol: 'BTCUSDT',
    timeframe: '1s' as const,
    have: 0,
    needed: 2,
    status: 'ready' as const,
    error: null,
    hasTrades: false,
    connecting: false,
  };

  it('says a finer timeframe has no bars, and a stored dataset has nothing to wait for', () => {
    expect(warmupText({ ...base, barsOnly: '1m', stored: true })).toBe(
      'This dataset holds 1m bars only (no ticks): there are no 1s bars of BTCUSDT; choose 1m or a coarser timeframe',
    );
    expect(warmupText({ ...base, timeframe: '5m', barsOnly: '1m', stored: true, have: 1 })).toBe(
      'This stored dataset holds only 1 5m bar of BTCUSDT',
    );
    expect(warmupText({ ...base, stored: false })).toBe(
      'No trades yet for BTCUSDT — waiting for the first trade…',
    );
  });
});
