import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bar, Tick } from '../../../src/core/market/types';

/** A fresh temp directory per test file; real SQLite files live there. */
export function tempDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-store-test-'));
  return {
    dir,
    file: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Deterministic tick whose content is derived from its id (so rows can be verified). */
export function makeTick(tradeId: number, over: Partial<Tick> = {}): Tick {
  const priceText = (100 + (tradeId % 1000) / 100).toFixed(2);
  const qtyText = `0.${String(tradeId % 997).padStart(3, '0')}`;
  return {
    symbol: 'BTCUSDT',
    tradeId,
    timeMs: 1_700_000_000_000 + tradeId,
    eventTimeMs: 1_700_000_000_005 + tradeId,
    price: Number(priceText),
    qty: Number(qtyText),
    priceText,
    qtyText,
    isBuyerMaker: tradeId % 2 === 0,
    stream: 'aggTrade',
    tradeType: 'MARKET',
    ...over,
  };
}

export function makeBar(startMs: number, over: Partial<Bar> = {}): Bar {
  return {
    symbol: 'BTCUSDT',
    timeframeMs: 60_000,
    startMs,
    open: 100,
    high: 101,
    low: 99,
    close: 100.5,
    volume: 2,
    quoteVolume: 201,
    trades: 3,
    takerBuyVolume: 1,
    vwap: 100.5,
    ...over,
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `cond` every 5 ms until true or `timeoutMs` elapses. */
export async function waitFor(cond: () => boolean, timeoutMs = 2000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(5);
  }
  return cond();
}
