/**
 * Shared pieces of the import tests: a real SQLite store in a tmp dir, the bars of a dataset,
 * and the reference — the same capture fed through the live ingestion path (IngestPipeline).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_TIMEFRAMES_MS } from '../../../../src/core/bars/barAggregator';
import type { Bar } from '../../../../src/core/market/types';
import { IngestPipeline } from '../../../../src/main/ingest/ingestPipeline';
import { PairDeskStore } from '../../../../src/main/store/store';

export interface TmpStore {
  dir: string;
  store: PairDeskStore;
  cleanup(): void;
}

export function tmpStore(): TmpStore {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-import-'));
  const store = PairDeskStore.open(join(dir, 'data.db'));
  return {
    dir,
    store,
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every bar of a dataset, by timeframe, symbol and start. */
export function allBars(store: PairDeskStore, datasetId: number, symbols: string[]): Bar[] {
  const out: Bar[] = [];
  for (const tf of DEFAULT_TIMEFRAMES_MS) {
    for (const s of [...symbols].sort()) out.push(...store.bars(datasetId, s, tf));
  }
  return out;
}

/** The capture fed line by line through the live path into a new dataset; its id. */
export function liveIngest(store: PairDeskStore, gzPath: string): number {
  const ds = store.createDataset('replay', 'reference');
  const pipeline = new IngestPipeline({ store, datasetId: ds.id });
  for (const line of gunzipSync(readFileSync(gzPath)).toString('utf8').split('\n')) {
    if (line.trim().length > 0) pipeline.handleRaw(line);
  }
  pipeline.finish();
  return ds.id;
}
