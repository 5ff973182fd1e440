import { describe, expect, it } from 'vitest';
import { TradeIdGapTracker } from '../../../src/core/binance/gapTracker';
import type { Tick, TradeStream } from '../../../src/core/market/types';

function tick(symbol: string, tradeId: number, stream: TradeStream = 'aggTrade'): Tick {
  return {
    symbol,
    tradeId,
    timeMs: 1_721_347_022_707,
    eventTimeMs: 1_721_347_022_708,
    price: 1,
    qty: 1,
    priceText: '1',
    qtyText: '1',
    isBuyerMaker: false,
    stream,
    tradeType: 'MARKET',
  };
}

describe('TradeIdGapTracker', () => {
  it('reports nothing for contiguous ids and the skipped range otherwise', () => {
    const g = new TradeIdGapTracker();
    expect(g.lastId('BTCUSDT')).toBeUndefined();
    expect(g.observe(tick('BTCUSDT', 10))).toBeNull();
    expect(g.observe(tick('BTCUSDT', 11))).toBeNull();
    expect(g.observe(tick('BTCUSDT', 15))).toStrictEqual({
      symbol: 'BTCUSDT',
      stream: 'aggTrade',
      fromId: 12,
      toId: 14,
      count: 3,
    });
    expect(g.lastId('BTCUSDT')).toBe(15);
  });

  it('does not report a false gap for late or repeated ids', () => {
    const g = new TradeIdGapTracker();
    g.observe(tick('ETHUSDT', 1));
    expect(g.observe(tick('ETHUSDT', 3))?.count).toBe(1);
    expect(g.observe(tick('ETHUSDT', 2))).toBeNull(); // late fill of the gap
    expect(g.observe(tick('ETHUSDT', 3))).toBeNull(); // repeat
    expect(g.observe(tick('ETHUSDT', 4))).toBeNull();
    expect(g.lastId('ETHUSDT')).toBe(4);
  });

  it('tracks symbols and streams separately', () => {
    const g = new TradeIdGapTracker();
    g.observe(tick('BTCUSDT', 100, 'aggTrade'));
    g.observe(tick('BTCUSDT', 5_000, 'trade'));
    g.observe(tick('ETHUSDT', 7, 'aggTrade'));
    expect(g.observe(tick('BTCUSDT', 101, 'aggTrade'))).toBeNull();
    expect(g.observe(tick('BTCUSDT', 5_002, 'trade'))).toMatchObject({
      stream: 'trade',
      fromId: 5_001,
      toId: 5_001,
      count: 1,
    });
    expect(g.lastId('BTCUSDT')).toBe(101); // aggTrade preferred when both were seen
    expect(g.lastId('BTCUSDT', 'trade')).toBe(5_002);
    expect(g.lastId('ETHUSDT', 'trade')).toBeUndefined();
  });

  it('reports the gap between a seeded baseline and the first live id', () => {
    const g = new TradeIdGapTracker();
    g.seed('BTCUSDT', 'trade', 41);
    expect(g.lastId('BTCUSDT')).toBe(41);
    expect(g.observe(tick('BTCUSDT', 50, 'trade'))).toMatchObject({
      fromId: 42,
      toId: 49,
      count: 8,
    });
  });
});
