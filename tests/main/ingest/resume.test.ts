/**
 * A live dataset continued after the process died mid-interval: the resumed pipeline replays the
 * stored ticks of the unfinished interval, so the bars spanning the restart equal their ticks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tick } from '../../../src/core/market/types';
import { IngestPipeline } from '../../../src/main/ingest/ingestPipeline';
import { PairDeskStore } from '../../../src/main/store/store';
import { directBars } from '../../core/bars/exactReference';

function tick(symbol: string, tradeId: number, timeMs: number, price: string, qty: string): Tick {
  return {
    symbol,
    tradeId,
    timeMs,
    eventTimeMs: timeMs,
    price: Number(price),
    qty: Number(qty),
    priceText: price,
    qtyText: qty,
    isBuyerMaker: tradeId % 3 === 0,
    stream: 'aggTrade',
    tradeType: 'MARKET',
  };
}

describe('IngestPipeline.resume', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('finds the stored symbols and rebuilds the bars that span a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pairdesk-resume-'));
    dirs.push(dir);
    const file = join(dir, 'live.db');
    const start = Date.UTC(2026, 10, 21, 12, 0, 0);
    const ticks: Tick[] = [];
    for (let i = 0; i < 400; i++) {
      const symbol = i % 2 === 0 ? 'BTCUSDT' : 'ETHUSDT';
      const price =
        symbol === 'BTCUSDT'
          ? (60_000 + (i % 17) / 10).toFixed(1)
          : (3_000 + (i % 13) / 100).toFixed(2);
      ticks.push(
        tick(
          symbol,
          1_000 + i,
          start + i * 500,
          price,
          `0.${String(1 + (i % 97)).padStart(3, '0')}`,
        ),
      );
    }
    const wall = (): number => start + 10 * 60_000;

    // First run: half the ticks are stored, then the process "dies" (no finish, no close).
    const first = PairDeskStore.open(file);
    const live = first.getOrCreateLiveDataset();
    const before = new IngestPipeline({ store: first, datasetId: live.id, wallNow: wall });
    for (const t of ticks.slice(0, 250)) before.handleTick(t);
    first.flush();
    first.db.close();

    // Second run on the same file.
    const store = PairDeskStore.open(file);
    expect(store.tickSymbols(live.id)).toEqual(['BTCUSDT', 'ETHUSDT']);
    const after = new IngestPipeline({ store, datasetId: live.id, wallNow: wall });
    expect(after.resume()).toBeGreaterThan(0);
    for (const t of ticks.slice(250)) after.handleTick(t);
    // A repeat of a stored tick is recognised after the restart.
    after.handleTick(ticks[249]);
    expect(after.snapshot().rejects.duplicate).toBe(1);
    after.finish();

    const expected = directBars(ticks, [1_000, 60_000, 300_000]);
    for (const tf of [1_000, 60_000, 300_000]) {
      for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
        const want = [...expected.values()].filter(
          (b) => b.symbol === symbol && b.timeframeMs === tf,
        );
        expect(store.bars(live.id, symbol, tf), `${symbol} ${tf}`).toEqual(want);
      }
    }
    store.close();
  });
});
