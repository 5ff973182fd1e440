/**
 * runImport against a real SQLite file: the real capture imported as NDJSON and as aggTrades /
 * trades CSV (one file per symbol, BTC read wholly before ETH) gives the bars of the live
 * ingestion path; bad lines are kept out, each reported with its line; cancel leaves nothing;
 * progress is monotonic; klines become bars-only data with exact roll-ups.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferProgress } from '../../../../src/core/contract/files';
import { AGG_TRADES_HEADER } from '../../../../src/core/formats/aggTrades';
import { TRADES_HEADER } from '../../../../src/core/formats/trades';
import { runImport } from '../../../../src/main/files/import/importJob';
import { reportPath } from '../../../../src/main/files/import/rejectReport';
import { PairDeskStore } from '../../../../src/main/store/store';
import { aggTradeLine, loadCapture, tradeLine } from '../../../../scripts/make-format-fixtures';
import { UM_2024_07_18, REPO_ROOT } from '../../../support/realData';
import { allBars, liveIngest, tmpStore, type TmpStore } from './helpers';

const FORMATS = join(REPO_ROOT, 'tests/fixtures/formats');
const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];
const { ticks } = loadCapture(UM_2024_07_18);

let t: TmpStore;
beforeEach(() => {
  t = tmpStore();
});
afterEach(() => t.cleanup());

function deps() {
  return { store: t.store, dataDir: t.dir };
}

/** The capture's ticks of `symbol` as a data.binance.vision CSV in the tmp dir. */
function writeCsv(kind: 'aggTrades' | 'trades', symbol: string): { path: string; name: string } {
  const name = `${symbol}-${kind}-2024-07-18.csv`;
  const lines = ticks
    .filter((x) => x.symbol === symbol)
    .map((x) =>
      kind === 'aggTrades'
        ? aggTradeLine(x, { spot: false, us: false })
        : tradeLine(x, { spot: false, us: false }),
    );
  lines.unshift(kind === 'aggTrades' ? AGG_TRADES_HEADER : TRADES_HEADER);
  const path = join(t.dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, name };
}

describe('runImport', () => {
  it('imports the NDJSON capture with the bars of the live path', async () => {
    const ref = liveIngest(t.store, UM_2024_07_18);
    const r = await runImport(deps(), [{ path: UM_2024_07_18, name: 'capture.ndjson.gz' }], {
      jobId: 'j1',
    });
    expect(r.state).toBe('done');
    expect(r.datasetId).not.toBeNull();
    const id = r.datasetId as number;
    expect(r.ticks).toBe(t.store.tickCount(ref));
    expect(t.store.tickCount(id)).toBe(r.ticks);
    const want = allBars(t.store, ref, SYMBOLS);
    expect(want.length).toBeGreaterThan(500);
    expect(allBars(t.store, id, SYMBOLS)).toEqual(want);
    expect(r.bars).toBeGreaterThanOrEqual(want.length);
    expect(t.store.getDataset(id)?.kind).toBe('replay');
    expect(t.store.getDataset(id)?.origin).toBe('import');
    expect(t.store.getDataset(id)?.barsOnlyTimeframeMs).toBeNull();
    expect(r.message).toContain(`dataset ${id}`);
  });

  for (const kind of ['aggTrades', 'trades'] as const) {
    it(`imports the capture as two ${kind} CSVs (BTC then ETH) into one dataset, bars identical`, async () => {
      const ref = liveIngest(t.store, UM_2024_07_18);
      const files = SYMBOLS.map((s) => writeCsv(kind, s));
      const r = await runImport(deps(), files, { jobId: `j-${kind}` });
      expect(r.state).toBe('done');
      const id = r.datasetId as number;
      expect(r.files.map((f) => [f.name, f.format, f.error])).toEqual(
        files.map((f) => [f.name, kind, null]),
      );
      expect(r.files.map((f) => f.ticks)).toEqual([10_701, 13_655]);
      expect(r.rejects.total).toBe(0);
      expect(r.rejects.reportId).toBeNull();
      expect(allBars(t.store, id, SYMBOLS)).toEqual(allBars(t.store, ref, SYMBOLS));
      expect(t.store.getDataset(id)?.label).toBe(`BTCUSDT + ETHUSDT ${kind} 2024-07-18`);
    });
  }

  it('keeps the good lines of a CSV with bad ones and reports every bad line', async () => {
    const name = 'bad-BTCUSDT-aggTrades-2024-07-18.csv';
    const r = await runImport(deps(), [{ path: join(FORMATS, name), name, symbol: 'BTCUSDT' }], {
      jobId: 'bad',
    });
    expect(r.state).toBe('done');
    const text = readFileSync(join(FORMATS, name), 'utf8').split('\n');
    expect(r.rejects.total).toBeGreaterThan(0);
    expect(r.files[0].rejected).toBe(r.rejects.total);
    expect(r.ticks + r.rejects.total).toBe(text.filter((l) => l.trim() !== '').length - 1);
    expect(Object.values(r.rejects.byReason).reduce((a, b) => a + b, 0)).toBe(r.rejects.total);
    for (const j of r.rejects.first) {
      expect(j.file).toBe(name);
      expect(j.line).toBeGreaterThan(1);
      expect(text[j.line - 1].trim()).not.toBe('');
    }
    // The full report: a header and one row per rejection, same line numbers.
    const reportId = r.rejects.reportId as string;
    const report = readFileSync(reportPath(t.dir, reportId), 'utf8').trim().split('\n');
    expect(report[0]).toBe('file,line,reason,field,message');
    expect(report).toHaveLength(r.rejects.total + 1);
    expect(report.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(
      r.rejects.first.map((j) => j.line),
    );
    expect(t.store.tickCount(r.datasetId as number)).toBe(r.ticks);
  });

  it('a cancelled import leaves no dataset and no report', async () => {
    const files = SYMBOLS.map((s) => writeCsv('aggTrades', s));
    const before = t.store.listDatasets().length;
    const ac = new AbortController();
    const r = await runImport(deps(), files, {
      jobId: 'cancel-me',
      signal: ac.signal,
      onProgress: () => ac.abort(),
    });
    expect(r.state).toBe('cancelled');
    expect(r.datasetId).toBeNull();
    expect(t.store.listDatasets()).toHaveLength(before);
    expect(existsSync(reportPath(t.dir, 'import-cancel-me'))).toBe(false);
  });

  it('progress is monotonic and ends with the outcome', async () => {
    const files = SYMBOLS.map((s) => writeCsv('aggTrades', s));
    const events: TransferProgress[] = [];
    let clock = 0;
    const r = await runImport(deps(), files, {
      jobId: 'p',
      onProgress: (p) => events.push(p),
      now: () => (clock += 50),
    });
    expect(events.length).toBeGreaterThan(2);
    for (let i = 1; i < events.length; i++) {
      expect(events[i].bytesDone).toBeGreaterThanOrEqual(events[i - 1].bytesDone);
      expect(events[i].lines).toBeGreaterThanOrEqual(events[i - 1].lines);
      expect(events[i].fraction ?? 0).toBeGreaterThanOrEqual(events[i - 1].fraction ?? 0);
    }
    const last = events[events.length - 1];
    expect(last.state).toBe('done');
    expect(last.fraction).toBe(1);
    expect(last.datasetId).toBe(r.datasetId);
    expect(last.message).toBe(r.message);
    expect(events.slice(0, -1).every((e) => e.state === 'running' && e.message === null)).toBe(
      true,
    );
  });

  it('an unrecognised file says which formats are accepted; the others still import', async () => {
    const junk = join(t.dir, 'notes.txt');
    writeFileSync(junk, 'hello world\nnothing here\n');
    const good = writeCsv('aggTrades', 'BTCUSDT');
    const r = await runImport(deps(), [{ path: junk, name: 'notes.txt' }, good], { jobId: 'u' });
    expect(r.state).toBe('done');
    expect(r.files[0].format).toBeNull();
    expect(r.files[0].error).toMatch(/accepted formats: .*aggTrades/);
    expect(r.ticks).toBe(10_701);
  });

  it('fails with no dataset left when nothing imports', async () => {
    const junk = join(t.dir, 'notes.txt');
    writeFileSync(junk, 'hello world\n');
    const before = t.store.listDatasets().length;
    const r = await runImport(deps(), [{ path: junk, name: 'notes.txt' }], { jobId: 'f' });
    expect(r.state).toBe('failed');
    expect(r.datasetId).toBeNull();
    expect(r.message).toMatch(/accepted formats/);
    expect(t.store.listDatasets()).toHaveLength(before);
  });

  it('asks for the symbol of a CSV whose name does not say it', async () => {
    const { path } = writeCsv('aggTrades', 'BTCUSDT');
    const r = await runImport(deps(), [{ path, name: 'trades.csv' }], { jobId: 's' });
    expect(r.state).toBe('failed');
    expect(r.files[0].error).toMatch(/--symbol/);
    const ok = await runImport(deps(), [{ path, name: 'trades.csv', symbol: 'btcusdt' }], {
      jobId: 's2',
    });
    expect(ok.state).toBe('done');
    expect(ok.ticks).toBe(10_701);
  });

  it('a read-only database fails the import in words, without throwing', async () => {
    const file = join(t.dir, 'data.db');
    const ro = PairDeskStore.open(file, { readonly: true });
    try {
      const good = writeCsv('aggTrades', 'BTCUSDT');
      const r = await runImport({ store: ro, dataDir: t.dir }, [good], { jobId: 'ro' });
      expect(r.state).toBe('failed');
      expect(r.datasetId).toBeNull();
      expect(r.message).toMatch(/^import failed: cannot create a dataset/);
    } finally {
      ro.close();
    }
  });

  it('klines become bars at their timeframe with exact 5 m roll-ups', async () => {
    const name = 'BTCUSDT-1m-2024-07-18.csv';
    const r = await runImport(deps(), [{ path: join(FORMATS, name), name }], { jobId: 'k' });
    expect(r.state).toBe('done');
    expect(r.ticks).toBe(0);
    const id = r.datasetId as number;
    const m1 = t.store.bars(id, 'BTCUSDT', 60_000);
    expect(m1.length).toBeGreaterThan(5);
    const m5 = t.store.bars(id, 'BTCUSDT', 300_000);
    expect(m5.length).toBeGreaterThan(0);
    for (const b of m5) {
      const parts = m1.filter((x) => x.startMs >= b.startMs && x.startMs < b.startMs + 300_000);
      expect(b.open).toBe(parts[0].open);
      expect(b.close).toBe(parts[parts.length - 1].close);
      expect(b.high).toBe(Math.max(...parts.map((x) => x.high)));
      expect(b.low).toBe(Math.min(...parts.map((x) => x.low)));
      expect(b.trades).toBe(parts.reduce((a, x) => a + x.trades, 0));
    }
    expect(t.store.bars(id, 'BTCUSDT', 1_000)).toEqual([]);
    expect(t.store.getDataset(id)?.barsOnlyTimeframeMs).toBe(60_000);
    expect(t.store.getDataset(id)?.origin).toBe('import');
  });
});
