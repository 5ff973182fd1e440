/**
 * Issue #10, `datasets.open`: a stored dataset is viewed without replaying it. The real capture
 * is replayed once into a real SQLite file; the services then switch to the simulated market and
 * open that dataset: nothing flows, the views show its stored bars, and the analytics, recomputed
 * from them, equal `pairdesk analyze` on the capture. The open dataset is reopened after a
 * restart; a deleted one falls back to the simulated market with a notice. A bars-only dataset
 * (imported OHLC) gives no finer bars and a warmup that says which timeframes work.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsSeries } from '../../../src/core/contract/contract';
import type { Bar } from '../../../src/core/market/types';
import { startPairDeskApp, type PairDeskApp } from '../../../src/main/app/pairDeskApp';
import { PairDeskStore } from '../../../src/main/store/store';
import { readAnalyticsCsv } from '../analyze/helpers';
import { analyzeCapture, replayStopped, sleep, startCaptureReplay } from './captureReplay';
import { analyticsSelection } from '../../support/analyticsFixtures';

/** The app's analytics settings; `analyze` runs with the same window and lookback. */
const SELECTION = analyticsSelection();
const W = SELECTION.rollingWindow;
const LOOKBACK = SELECTION.lookback;
const REL = 1e-9;

/** The series once it holds `rows` rows (the recompute may still be on its way). */
async function seriesWith(app: PairDeskApp, rows: number): Promise<AnalyticsSeries> {
  const t0 = Date.now();
  for (;;) {
    const s = await app.host.handle('analytics.series', { limit: 100_000 });
    if (s.columns.startMs.length >= rows || Date.now() - t0 > 15_000) return s;
    await sleep(100);
  }
}

/** Largest |x − y| / max(1, |y|) over a column; null ≡ NaN; a length mismatch is Infinity. */
function deviation(got: readonly (number | null)[], want: readonly number[]): number {
  if (got.length !== want.length) return Infinity;
  let m = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i];
    const w = want[i];
    if (g === null || Number.isNaN(w)) {
      if (!(g === null && Number.isNaN(w))) return Infinity;
      continue;
    }
    m = Math.max(m, Math.abs(g - w) / Math.max(1, Math.abs(w)));
  }
  return m;
}

describe('datasets.open views a stored dataset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-open-dataset-'));
  const dbFile = join(dir, 'open.db');
  let app: PairDeskApp | undefined;
  let replayed = 0;
  let reference: ReturnType<typeof readAnalyticsCsv> | undefined;

  beforeAll(async () => {
    const csv = join(dir, 'analyze.csv');
    const run = await analyzeCapture({ window: W, lookback: LOOKBACK, hedge: 'static', out: csv });
    expect(run.code, run.stderr).toBe(0);
    reference = readAnalyticsCsv(csv);
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const expectAnalyze = (series: AnalyticsSeries): void => {
    const ref = reference;
    if (!ref) throw new Error('no analyze reference');
    const c = series.columns;
    expect(c.startMs.length).toBe(ref.rows);
    expect(deviation(c.startMs, ref.col('start_ms'))).toBe(0);
    expect(deviation(c.closeA, ref.col('close_a'))).toBe(0);
    expect(deviation(c.closeB, ref.col('close_b'))).toBe(0);
    expect(deviation(c.hedgeRatio, ref.col('hedge_ratio'))).toBeLessThanOrEqual(REL);
    expect(deviation(c.spread, ref.col('spread'))).toBeLessThanOrEqual(REL);
    expect(deviation(c.zscore, ref.col('zscore'))).toBeLessThanOrEqual(REL);
    expect(deviation(c.correlation, ref.col('correlation'))).toBeLessThanOrEqual(REL);
  };

  it('shows the stored bars and analytics equal to analyze; nothing flows', async () => {
    app = await startCaptureReplay(dbFile, 2_000);
    await replayStopped(app, 60_000);
    replayed = app.services.source.datasetId;
    const storedBars: Bar[] = app.services.store.bars(replayed, 'BTCUSDT', 1_000);
    await app.host.handle('source.select', { kind: 'demo' });
    await app.host.handle('settings.update', SELECTION);

    const info = await app.host.handle('datasets.open', { id: replayed });
    expect(info).toMatchObject({
      kind: 'replay',
      stored: true,
      state: 'ended',
      datasetId: replayed,
      simulated: false,
      barsOnly: null,
      label: `Dataset #${replayed} Replay um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz`,
    });
    expect(app.services.settings.openDatasetId).toBe(replayed);
    expect(app.services.settings.source).toBe('replay');
    expect(app.services.settings.symbols).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(app.services.snapshot().connection.state).toBe('stopped');
    const history = await app.host.handle('bars.history', {
      symbol: 'BTCUSDT',
      timeframe: '1s',
      limit: 100_000,
    });
    expect(history).toEqual(storedBars);
    expectAnalyze(await seriesWith(app, reference?.rows ?? 0));
    // Nothing flows: the dataset and the series stay as they are.
    const ticks = app.services.store.tickCount(replayed);
    await sleep(1_500);
    expect(app.services.store.tickCount(replayed)).toBe(ticks);
    expectAnalyze(await seriesWith(app, reference?.rows ?? 0));
  }, 120_000);

  it('exports the opened dataset’s analytics as the same CSV as analyze', async () => {
    if (!app) throw new Error('no app');
    const series = await seriesWith(app, reference?.rows ?? 0);
    const result = await app.host.handle('export.csv', {
      what: 'analytics',
      fromMs: series.columns.startMs[0],
      toMs: series.columns.startMs[series.columns.startMs.length - 1],
    });
    expect(result.cancelled).toBe(false);
    expect(result.fileName).toBe('BTCUSDT-ETHUSDT-1s-analytics-20240718T2357Z-20240719T0005Z.csv');
    expect(result.rows).toBe(reference?.rows);
    const written = readFileSync(join(dir, 'downloads', result.jobId, result.fileName), 'utf8');
    expect(written).toBe(readFileSync(join(dir, 'analyze.csv'), 'utf8'));
  }, 30_000);

  it('is reopened after a restart of the services', async () => {
    await app?.stop();
    app = await startPairDeskApp({ dbFile });
    expect(app.services.source).toMatchObject({ stored: true, datasetId: replayed });
    await app.host.handle('settings.update', SELECTION);
    expectAnalyze(await seriesWith(app, reference?.rows ?? 0));
  }, 60_000);

  it('selecting another source forgets it', async () => {
    if (!app) throw new Error('no app');
    const demo = await app.host.handle('source.select', { kind: 'demo' });
    expect(demo.stored).toBeUndefined();
    expect(app.services.settings.openDatasetId).toBeNull();
    await app.host.handle('datasets.open', { id: replayed });
    await expect(app.host.handle('datasets.open', { id: 987_654 })).rejects.toThrow(
      /dataset #987654 does not exist/,
    );
    // A refused open leaves the open dataset as it was.
    expect(app.services.source.datasetId).toBe(replayed);
  }, 30_000);

  it('a deleted dataset falls back to the simulated market with a notice', async () => {
    await app?.stop();
    app = undefined;
    const store = PairDeskStore.open(dbFile);
    expect(store.deleteDataset(replayed)).toBe(true);
    store.close();
    app = await startPairDeskApp({ dbFile, demoRate: 20 });
    const source = app.services.source;
    expect(source.kind).toBe('demo');
    expect(source.state).toBe('running');
    expect(source.notice).toMatch(
      new RegExp(`The dataset that was open \\(#${replayed}\\) could not be opened`),
    );
    expect(app.services.settings.openDatasetId).toBeNull();
  }, 30_000);

  it('a bars-only dataset: no finer bars, and the analytics say which timeframes work', async () => {
    await app?.stop();
    app = undefined;
    const store = PairDeskStore.open(dbFile);
    const ds = store.createDataset('replay', 'OHLC import', null, {
      origin: 'import',
      barsOnlyTimeframeMs: 60_000,
    });
    for (const [symbol, base] of [
      ['BTCUSDT', 64_000],
      ['ETHUSDT', 3_400],
    ] as const) {
      for (let i = 0; i < 50; i++) {
        const close = base + Math.sin(i) * 10;
        store.enqueueBar(ds.id, {
          symbol,
          timeframeMs: 60_000,
          startMs: Date.UTC(2024, 6, 18, 12, i),
          open: close,
          high: close + 1,
          low: close - 1,
          close,
          volume: 1,
          quoteVolume: close,
          trades: 1,
          takerBuyVolume: 0.5,
          vwap: close,
        });
      }
    }
    store.flush();
    store.close();
    app = await startPairDeskApp({ dbFile, demoRate: 20 });
    const info = await app.host.handle('datasets.open', { id: ds.id });
    expect(info).toMatchObject({
      stored: true,
      barsOnly: '1m',
      label: `Dataset #${ds.id} OHLC import`,
    });
    await app.host.handle('settings.update', { timeframe: '1s', rollingWindow: 10 });
    expect(
      await app.host.handle('bars.history', { symbol: 'BTCUSDT', timeframe: '1s', limit: 100 }),
    ).toEqual([]);
    const series = await app.host.handle('analytics.series', { limit: 100 });
    expect(series.warmup).toBe('this dataset holds 1m bars only (imported OHLC); choose 1m or 5m');
    await app.host.handle('settings.update', { timeframe: '1m' });
    const bars = await app.host.handle('bars.history', {
      symbol: 'ETHUSDT',
      timeframe: '1m',
      limit: 100,
    });
    expect(bars).toHaveLength(50);
    const at1m = await seriesWith(app, 50);
    expect(at1m.warmup).not.toMatch(/bars only/);
    expect(at1m.columns.startMs).toHaveLength(50);
  }, 30_000);
});
