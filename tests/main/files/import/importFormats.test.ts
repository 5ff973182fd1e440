/**
 * Every committed format and archive fixture through runImport into a real SQLite file: what
 * each gives (format, ticks or bars, rejects), a zip of two members as one dataset, truncated
 * .gz / .zip importing their intact lines and saying where they broke, and inspectFile.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runImport } from '../../../../src/main/files/import/importJob';
import { inspectFile } from '../../../../src/main/files/import/inspectFiles';
import { REPO_ROOT } from '../../../support/realData';
import { allBars, tmpStore, type TmpStore } from './helpers';

const FORMATS = join(REPO_ROOT, 'tests/fixtures/formats');
const ARCHIVES = join(REPO_ROOT, 'tests/fixtures/archives');

let t: TmpStore;
beforeEach(() => {
  t = tmpStore();
});
afterEach(() => t.cleanup());

async function importOne(dir: string, name: string, symbol?: string) {
  const file: { path: string; name: string; symbol?: string } = { path: join(dir, name), name };
  if (symbol !== undefined) file.symbol = symbol;
  return runImport({ store: t.store, dataDir: t.dir }, [file], { jobId: name });
}

describe('runImport over the committed fixtures', () => {
  for (const name of readdirSync(FORMATS).sort()) {
    it(`${name}: imports or says why, never throws`, async () => {
      const r = await importOne(FORMATS, name, name.includes('BTCUSDT') ? 'BTCUSDT' : undefined);
      if (name.includes('bookTicker')) {
        expect(r.state).toBe('failed');
        expect(r.files[0].error).toMatch(/quotes|bid|not trades/i);
        expect(t.store.listDatasets()).toHaveLength(0);
        return;
      }
      expect(r.state, r.message).toBe('done');
      expect(r.files[0].format).not.toBeNull();
      const ds = t.store.getDataset(r.datasetId as number);
      expect(ds?.origin).toBe('import');
      if (r.ticks > 0) {
        expect(ds?.barsOnlyTimeframeMs).toBeNull();
        expect(t.store.tickCount(ds?.id as number)).toBe(r.ticks);
      } else {
        expect(r.bars).toBeGreaterThan(0);
        expect(ds?.barsOnlyTimeframeMs).toBeGreaterThan(0);
        expect(ds?.tickCount).toBe(0);
      }
      if (name.includes('bad')) {
        expect(r.rejects.total).toBeGreaterThan(0);
        expect(r.rejects.first.every((j) => j.line > 1 && j.file === name)).toBe(true);
      } else {
        expect(r.rejects.total, JSON.stringify(r.rejects.first.slice(0, 3))).toBe(0);
      }
    });
  }

  it('a zip of the BTC and ETH aggTrades members is one dataset, like the two files', async () => {
    const zip = await importOne(ARCHIVES, 'BTCUSDT-ETHUSDT-aggTrades-2024-07-18.zip');
    expect(zip.state, zip.message).toBe('done');
    expect(zip.files.map((f) => f.member)).toHaveLength(2);
    expect(zip.files.every((f) => f.format === 'aggTrades' && f.ticks > 0)).toBe(true);
    const symbols = ['BTCUSDT', 'ETHUSDT'];
    const zipBars = allBars(t.store, zip.datasetId as number, symbols);
    expect(new Set(zipBars.map((b) => b.symbol))).toEqual(new Set(symbols));
    const apart = await runImport(
      { store: t.store, dataDir: t.dir },
      [
        {
          path: join(ARCHIVES, 'BTCUSDT-aggTrades-2024-07-18.zip'),
          name: 'BTC.zip',
          symbol: 'BTCUSDT',
        },
        {
          path: join(ARCHIVES, 'ETHUSDT-aggTrades-2024-07-18.csv'),
          name: 'ETHUSDT-aggTrades-2024-07-18.csv',
        },
      ],
      { jobId: 'apart' },
    );
    expect(apart.state, apart.message).toBe('done');
    expect(apart.ticks).toBe(zip.ticks);
    expect(allBars(t.store, apart.datasetId as number, symbols)).toEqual(zipBars);
  });

  for (const name of [
    'BTCUSDT-ETHUSDT-aggTrades-2024-07-18-cut.zip',
    'um-btcusdt-ethusdt-2024-07-18T2357Z-cut.ndjson.gz',
  ]) {
    it(`${name}: the intact lines are imported and the report says where it broke`, async () => {
      const r = await importOne(ARCHIVES, name);
      expect(r.state, r.message).toBe('done');
      expect(r.ticks).toBeGreaterThan(0);
      const broken = r.files.filter((f) => f.error !== null);
      expect(broken.length).toBeGreaterThan(0);
      expect(broken[0].error).toMatch(/line|byte/);
      expect(broken[0].error).toMatch(/imported/);
      expect(t.store.tickCount(r.datasetId as number)).toBe(r.ticks);
    });
  }

  for (const name of readdirSync(ARCHIVES).sort()) {
    it(`archive ${name}: imports without throwing`, async () => {
      const r = await importOne(ARCHIVES, name, 'BTCUSDT');
      expect(r.state, r.message).toBe('done');
      expect(r.ticks + r.bars).toBeGreaterThan(0);
    });
  }

  it('inspectFile reports each member with its format, symbols and replayability', async () => {
    const zip = await inspectFile(join(ARCHIVES, 'BTCUSDT-ETHUSDT-aggTrades-2024-07-18.zip'), 'f1');
    expect(zip).toHaveLength(2);
    expect(zip.map((m) => [m.fileId, m.container, m.format, m.replayable])).toEqual([
      ['f1', 'zip', 'aggTrades', true],
      ['f1', 'zip', 'aggTrades', true],
    ]);
    expect(zip.flatMap((m) => m.symbols).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    const klines = await inspectFile(join(FORMATS, 'BTCUSDT-1m-2024-07-18.csv'), 'f2');
    expect(klines[0]).toMatchObject({
      format: 'klines',
      symbols: ['BTCUSDT'],
      needsSymbol: false,
      barsTimeframe: '1m',
      replayable: false,
      container: 'plain',
      member: null,
    });
    const book = await inspectFile(join(FORMATS, 'ETHUSDT-bookTicker-2024-07-18.csv'), 'f3');
    expect(book[0].format).toBe('bookTicker');
    const missing = await inspectFile(join(t.dir, 'nope.csv'), 'f4');
    expect(missing[0].format).toBeNull();
    expect(missing[0].reason).toMatch(/no such file.*accepted formats/);
  });
});
