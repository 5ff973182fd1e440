/**
 * AnalyticsHost with the REAL worker thread (loaded through tsx): stored bars → reset series,
 * live bars + feed time → appended rows, selection change → reset, runTests equal to
 * adfuller/coint on the same spread, crash → restart + recompute, stop → worker terminated.
 * Also measures the worker's µs per live row at W = 1000 and the recompute times.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type {
  AnalyticsSelection,
  EventMap,
  StationarityReport,
} from '../../../src/core/contract/contract';
import { AnalyticsHost } from '../../../src/main/analytics/analyticsHost';

/** A stored bar as the fake store keeps it. */
interface StoredBar {
  startMs: number;
  close: number;
}
import { adfuller } from '../../../src/core/stats/adf';
import { coint } from '../../../src/core/stats/coint';
import { analyzePair } from '../../../src/core/analysis/pairAnalysis';
import type { Bar } from '../../../src/core/market/types';
import { cointegratedPair, mismatch } from '../../core/analysis/helpers';
import { analyticsSelection, flatBar } from '../../support/analyticsFixtures';

const TF = 1000;
const T0 = 1_700_000_000_000;

function selection(over: Partial<AnalyticsSelection> = {}): AnalyticsSelection {
  return analyticsSelection({ rollingWindow: 20, lookback: 500, hedgeMethod: 'rolling', ...over });
}

function bar(symbol: string, i: number, close: number): Bar {
  return flatBar(symbol, T0 + i * TF, close);
}

async function waitFor(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Harness {
  host: AnalyticsHost;
  events: EventMap['analytics'][];
  reports: StationarityReport[];
  stored: Map<string, StoredBar[]>;
  feed: { now: number | null };
}

const hosts: AnalyticsHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop();
});

function harness(n: number, seed = 1, opts: { testEveryBars?: number } = {}): Harness {
  const { a, b } = cointegratedPair(n, seed);
  const stored = new Map<string, StoredBar[]>([
    ['BTCUSDT', Array.from(a, (close, i) => ({ startMs: T0 + i * TF, close }))],
    ['ETHUSDT', Array.from(b, (close, i) => ({ startMs: T0 + i * TF, close }))],
  ]);
  const events: EventMap['analytics'][] = [];
  const reports: StationarityReport[] = [];
  const feed = { now: null as number | null };
  const host = new AnalyticsHost({
    loadBars: (symbol, tfMs, limit) => {
      expect(tfMs).toBe(TF);
      // Fresh columns per call, as the store returns them (the host transfers their buffers).
      const bars = (stored.get(symbol) ?? []).slice(-limit);
      return {
        startMs: Float64Array.from(bars, (bar) => bar.startMs),
        close: Float64Array.from(bars, (bar) => bar.close),
      };
    },
    feedNow: () => feed.now,
    onSeries: (p) => events.push(p),
    onStationarity: (r) => reports.push(r),
    tickMs: 20,
    emitIntervalMs: 50,
    testEveryBars: opts.testEveryBars ?? 1_000_000,
  });
  hosts.push(host);
  return { host, events, reports, stored, feed };
}

describe('AnalyticsHost + real worker thread', () => {
  it('stored bars → reset; live bars → appended rows equal to analyzePair', async () => {
    const { a, b } = cointegratedPair(700, 1);
    const h = harness(600);
    h.host.start(selection());
    await waitFor(() => h.events.length > 0, 15_000, 'first analytics event');
    const first = h.events[0];
    expect(first.reset).toBe(true);
    expect(first.columns.startMs.length).toBe(500);
    expect(first.selection).toEqual(selection());
    expect(first.warmup).toBeNull();

    for (let i = 600; i < 700; i++) {
      h.host.onBar(bar('BTCUSDT', i, a[i]));
      h.host.onBar(bar('ETHUSDT', i, b[i]));
      h.host.onBar(bar('XRPUSDT', i, 1)); // not in the pair: ignored
    }
    await waitFor(() => h.events.some((e) => !e.reset), 5_000, 'appended rows');
    const appended = h.events.filter((e) => !e.reset).flatMap((e) => e.columns.startMs);
    expect(appended).toEqual(Array.from({ length: 100 }, (_, k) => T0 + (600 + k) * TF));

    const series = await h.host.series(10_000);
    expect(series.columns.startMs.length).toBe(500);
    const ap = analyzePair(
      {
        startMs: Array.from({ length: 600 }, (_, i) => T0 + (100 + i) * TF),
        a: a.subarray(100, 700),
        b: b.subarray(100, 700),
      },
      { pair: 'x', timeframe: '1s', window: 20, hedge: 'rolling' },
    );
    const z = series.columns.zscore.map((v) => v ?? NaN);
    expect(mismatch(z, ap.series.zscore.subarray(100))).toBeNull();

    // Quiet feed: the clock alone produces forward-filled rows.
    h.feed.now = T0 + 703 * TF + 250;
    await waitFor(() => h.events.flatMap((e) => e.columns.startMs).includes(T0 + 702 * TF));
    const last = await h.host.series(1);
    expect(last.columns.closeA).toEqual([a[699]]);
  });

  it('selection change → reset with the new selection; runTests equals adfuller/coint', async () => {
    const h = harness(400, 2);
    h.host.start(selection({ lookback: 300 }));
    await waitFor(() => h.events.length > 0, 15_000);
    h.host.select(selection({ lookback: 300, rollingWindow: 10, hedgeMethod: 'static' }));
    await waitFor(() => h.events.some((e) => e.selection.rollingWindow === 10));
    const ev = h.events.find((e) => e.selection.rollingWindow === 10);
    expect(ev?.reset).toBe(true);
    expect(ev?.selection.hedgeMethod).toBe('static');

    const report = await h.host.runTests();
    const series = await h.host.series(300);
    const A = Float64Array.from(series.columns.closeA);
    const B = Float64Array.from(series.columns.closeB);
    const spread = Float64Array.from(series.columns.spread.filter((v): v is number => v !== null));
    const eg = coint(A, B, { trend: 'c', autolag: 'AIC' });
    const adf = adfuller(spread, { regression: 'c', autolag: 'AIC' });
    if (!eg.ok || !adf.ok || !report.engleGranger.ok || !report.adf.ok) throw new Error('failed');
    expect(report.engleGranger.stat).toBe(eg.stat);
    expect(report.engleGranger.pvalue).toBe(eg.pvalue);
    expect(report.adf.stat).toBe(adf.stat);
    expect(report.adf.pvalue).toBe(adf.pvalue);
    expect(report.bars).toBe(300);
    expect(report.selection.hedgeMethod).toBe('static');
    expect(report.reading).toMatch(/^Engle–Granger: /);
    await waitFor(() => h.reports.length > 0);
    expect(await h.host.lastTests()).toEqual(h.reports.at(-1));
  });

  it('scheduled tests every N new bars emit stationarity reports', async () => {
    const { a, b } = cointegratedPair(400, 3);
    const h = harness(300, 3, { testEveryBars: 20 });
    h.host.start(selection({ lookback: 300 }));
    await waitFor(() => h.reports.length >= 1, 15_000, 'report after configure');
    for (let i = 300; i < 340; i++) {
      h.host.onBar(bar('BTCUSDT', i, a[i]));
      h.host.onBar(bar('ETHUSDT', i, b[i]));
    }
    await waitFor(() => h.reports.length >= 2, 10_000, 'scheduled report');
    expect(h.reports.every((r) => r.engleGranger.ok)).toBe(true);
  });

  it('a crashed worker is restarted and recomputes; stop terminates it', async () => {
    const h = harness(300, 4);
    h.host.start(selection({ lookback: 200 }));
    await waitFor(() => h.events.length > 0, 15_000);
    const before = h.host.workerThread;
    expect(before).not.toBeNull();
    const exited = new Promise<number>((r) => before?.once('exit', r));
    h.host.crashWorkerForTest();
    expect(await exited).not.toBe(0);
    await waitFor(() => h.host.restarts === 1 && h.events.length >= 2, 15_000, 'restart');
    expect(h.events.at(-1)?.reset).toBe(true);
    expect(h.host.workerThread).not.toBe(before);
    expect((await h.host.series(5)).columns.startMs.length).toBe(5);

    const w = h.host.workerThread;
    const gone = new Promise<void>((r) => w?.once('exit', () => r()));
    await h.host.stop();
    await gone;
    expect(h.host.workerThread).toBeNull();
    await expect(h.host.series(1)).rejects.toThrow(/stopped/);
  });

  it('measures: µs per live row at W = 1000 and recompute of 10k / 100k bars', async () => {
    const n = 140_000;
    const { a, b } = cointegratedPair(n, 9);
    const h = harness(100_000, 9);
    h.host.start(selection({ rollingWindow: 1000, lookback: 100_000 }));
    await waitFor(() => h.events.length > 0, 30_000);
    const p100k = await h.host.perf();
    h.host.select(selection({ rollingWindow: 1000, lookback: 10_000 }));
    await waitFor(() => h.events.some((e) => e.selection.lookback === 10_000));
    const p10k = await h.host.perf();
    for (let i = 100_000; i < n; i++) {
      h.host.onBar(bar('BTCUSDT', i, a[i]));
      h.host.onBar(bar('ETHUSDT', i, b[i]));
    }
    await waitFor(() => h.events.flatMap((e) => e.columns.startMs).includes(T0 + (n - 1) * TF));
    const live = await h.host.perf();
    console.log(
      `analytics worker: ${live.usPerLiveRow.toFixed(2)} µs/row live at W=1000 (${live.liveRows} rows incl. message handling); ` +
        `recompute ${p10k.recomputeMs.toFixed(1)} ms for 10k rows, ${p100k.recomputeMs.toFixed(1)} ms for 100k rows (worker); ` +
        `store read (main) ${h.host.lastStoreReadMs.toFixed(1)} ms`,
    );
    expect(live.liveRows).toBe(40_000);
    // Loose bounds: the test shares the CPU with other files; bench/analyticsLive.ts holds the targets.
    expect(live.usPerLiveRow).toBeLessThan(50);
    expect(p100k.recomputeRows).toBe(100_000);
    expect(p100k.recomputeMs).toBeLessThan(2000);
  });
});
