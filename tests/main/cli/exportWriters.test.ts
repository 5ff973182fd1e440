/**
 * `pairdesk export` (the built CLI) and the app's ExportService write the same bytes for the
 * same dataset, and both match the pre-#10 CLI output (rebuilt here from the store rows with
 * the old loop), so the shared writers changed nothing. `datasets` shows an import's origin.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/core/contract/contract';
import { csvRow } from '../../../src/core/csv/csvWriter';
import { BAR_CSV_HEADER, TICK_CSV_HEADER } from '../../../src/core/formats/exportHeaders';
import { ExportService } from '../../../src/main/files/export/exportService';
import { PairDeskStore } from '../../../src/main/store/store';
import { cliArgs } from '../../support/cli';
import { REPO_ROOT } from '../../support/realData';
import { makeBar, makeTick } from '../store/helpers';

const dir = mkdtempSync(join(tmpdir(), 'pairdesk-cli-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'x.db');

function pairdesk(...args: string[]) {
  const r = spawnSync(process.execPath, cliArgs(args), { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI's export loops as they were before the writers were shared. */
function legacy(store: PairDeskStore, id: number, bars?: number): string {
  if (bars === undefined) {
    let s = csvRow(TICK_CSV_HEADER);
    for (const t of store.ticks(id)) {
      s += csvRow([t.symbol, t.tradeId, t.timeMs, t.priceText, t.qtyText, t.isBuyerMaker]);
    }
    return s;
  }
  let s = csvRow(BAR_CSV_HEADER);
  for (const symbol of store.barSymbols(id, bars)) {
    for (const b of store.bars(id, symbol, bars)) {
      s += csvRow([
        b.symbol,
        b.startMs,
        b.open,
        b.high,
        b.low,
        b.close,
        b.volume,
        b.quoteVolume,
        b.trades,
        b.takerBuyVolume,
        b.vwap,
      ]);
    }
  }
  return s;
}

let expectedTicks = '';
let expected1m = '';
let datasetId = 0;

beforeAll(() => {
  const store = PairDeskStore.open(db);
  try {
    const ds = store.createDataset('replay', 'a, "quoted" label', 'x.ndjson', { origin: 'import' });
    datasetId = ds.id;
    // Enough rows for several 64 KiB chunks; odd values: NaN vwap, -0, long decimals.
    for (let i = 1; i <= 30_000; i++) {
      store.enqueueTick(ds.id, makeTick(i, { symbol: i % 3 ? 'ETHUSDT' : 'BTCUSDT' }));
    }
    for (let k = 0; k < 500; k++) {
      store.enqueueBar(ds.id, makeBar(k * 60_000, { close: 100 + k / 3, vwap: k % 7 ? k : NaN }));
      store.enqueueBar(ds.id, makeBar(k * 60_000, { symbol: 'ETHUSDT', open: -0, close: 1e-9 }));
    }
    store.flush();
    expectedTicks = legacy(store, ds.id);
    expected1m = legacy(store, ds.id, 60_000);
  } finally {
    store.close();
  }
});

describe('pairdesk export and the app export write the same bytes', () => {
  it('ticks', async () => {
    const out = join(dir, 'cli-ticks.csv');
    const r = pairdesk('export', '--db', db, '--ticks', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `[export] dataset ${datasetId} (replay, a, "quoted" label): 30000 rows → ${out}\n`,
    );
    const cli = readFileSync(out, 'utf8');
    expect(cli).toBe(expectedTicks);

    const store = PairDeskStore.open(db);
    try {
      const svc = new ExportService({
        store,
        dataDir: dir,
        settings: () => DEFAULT_SETTINGS,
        viewedDatasetId: () => datasetId,
        onProgress: () => undefined,
      });
      const res = await svc.run({ what: 'ticks' }, undefined, 'app-ticks');
      expect(readFileSync(join(dir, 'downloads', 'app-ticks', res.fileName), 'utf8')).toBe(cli);
      const bars = await svc.run(
        { what: 'bars', symbols: [], timeframe: '1m' },
        undefined,
        'app-bars',
      );
      const cliBars = join(dir, 'cli-1m.csv');
      expect(pairdesk('export', '--db', db, '--bars', '1m', '--out', cliBars).code).toBe(0);
      expect(readFileSync(cliBars, 'utf8')).toBe(expected1m);
      expect(readFileSync(join(dir, 'downloads', 'app-bars', bars.fileName), 'utf8')).toBe(
        expected1m,
      );
    } finally {
      store.close();
    }
  });

  it('datasets shows the origin', () => {
    const r = pairdesk('datasets', '--db', db);
    expect(r.code, r.stderr).toBe(0);
    const [header, row] = r.stdout.split('\n');
    expect(header.split('\t').slice(0, 2)).toEqual(['id', 'origin']);
    expect(row.split('\t').slice(0, 4)).toEqual([String(datasetId), 'import', '30000', '1000']);
    const json = JSON.parse(pairdesk('datasets', '--db', db, '--json').stdout) as unknown[];
    expect(json[0]).toMatchObject({ kind: 'replay', origin: 'import', barsOnlyTimeframeMs: null });
  });
});
