/**
 * runImport with its SQLite writes on the writer thread (store/importWriter.ts) against the same
 * import written on the calling thread, in one real SQLite file: the stored ticks (every column),
 * bars and dataset counters are identical, and the bars are the live path's. A cancelled
 * threaded import leaves nothing behind.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGG_TRADES_HEADER } from '../../../../src/core/formats/aggTrades';
import { runImport, type ImportFile } from '../../../../src/main/files/import/importJob';
import type { PairDeskStore } from '../../../../src/main/store/store';
import { aggTradeLine, loadCapture } from '../../../../scripts/make-format-fixtures';
import { UM_2024_07_18 } from '../../../support/realData';
import { allBars, liveIngest, tmpStore, type TmpStore } from './helpers';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];
const { ticks } = loadCapture(UM_2024_07_18);

let t: TmpStore;
beforeEach(() => {
  t = tmpStore();
});
afterEach(() => t.cleanup());

function aggTradesCsv(symbol: string): ImportFile {
  const name = `${symbol}-aggTrades-2024-07-18.csv`;
  const lines = ticks
    .filter((x) => x.symbol === symbol)
    .map((x) => aggTradeLine(x, { spot: false, us: false }));
  const path = join(t.dir, name);
  writeFileSync(path, [AGG_TRADES_HEADER, ...lines].join('\n') + '\n');
  return { path, name };
}

/** Everything stored for a dataset except its id, label and creation time. */
function stored(store: PairDeskStore, id: number) {
  const d = store.getDataset(id);
  return {
    counters: [d?.tickCount, d?.barCount, d?.firstMs, d?.lastMs],
    ticks: [...store.ticks(id)],
    bars: allBars(store, id, SYMBOLS),
  };
}

async function importBoth(files: ImportFile[]): Promise<[number, number]> {
  const ids: number[] = [];
  for (const threadedWrites of [true, false]) {
    const r = await runImport({ store: t.store, dataDir: t.dir }, files, {
      jobId: `j-${threadedWrites}`,
      threadedWrites,
    });
    expect(r.state).toBe('done');
    ids.push(r.datasetId as number);
  }
  return [ids[0], ids[1]];
}

describe('runImport with the writer thread', () => {
  it('stores the NDJSON capture exactly as the in-thread writer does, bars as the live path', async () => {
    const ref = liveIngest(t.store, UM_2024_07_18);
    const [threaded, inThread] = await importBoth([
      { path: UM_2024_07_18, name: 'capture.ndjson.gz' },
    ]);
    const a = stored(t.store, threaded);
    expect(a.ticks).toHaveLength(ticks.length);
    expect(a.counters[0]).toBe(ticks.length);
    expect(a).toEqual(stored(t.store, inThread));
    expect(a.bars).toEqual(allBars(t.store, ref, SYMBOLS));
  });

  it('stores two aggTrades CSVs exactly as the in-thread writer does', async () => {
    const [threaded, inThread] = await importBoth(SYMBOLS.map(aggTradesCsv));
    const a = stored(t.store, threaded);
    expect(a.ticks.length).toBe(10_701 + 13_655);
    expect(a).toEqual(stored(t.store, inThread));
  });

  it('a cancelled threaded import leaves no dataset', async () => {
    const before = t.store.listDatasets().length;
    const ac = new AbortController();
    const r = await runImport({ store: t.store, dataDir: t.dir }, SYMBOLS.map(aggTradesCsv), {
      jobId: 'cancel-threaded',
      signal: ac.signal,
      threadedWrites: true,
      onProgress: (p) => {
        if (p.lines > 0) ac.abort();
      },
    });
    expect(r.state).toBe('cancelled');
    expect(t.store.listDatasets()).toHaveLength(before);
    expect(t.store.integrityCheck().ok).toBe(true);
  });
});
