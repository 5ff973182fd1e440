/**
 * The production recorder (feed client + ingestion pipeline + SQLite store) against the
 * project's own Binance-compatible feed on 127.0.0.1, under the failures users of Binance
 * clients report: dropped connections, silent sockets, malformed frames, live subscription
 * changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TradeIdGap } from '../../src/core/binance/gapTracker';
import type { FeedState } from '../../src/main/feed/types';
import { startFeedServer, type FeedServer } from '../../src/main/feedserver';
import { Recorder } from '../../src/main/recorder/recorder';
import { PairDeskStore } from '../../src/main/store/store';

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('recorder against the local Binance-compatible feed', () => {
  let dir: string;
  let server: FeedServer;
  let store: PairDeskStore;
  let recorder: Recorder;
  const states: FeedState[] = [];
  const gaps: TradeIdGap[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pairdesk-rec-'));
    server = await startFeedServer({
      port: 0,
      source: { kind: 'sim', symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], rate: 400, seed: 7 },
    });
    store = PairDeskStore.open(join(dir, 'rec.db'));
    states.length = 0;
    gaps.length = 0;
    recorder = new Recorder({
      store,
      symbols: ['BTCUSDT', 'ETHUSDT'],
      url: server.url,
      datasetKind: 'demo',
      // Backoff has full jitter (delay = U(0, cap)); a fixed draw near 1 makes every reconnect wait
      // ~300 ms, so the outage always spans simulated trades (~80 expected at 400/s, 2 of 3 symbols).
      // With Math.random a reconnect could come back within one 5 ms sim tick and see no gap.
      feed: { watchdogMs: 600, backoff: { initialMs: 300, maxMs: 600 }, random: () => 0.999 },
      onConnection: (s) => states.push(s.state),
      listener: { onGap: (g) => gaps.push(g) },
    });
    recorder.start();
    await waitFor('live', () => recorder.status().connection.state === 'live');
  });

  afterEach(async () => {
    await recorder.stop();
    store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reconnects after the server drops the connection and reports the trade-id gap', async () => {
    await waitFor('ticks', () => recorder.status().ticksAccepted > 100);
    const connectsBefore = server.stats().totalConnections;
    server.dropAllConnections();
    await waitFor('backing off', () => states.includes('backing_off'));
    await waitFor(
      'live again',
      () =>
        recorder.status().connection.state === 'live' &&
        server.stats().totalConnections > connectsBefore,
    );
    // Trades simulated while disconnected never reached us: the id tracker says which.
    await waitFor('gap report', () => gaps.length > 0);
    const gap = gaps[0];
    expect(gap.toId).toBeGreaterThanOrEqual(gap.fromId);
    expect(gap.count).toBe(gap.toId - gap.fromId + 1);
    const before = recorder.status().ticksAccepted;
    await waitFor('data resumes', () => recorder.status().ticksAccepted > before + 50);
    expect(recorder.status().rejectsTotal).toBe(0);
    // Nothing else was lost: per symbol, stored ids span min…max minus exactly the reported gaps.
    await recorder.stop();
    for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
      const range = store.tradeIdRange(recorder.dataset.id, symbol, 'aggTrade');
      expect(range).toBeDefined();
      const missing = gaps
        .filter((g) => g.symbol === symbol && g.stream === 'aggTrade')
        .reduce((n, g) => n + g.count, 0);
      const stored = store.tickCount(recorder.dataset.id, symbol);
      expect(stored).toBe(range!.max - range!.min + 1 - missing);
    }
  });

  it('lets the watchdog replace a connection that is open but silent', async () => {
    server.setSilent(true);
    await waitFor('stale', () => states.includes('stale'), 5_000);
    server.setSilent(false);
    await waitFor('live again', () => recorder.status().connection.state === 'live', 10_000);
    const before = recorder.status().ticksAccepted;
    await waitFor('data resumes', () => recorder.status().ticksAccepted > before + 50);
  });

  it('counts malformed frames as rejects and keeps the good data flowing', async () => {
    await waitFor('ticks', () => recorder.status().ticksAccepted > 50);
    const sent = server.sendMalformed(10);
    expect(sent).toBe(10);
    await waitFor('10 rejects', () => recorder.status().rejectsTotal >= 10);
    const status = recorder.status();
    expect(status.rejectsTotal).toBe(10);
    expect(status.rejects.malformed_json).toBeGreaterThan(0);
    const recent = recorder.pipeline.rejects.recent();
    expect(recent.every((r) => r.message.length > 0)).toBe(true);
    const before = status.ticksAccepted;
    await waitFor('data keeps flowing', () => recorder.status().ticksAccepted > before + 50);
    expect(recorder.status().connection.state).toBe('live');
  });

  it('subscribes a new symbol on the open connection', async () => {
    const connections = server.stats().totalConnections;
    recorder.addSymbol('SOLUSDT');
    await waitFor('SOLUSDT ticks', () => recorder.pipeline.lastPrice('SOLUSDT') !== undefined);
    expect(server.stats().totalConnections).toBe(connections);
    recorder.removeSymbol('BTCUSDT');
    await new Promise((r) => setTimeout(r, 300));
    const btcCount = store.tickCount(recorder.dataset.id, 'BTCUSDT');
    await new Promise((r) => setTimeout(r, 500));
    expect(store.tickCount(recorder.dataset.id, 'BTCUSDT')).toBe(btcCount);
    expect(server.stats().totalConnections).toBe(connections);
  });

  it('stores what it accepted and closes every bar on a graceful stop', async () => {
    await waitFor('ticks', () => recorder.status().ticksAccepted > 300);
    const final = await recorder.stop();
    expect(store.tickCount(recorder.dataset.id)).toBe(final.ticksAccepted);
    expect(recorder.pipeline.aggregator.openBars()).toHaveLength(0);
    const bars = store.bars(recorder.dataset.id, 'BTCUSDT', 1_000);
    const trades = bars.reduce((n, b) => n + b.trades, 0);
    expect(trades).toBe(store.tickCount(recorder.dataset.id, 'BTCUSDT'));
  });
});
