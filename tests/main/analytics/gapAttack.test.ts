/**
 * Issue #13 finding 1: one tick per leg dated 2017-01-01, then live 1 s ticks. Through the REAL
 * worker (AnalyticsHost) the series must stay bounded and answer promptly, live and on a
 * recompute from stored bars (a change of W); the ingestion pipeline must reject such times on a
 * live feed and count them; a worker that dies (terminate, throw, heap cap) is restarted and
 * says so; restarts are bounded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMap } from '../../../src/core/contract/contract';
import type { Bar } from '../../../src/core/market/types';
import { AnalyticsHost } from '../../../src/main/analytics/analyticsHost';
import { IngestPipeline } from '../../../src/main/ingest/ingestPipeline';
import { PairDeskStore } from '../../../src/main/store/store';
import { analyticsSelection as selection, flatBar as bar } from '../../support/analyticsFixtures';

const TF = 1000;
const T2017 = Date.UTC(2017, 0, 1);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

let host: AnalyticsHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

describe('a 2017 tick then live ticks, through the real worker', () => {
  it('live and on a change of W: bounded memory, prompt series, rows = live bars only', async () => {
    const now = Math.floor(Date.now() / TF) * TF;
    const stored = new Map<string, Bar[]>([
      ['BTCUSDT', []],
      ['ETHUSDT', []],
    ]);
    let feedNow: number | null = null;
    const events: EventMap['analytics'][] = [];
    host = new AnalyticsHost({
      loadBars: (symbol, _tf, limit) => {
        const bars = (stored.get(symbol) ?? []).slice(-limit);
        return {
          startMs: Float64Array.from(bars, (b) => b.startMs),
          close: Float64Array.from(bars, (b) => b.close),
        };
      },
      feedNow: () => feedNow,
      onSeries: (p) => events.push(p),
      onStationarity: () => undefined,
      tickMs: 20,
    });
    host.start(selection());
    await waitFor(() => events.some((e) => e.reset), 20_000, 'the first reset');
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const deliver = (b: Bar): void => {
      stored.get(b.symbol)?.push(b);
      host?.onBar(b);
    };
    try {
      // The attack: a bar per leg in 2017 (closed when the live ticks arrived), then 120 live bars.
      deliver(bar('BTCUSDT', T2017, 30_000));
      deliver(bar('ETHUSDT', T2017, 2_000));
      const LIVE = 120;
      for (let i = LIVE; i >= 1; i--) {
        deliver(bar('BTCUSDT', now - i * TF, 60_000 + 20 * Math.sin(i)));
        deliver(bar('ETHUSDT', now - i * TF, 3_000 + Math.cos(i / 3)));
      }
      const before = events.length;
      feedNow = now + 300;
      let t0 = performance.now();
      // The gap restarts the grid: the live rows come as a reset (the 2017 row is dropped).
      await waitFor(
        () => events.slice(before).some((e) => e.reset && e.columns.startMs.length > 0),
        10_000,
        'live rows',
      );
      let s = await host.series(100_000);
      const liveMs = performance.now() - t0;
      expect(s.columns.startMs.length).toBe(LIVE);
      expect(s.columns.startMs[0]).toBe(now - LIVE * TF);
      // A change of W: recompute from the stored bars (the 2017 bar among them).
      t0 = performance.now();
      host.select(selection({ rollingWindow: 40 }));
      await waitFor(
        () => events.some((e) => e.reset && e.selection.rollingWindow === 40),
        10_000,
        'the recompute',
      );
      s = await host.series(100_000);
      const recomputeMs = performance.now() - t0;
      expect(s.columns.startMs.length).toBe(LIVE);
      expect(s.selection.rollingWindow).toBe(40);
      const perf = await host.perf();
      console.log(
        `gap attack: live ${liveMs.toFixed(0)} ms to the series, recompute ${recomputeMs.toFixed(0)} ms ` +
          `(worker ${perf.recomputeMs.toFixed(1)} ms, ${perf.recomputeRows} rows); RSS ` +
          `${(rss0 / 1e6).toFixed(0)} → peak ${(peak / 1e6).toFixed(0)} MB`,
      );
      expect(liveMs).toBeLessThan(3_000);
      expect(recomputeMs).toBeLessThan(3_000);
      expect(peak - rss0).toBeLessThan(200e6);
      expect(host.restarts).toBe(0);
    } finally {
      clearInterval(sampler);
    }
  }, 60_000);
});

describe('ingestion: times far from the clocks are rejected and counted', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function pipelineFor(
    wallClockFeed: boolean,
    wallNow: number,
  ): { p: IngestPipeline; store: PairDeskStore } {
    const dir = mkdtempSync(join(tmpdir(), 'pairdesk-gap-'));
    dirs.push(dir);
    const store = PairDeskStore.open(join(dir, 'gap.db'));
    const dataset = store.createDataset(wallClockFeed ? 'demo' : 'replay', 'gap', 'test');
    const p = new IngestPipeline({
      store,
      datasetId: dataset.id,
      symbols: ['BTCUSDT', 'ETHUSDT'],
      wallClockFeed,
      wallNow: () => wallNow,
    });
    return { p, store };
  }
  const frame = (symbol: string, id: number, t: number): string =>
    `{"e":"aggTrade","E":${t},"a":${id},"s":"${symbol}","p":"100.5","q":"0.010",` +
    `"f":${id},"l":${id},"T":${t},"m":false}`;

  it('live feed: a 2017 tick (before any other) and a tick 10 min ahead are implausible_time', () => {
    const wall = Date.now();
    const { p, store } = pipelineFor(true, wall);
    p.handleRaw(frame('BTCUSDT', 1, T2017));
    p.handleRaw(frame('ETHUSDT', 1, T2017));
    p.handleRaw(frame('BTCUSDT', 2, wall + 10 * 60_000));
    p.handleRaw(frame('BTCUSDT', 3, wall - 1_000));
    p.handleRaw(frame('ETHUSDT', 2, wall + 60_000)); // a skewed clock within 5 min: accepted
    const snap = p.snapshot();
    expect(snap.rejects.implausible_time).toBe(3);
    expect(snap.ticksAccepted).toBe(2);
    const last = p.rejects.recent().map((r) => r.message);
    expect(last.some((m) => /behind the local clock/.test(m))).toBe(true);
    expect(last.some((m) => /ahead of the local clock/.test(m))).toBe(true);
    store.close();
  });

  it('replay: dates are the capture’s; only a tick > 1 h behind its own clock is rejected', () => {
    const t = Date.UTC(2024, 6, 18, 23, 57);
    const { p, store } = pipelineFor(false, Date.now());
    p.handleRaw(frame('BTCUSDT', 1, t));
    p.handleRaw(frame('ETHUSDT', 1, t - 61 * 60_000)); // new symbol, 61 min behind the clock
    p.handleRaw(frame('ETHUSDT', 2, t - 59 * 60_000 + 1_000)); // within the hour: the aggregator judges
    const snap = p.snapshot();
    expect(snap.rejects.implausible_time).toBe(1);
    store.close();
  });
});

describe('a dead worker is restarted and says so', () => {
  function newHost(over: Partial<ConstructorParameters<typeof AnalyticsHost>[0]> = {}): {
    h: AnalyticsHost;
    events: EventMap['analytics'][];
  } {
    const events: EventMap['analytics'][] = [];
    const h = new AnalyticsHost({
      loadBars: () => ({ startMs: new Float64Array(0), close: new Float64Array(0) }),
      feedNow: () => null,
      onSeries: (p) => events.push(p),
      onStationarity: () => undefined,
      ...over,
    });
    host = h;
    return { h, events };
  }

  it('terminated, thrown, out of memory: restarted each time, notice on series and events', async () => {
    const { h, events } = newHost({ maxHeapMb: 48 });
    h.start(selection());
    await h.series(10);
    const w1 = h.workerThread;
    await w1?.terminate();
    await waitFor(
      () => h.restarts === 1 && h.workerThread !== null && h.workerThread !== w1,
      10_000,
      'restart 1',
    );
    let s = await h.series(10);
    expect(s.notice).toMatch(/stopped \(exit code 1\).*restarted \(1 restart\)/);
    h.crashWorkerForTest('boom');
    await waitFor(() => h.restarts === 2, 10_000, 'restart 2');
    s = await h.series(10);
    expect(s.notice).toMatch(/failed: boom.*restarted \(2 restarts\)/);
    const rss0 = process.memoryUsage().rss;
    h.exhaustWorkerMemoryForTest();
    await waitFor(() => h.restarts === 3, 30_000, 'restart after the heap cap');
    s = await h.series(10);
    expect(s.notice).toMatch(/ran out of memory \(over its 48 MB heap\).*restarted \(3 restarts\)/);
    console.log(
      `heap-capped worker died and was restarted; RSS ${(rss0 / 1e6).toFixed(0)} → ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
    );
    await waitFor(
      () => events.some((e) => e.notice?.includes('3 restarts') === true),
      10_000,
      'an event with the notice',
    );
    expect(h.status.gaveUp).toBe(false);
  }, 90_000);

  it('restarts are bounded: gives up with a reason, requests fail fast, a new selection retries', async () => {
    const { h, events } = newHost({ maxRestarts: 1 });
    h.start(selection());
    await h.series(10);
    h.crashWorkerForTest('first');
    await waitFor(() => h.restarts === 1 && h.workerThread !== null, 10_000, 'restart');
    await h.series(10);
    h.crashWorkerForTest('second');
    await waitFor(() => h.status.gaveUp, 10_000, 'giving up');
    expect(h.workerThread).toBeNull();
    const last = events[events.length - 1];
    expect(last.warmup).toMatch(/failed: second.*2 times in a row; it is no longer restarted/);
    await expect(h.series(10)).rejects.toThrow(/no longer restarted/);
    h.select(selection({ lookback: 500 }));
    const s = await h.series(10);
    expect(s.selection.lookback).toBe(500);
    expect(h.status).toMatchObject({ gaveUp: false, notice: null });
  }, 60_000);
});
