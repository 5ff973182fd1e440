/**
 * barCsvCells / tickCsvCells put each field under its own header: the header names, read as
 * camelCase, are the Bar / Tick fields (tick price/qty as the received text, trade id as tradeId).
 */
import { describe, expect, it } from 'vitest';
import {
  BAR_CSV_HEADER,
  barCsvCells,
  TICK_CSV_HEADER,
  tickCsvCells,
} from '../../../src/core/formats/exportHeaders';
import type { Bar, Tick } from '../../../src/core/market/types';

const camel = (name: string): string =>
  name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

describe('export CSV cells', () => {
  it('barCsvCells: one cell per header, each the field the header names', () => {
    // Every field a distinct value, so a swapped pair of columns shows.
    const bar: Bar = {
      symbol: 'BTCUSDT',
      timeframeMs: 60_000,
      startMs: 1_721_260_800_000,
      open: 1,
      high: 2,
      low: 3,
      close: 4,
      volume: 5,
      quoteVolume: 6,
      trades: 7,
      takerBuyVolume: 8,
      vwap: 9,
    };
    const cells = barCsvCells(bar);
    expect(cells).toHaveLength(BAR_CSV_HEADER.length);
    const byField = bar as unknown as Record<string, unknown>;
    BAR_CSV_HEADER.forEach((h, i) => expect(cells[i], h).toBe(byField[camel(h)]));
  });

  it('tickCsvCells: one cell per header, price and qty as the received text', () => {
    const tick: Tick = {
      symbol: 'ETHUSDT',
      tradeId: 42,
      timeMs: 1_721_260_800_123,
      eventTimeMs: 1_721_260_800_124,
      price: 3400.5,
      priceText: '3400.50',
      qty: 0.1,
      qtyText: '0.100',
      isBuyerMaker: true,
      stream: 'aggTrade',
      tradeType: 'MARKET',
    };
    const byField: Record<string, unknown> = {
      symbol: tick.symbol,
      tradeId: tick.tradeId,
      timeMs: tick.timeMs,
      price: tick.priceText,
      qty: tick.qtyText,
      isBuyerMaker: tick.isBuyerMaker,
    };
    const cells = tickCsvCells(tick);
    expect(cells).toHaveLength(TICK_CSV_HEADER.length);
    TICK_CSV_HEADER.forEach((h, i) => expect(cells[i], h).toBe(byField[camel(h)]));
  });
});
