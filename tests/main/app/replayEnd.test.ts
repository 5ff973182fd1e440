/**
 * Issue #8 §2: a replay that has ended must not keep growing. The real capture is replayed
 * through the app's services (startPairDeskApp, replay source at high speed) until ENDED; a few
 * wall-clock seconds later the analytics series (requested over the ContractHost) must still be
 * exactly the aligned bars of the file, and EVERY column must equal `pairdesk analyze` on the
 * same file with the same W, lookback and hedge method. The same must hold after a recompute
 * from the stored bars (a selection change, a page reload's re-request) and after a restart of
 * the services on the same database.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsSeries, HedgeMethod } from '../../../src/core/contract/contract';
import type { PairSummary } from '../../../src/core/analysis/pairAnalysis';
import { KALMAN_DEFAULTS, kalmanFilter } from '../../../src/core/stats/kalman';
import { computePairAnalytics } from '../../../src/core/stats/engine';
import { rollingMean, rollingStd } from '../../../src/core/stats/rolling';
import type { PairDeskApp } from '../../../src/main/app/pairDeskApp';
import { readAnalyticsCsv } from '../analyze/helpers';
import { analyzeCapture, replayStopped, sleep, startCaptureReplay } from './captureReplay';
import { analyticsSelection } from '../../support/analyticsFixtures';

/** The app's analytics settings; `analyze` runs with the same window and lookback. */
const SELECTION = analyticsSelection();
const W = SELECTION.rollingWindow;
const LOOKBACK = SELECTION.lookback;
/** Live rows are computed incrementally, analyze in batch: equal to rounding. */
const REL = 1e-9;

type Columns = AnalyticsSeries['columns'];
type ColumnName = keyof Columns;

/** Every column of the analytics series, from `analyze` (CSV) and the same core definitions. */
async function analyzeReference(
  dir: string,
  hedge: HedgeMethod,
): Promise<{ rows: number; beta: number | null; columns: Record<ColumnName, number[]> }> {
  const csv = join(dir, `analyze-${hedge}.csv`);
  const json = join(dir, `analyze-${hedge}.json`);
  const run = await analyzeCapture({ window: W, lookback: LOOKBACK, hedge, out: csv, json });
  expect(run.code, run.stderr).toBe(0);
  const summary = JSON.parse(readFileSync(json, 'utf8')) as PairSummary;
  const t = readAnalyticsCsv(csv);
  const a = t.col('close_a');
  const b = t.col('close_b');
  const spread = t.col('spread');
  // Columns the CSV does not carry: the same core functions analyze is built from, on its rows.
  const batch = computePairAnalytics(a, b, { window: W, timeframeMs: 1000 });
  const kalman = kalmanFilter(a, b, KALMAN_DEFAULTS).priorBeta.map((v, i) => (i >= W ? v : NaN));
  return {
    rows: t.rows,
    beta: summary.ols.beta,
    columns: {
      startMs: t.col('start_ms'),
      closeA: a,
      closeB: b,
      hedgeRatio: t.col('hedge_ratio'),
      spread,
      spreadMean: [...rollingMean(spread, W)],
      spreadStd: [...rollingStd(spread, W)],
      zscore: t.col('zscore'),
      correlation: t.col('correlation'),
      betaRolling: [...batch.rollingBeta],
      betaKalman: [...kalman],
      volA: [...batch.volA],
      volB: [...batch.volB],
    },
  };
}

/** Largest |x − y| / max(1, |y|) per column; null ≡ NaN; a null/number mismatch is Infinity. */
function deviations(
  series: Columns,
  ref: Record<ColumnName, number[]>,
): Record<ColumnName, number> {
  const out = {} as Record<ColumnName, number>;
  for (const name of Object.keys(ref) as ColumnName[]) {
    const got = series[name] as readonly (number | null)[];
    const want = ref[name];
    let m = got.length === want.length ? 0 : Infinity;
    for (let i = 0; i < Math.min(got.length, want.length); i++) {
      const g = got[i];
      const w = want[i];
      if (g === null || Number.isNaN(w)) {
        if (!(g === null && Number.isNaN(w))) m = Infinity;
        continue;
      }
      m = Math.max(m, Math.abs(g - w) / Math.max(1, Math.abs(w)));
    }
    out[name] = m;
  }
  return out;
}

async function startReplay(dbFile: string): Promise<PairDeskApp> {
  const app = await startCaptureReplay(dbFile, 2_000);
  await app.host.handle('settings.update', SELECTION);
  return app;
}

/** The series once it holds the file's rows (a recompute may still be on its way). */
async function seriesOf(app: PairDeskApp, rows: number, hedge: HedgeMethod): Promise<Columns> {
  const t0 = Date.now();
  for (;;) {
    const s = await app.host.handle('analytics.series', { limit: 100_000 });
    if (
      (s.selection.hedgeMethod === hedge && s.columns.startMs.length >= rows) ||
      Date.now() - t0 > 15_000
    )
      return s.columns;
    await sleep(100);
  }
}

function expectEqual(label: string, series: Columns, ref: Record<ColumnName, number[]>): void {
  const dev = deviations(series, ref);
  console.log(
    `${label}: ${series.startMs.length} rows; largest deviation per column vs analyze: ` +
      Object.entries(dev)
        .map(([k, v]) => `${k} ${v.toExponential(1)}`)
        .join(', '),
  );
  expect(series.startMs.length).toBe(ref.startMs.length);
  for (const [name, v] of Object.entries(dev)) expect(v, name).toBeLessThanOrEqual(REL);
}

describe('an ended replay freezes and equals analyze (issue #8 §2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-replay-end-'));
  const dbFile = join(dir, 'replay.db');
  let app: PairDeskApp | undefined;
  const refs = new Map<HedgeMethod, Awaited<ReturnType<typeof analyzeReference>>>();

  beforeAll(async () => {
    for (const h of ['static', 'rolling', 'kalman'] as const) {
      refs.set(h, await analyzeReference(dir, h));
    }
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ref = (h: HedgeMethod): Awaited<ReturnType<typeof analyzeReference>> => {
    const r = refs.get(h);
    if (!r) throw new Error(`no analyze reference for ${h}`);
    return r;
  };

  it('after ENDED the series stays at the file’s rows and equals analyze (static β)', async () => {
    app = await startReplay(dbFile);
    const services = app.services;
    await replayStopped(app, 60_000);
    expect(services.source.state).toBe('ended');
    const rows = ref('static').rows;
    const first = await seriesOf(app, rows, 'static');
    // Wall-clock seconds after the end: nothing may be forward-filled on.
    await sleep(3_000);
    const later = await seriesOf(app, rows, 'static');
    expect(later.startMs.length).toBe(first.startMs.length);
    expectEqual('ended replay, static', later, ref('static').columns);
    // The live static β is the OLS β over the final rows: analyze's summary β.
    const beta = ref('static').beta ?? NaN;
    expect(Math.abs((later.hedgeRatio[later.hedgeRatio.length - 1] ?? NaN) - beta)).toBeLessThan(
      1e-12 * beta,
    );
  }, 90_000);

  it('rolling and Kalman hedges: a recompute from the stored bars equals analyze too', async () => {
    if (!app) throw new Error('no app');
    for (const h of ['rolling', 'kalman'] as const) {
      await app.host.handle('settings.update', { hedgeMethod: h });
      const s = await seriesOf(app, ref(h).rows, h);
      await sleep(1_500);
      const later = await seriesOf(app, ref(h).rows, h);
      expect(later.startMs.length).toBe(s.startMs.length);
      expectEqual(`stored bars, ${h}`, later, ref(h).columns);
    }
    await app.host.handle('settings.update', { hedgeMethod: 'static' });
    const back = await seriesOf(app, ref('static').rows, 'static');
    expectEqual('stored bars, static again', back, ref('static').columns);
  }, 90_000);

  it('a restart of the services on the same database ends on the same analytics', async () => {
    await app?.stop();
    app = await startReplay(dbFile);
    const services = app.services;
    await replayStopped(app, 60_000);
    expect(services.source.state).toBe('ended');
    await sleep(2_000);
    const s = await seriesOf(app, ref('static').rows, 'static');
    expectEqual('after restart, static', s, ref('static').columns);
  }, 90_000);
});
