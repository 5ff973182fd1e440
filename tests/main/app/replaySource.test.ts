/**
 * The app's replay source end to end in the main process: a real capture replayed through the
 * local feed into its own dataset; at the end the source reads "ended", the connection
 * "stopped", and every trade and closed bar is stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../src/core/contract/contract';
import { startPairDeskApp, type PairDeskApp } from '../../../src/main/app/pairDeskApp';
import { UM_2024_07_18 } from '../../support/realData';

describe('replay source', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-replay-src-'));
  let app: PairDeskApp | undefined;

  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replays a capture into its own dataset and ends cleanly', async () => {
    app = await startPairDeskApp({
      dbFile: join(dir, 'replay.db'),
      source: 'replay',
      replayFile: UM_2024_07_18,
      replaySpeed: 2_000,
    });
    const events: EventEnvelope[] = [];
    app.host.subscribe((e) => events.push(e));
    const services = app.services;
    expect(services.source.kind).toBe('replay');
    expect(services.source.simulated).toBe(false);
    const deadline = Date.now() + 30_000;
    while (services.source.state === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(services.source.state).toBe('ended');
    // The services count the trades replayed for the status line (#8 §3).
    expect(services.source.fileName).toBe(basename(UM_2024_07_18));
    expect(services.source.tradesReplayed).toBe(10_701 + 13_655);
    expect(services.snapshot().connection.state).toBe('stopped');
    expect(
      events.some(
        (e) => e.event === 'source' && (e as EventEnvelope<'source'>).payload.state === 'ended',
      ),
    ).toBe(true);
    const dataset = services.store.getDataset(services.source.datasetId);
    expect(dataset?.kind).toBe('replay');
    // README counts for this capture: every trade stored, every one in a closed 1s bar.
    expect(services.store.tickCount(dataset?.id ?? 0, 'BTCUSDT')).toBe(10_701);
    expect(services.store.tickCount(dataset?.id ?? 0, 'ETHUSDT')).toBe(13_655);
    const bars = services.store.bars(dataset?.id ?? 0, 'ETHUSDT', 1_000);
    expect(bars.reduce((n, b) => n + b.trades, 0)).toBe(13_655);
  }, 60_000);
});
