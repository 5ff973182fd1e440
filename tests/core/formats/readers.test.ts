import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AggTradesReader } from '../../../src/core/formats/aggTrades';
import { BookTickerReader, type Quote } from '../../../src/core/formats/bookTicker';
import type { LineReject, LineResult } from '../../../src/core/formats/common';
import { KlinesReader, type KlineRow } from '../../../src/core/formats/klines';
import type { TradeRow } from '../../../src/core/formats/tradeLines';
import { TradesReader } from '../../../src/core/formats/trades';
import { REPO_ROOT } from '../../support/realData';

const DIR = join(REPO_ROOT, 'tests/fixtures/formats');

interface Reader<T> {
  push(line: string, lineNo: number): LineResult<T>;
}

function readAll<T>(reader: Reader<T>, file: string): { items: T[]; rejects: LineReject[] } {
  const items: T[] = [];
  const rejects: LineReject[] = [];
  const lines = readFileSync(join(DIR, file), 'utf8').split('\n');
  lines.forEach((line, i) => {
    const r = reader.push(line, i + 1);
    if (r.kind === 'item') items.push(r.item);
    else if (r.kind === 'reject') rejects.push(r.reject);
  });
  return { items, rejects };
}

const FIRST_TICK = {
  symbol: 'BTCUSDT',
  tradeId: 5182005737,
  timeMs: 1721347022956,
  eventTimeMs: 1721347022956,
  price: 63943.9,
  qty: 0.003,
  priceText: '63943.90',
  qtyText: '0.003',
  isBuyerMaker: true,
  tradeType: 'MARKET',
};

describe('AggTradesReader', () => {
  it('futures file with header, ms', () => {
    const r = new AggTradesReader({ symbol: 'BTCUSDT' });
    const { items, rejects } = readAll<TradeRow>(r, 'BTCUSDT-aggTrades-2024-07-18.csv');
    expect(rejects).toEqual([]);
    expect(items).toHaveLength(40);
    expect(items[0]).toEqual({
      tick: { ...FIRST_TICK, stream: 'aggTrade' },
      firstTradeId: 5182005737,
      lastTradeId: 5182005737,
    });
    expect(r.tally).toMatchObject({ lines: 42, items: 40, skipped: 2, rejected: 0 });
  });

  it('spot 8-column file without header, ms and µs give the same ticks; µs kept exactly', () => {
    const ms = readAll<TradeRow>(
      new AggTradesReader({ symbol: 'BTCUSDT' }),
      'spot-ms-BTCUSDT-aggTrades-2024-07-18.csv',
    );
    const us = readAll<TradeRow>(
      new AggTradesReader({ symbol: 'btcusdt' }),
      'spot-us-BTCUSDT-aggTrades-2024-07-18.csv',
    );
    expect(ms.rejects).toEqual([]);
    expect(us.rejects).toEqual([]);
    expect(us.items.map((x) => x.tick)).toEqual(ms.items.map((x) => x.tick));
    expect(ms.items[0].isBestMatch).toBe(true);
    expect(ms.items[0].timeUs).toBeUndefined();
    // 1721347022956737 µs: tick time truncated to ms, exact value kept.
    expect(us.items[0].timeUs).toBe(1721347022956737);
    expect(us.items[0].tick.timeMs).toBe(1721347022956);
  });

  it('sub-millisecond part is truncated, never rounded up into the next ms', () => {
    const r = new AggTradesReader({ symbol: 'BTCUSDT' });
    const res = r.push('1,100.5,2,1,1,1721347022999999,False,True', 1);
    expect(res).toMatchObject({
      kind: 'item',
      item: { timeUs: 1721347022999999, tick: { timeMs: 1721347022999, isBuyerMaker: false } },
    });
  });

  it('bad lines are rejected with reason, field and line number; good ones around them kept', () => {
    const r = new AggTradesReader({ symbol: 'BTCUSDT' });
    const { items, rejects } = readAll<TradeRow>(r, 'bad-BTCUSDT-aggTrades-2024-07-18.csv');
    expect(items.map((x) => x.tick.tradeId)).toEqual([
      5182005737, 5182005738, 5182005739, 5182005740, 5182005741, 5182005742,
    ]);
    expect(rejects.map((x) => [x.line, x.reason, x.field])).toEqual([
      [4, 'wrong_column_count', undefined],
      [6, 'bad_price', 'price'],
      [7, 'bad_qty', 'quantity'],
      [8, 'implausible_time', 'transact_time'],
      [9, 'duplicate', 'agg_trade_id'],
      [10, 'bad_flag', 'is_buyer_maker'],
    ]);
    expect(rejects[1].message).toBe('price "abc" is not a plain decimal like "123.45"');
    expect(rejects[2].message).toBe('quantity "-0.5" is not a finite number > 0');
    expect(rejects[4].message).toBe('BTCUSDT aggTrade id 5182005738 was already received');
    expect(r.tally.rejected).toBe(6);
    expect(r.tally.byReason.get('duplicate')).toBe(1);
    expect(r.tally.firstRejects).toEqual(rejects);
  });

  it('clips a huge offending value in the message', () => {
    const r = new AggTradesReader({ symbol: 'BTCUSDT' });
    const res = r.push(`1,${'9'.repeat(5000)}x,1,1,1,1721347022956,true`, 7);
    expect(res.kind).toBe('reject');
    if (res.kind === 'reject') {
      expect(res.reject.message.length).toBeLessThan(120);
      expect(res.reject.message).toContain('(5001 chars)');
    }
  });
});

describe('TradesReader', () => {
  it('futures with header, spot ms and spot µs without header give the same ticks', () => {
    const fut = readAll<TradeRow>(
      new TradesReader({ symbol: 'BTCUSDT' }),
      'BTCUSDT-trades-2024-07-18.csv',
    );
    const spotMs = readAll<TradeRow>(
      new TradesReader({ symbol: 'BTCUSDT' }),
      'spot-ms-BTCUSDT-trades-2024-07-18.csv',
    );
    const spotUs = readAll<TradeRow>(
      new TradesReader({ symbol: 'BTCUSDT' }),
      'spot-us-BTCUSDT-trades-2024-07-18.csv',
    );
    for (const x of [fut, spotMs, spotUs]) {
      expect(x.rejects).toEqual([]);
      expect(x.items).toHaveLength(40);
    }
    expect(fut.items[0]).toEqual({ tick: { ...FIRST_TICK, stream: 'trade' } });
    expect(spotMs.items.map((x) => x.tick)).toEqual(fut.items.map((x) => x.tick));
    expect(spotUs.items.map((x) => x.tick)).toEqual(fut.items.map((x) => x.tick));
    expect(spotUs.items[0]).toMatchObject({ isBestMatch: true, timeUs: 1721347022956737 });
  });

  it('rejects a bad quote_qty and a wrong column count', () => {
    const r = new TradesReader({ symbol: 'BTCUSDT' });
    expect(r.push('1,2.5,1,x,1721347022956,true', 1)).toMatchObject({
      kind: 'reject',
      reject: { reason: 'bad_qty', field: 'quote_qty', line: 1 },
    });
    expect(r.push('1,2.5,1,2.5,1721347022956', 2)).toMatchObject({
      kind: 'reject',
      reject: { reason: 'wrong_column_count', line: 2 },
    });
  });
});

describe('KlinesReader', () => {
  it('1m klines with header, ms: bars with the interval from close_time - open_time + 1', () => {
    const r = new KlinesReader({ symbol: 'BTCUSDT' });
    const { items, rejects } = readAll<KlineRow>(r, 'BTCUSDT-1m-2024-07-18.csv');
    expect(rejects).toEqual([]);
    expect(items.length).toBeGreaterThan(5);
    expect(r.timeframe).toBe(60_000);
    expect(items[0].bar).toMatchObject({
      symbol: 'BTCUSDT',
      timeframeMs: 60_000,
      startMs: 1721347020000,
      open: 63943.9,
      close: 63952.6,
      trades: 291,
      takerBuyVolume: 17.45,
    });
    expect(items[0].text.takerBuyQuoteVolume).toBe('1115886.32750000');
  });

  it('1s klines in µs without header', () => {
    const r = new KlinesReader({ symbol: 'BTCUSDT', timeframeMs: 1000 });
    const { items, rejects } = readAll<KlineRow>(r, 'spot-us-BTCUSDT-1s-2024-07-18.csv');
    expect(rejects).toEqual([]);
    expect(items).toHaveLength(30);
    expect(items[0].bar.startMs).toBe(1721347022000);
    expect(items[0].openTimeUs).toBe(1721347022000000);
  });

  it('skips empty intervals, accepts out-of-order lines, rejects duplicates and bad intervals', () => {
    const r = new KlinesReader({ symbol: 'BTCUSDT' });
    const line = (open: number, count = 3, span = 60_000): string =>
      `${open},10,12,9,11,5,${open + span - 1},55,${count},2,22,0`;
    const t0 = 1721347020000;
    expect(r.push(line(t0 + 60_000), 1).kind).toBe('item');
    expect(r.push(line(t0), 2).kind).toBe('item');
    expect(r.push(line(t0 + 120_000, 0), 3)).toEqual({ kind: 'skip', why: 'empty_interval' });
    expect(r.push(line(t0), 4)).toMatchObject({
      kind: 'reject',
      reject: { reason: 'duplicate', field: 'open_time', line: 4 },
    });
    expect(r.push(line(t0 + 180_000, 3, 1000), 5)).toMatchObject({
      kind: 'reject',
      reject: { reason: 'bad_interval', field: 'open_time' },
    });
    expect(r.push(`${t0 + 240_000},10,8,9,11,5,${t0 + 299_999},55,3,2,22,0`, 6)).toMatchObject({
      kind: 'reject',
      reject: { reason: 'bad_price', field: 'high' },
    });
    expect(r.push(`${t0 + 300_000},10,12,9,11,-5,${t0 + 359_999},55,3,2,22,0`, 7)).toMatchObject({
      kind: 'reject',
      reject: { reason: 'bad_qty', field: 'volume' },
    });
  });
});

describe('BookTickerReader', () => {
  it('reads quotes with exact text', () => {
    const r = new BookTickerReader({ symbol: 'ETHUSDT' });
    const { items, rejects } = readAll<Quote>(r, 'ETHUSDT-bookTicker-2024-07-18.csv');
    expect(rejects).toEqual([]);
    expect(items).toHaveLength(40);
    expect(items[0]).toEqual({
      symbol: 'ETHUSDT',
      updateId: 4984028373731,
      bidPrice: 3424.98,
      bidQty: 197.907,
      askPrice: 3424.99,
      askQty: 5.051,
      bidPriceText: '3424.98',
      bidQtyText: '197.907',
      askPriceText: '3424.99',
      askQtyText: '5.051',
      txTimeMs: 1721347022561,
      eventTimeMs: 1721347022561,
    });
  });

  it('accepts an empty side (0), rejects a negative price and a bad time', () => {
    const r = new BookTickerReader({ symbol: 'ETHUSDT' });
    expect(r.push('1,0,0,3424.99,5.051,1721347022561,1721347022561', 1).kind).toBe('item');
    expect(r.push('2,-1,0,3424.99,5.051,1721347022561,1721347022561', 2)).toMatchObject({
      kind: 'reject',
      reject: { reason: 'bad_price', field: 'best_bid_price' },
    });
    expect(r.push('3,1,0,3424.99,5.051,1721347022561,soon', 3)).toMatchObject({
      kind: 'reject',
      reject: { reason: 'implausible_time', field: 'event_time' },
    });
  });
});

describe('line endings and headers', () => {
  it('CRLF lines and a BOM before the header are handled', () => {
    const r = new TradesReader({ symbol: 'BTCUSDT' });
    expect(r.push('\uFEFFid,price,qty,quote_qty,time,is_buyer_maker\r', 1)).toEqual({
      kind: 'skip',
      why: 'header',
    });
    expect(r.push('7,2.50,1.0,2.5,1721347022956,true\r', 2)).toMatchObject({
      kind: 'item',
      item: { tick: { tradeId: 7, priceText: '2.50', qtyText: '1.0', isBuyerMaker: true } },
    });
  });

  it('a header after the first line is a bad line, not a header', () => {
    const r = new BookTickerReader({ symbol: 'ETHUSDT' });
    expect(r.push('1,1,1,1,1,1721347022956,1721347022956', 1).kind).toBe('item');
    expect(
      r.push(
        'update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time',
        2,
      ),
    ).toMatchObject({
      kind: 'reject',
      reject: { reason: 'bad_trade_id', field: 'update_id', line: 2 },
    });
  });
});
