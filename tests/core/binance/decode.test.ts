import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  decodeMessageSlow,
  decodeTradeFast,
} from '../../../src/core/binance/decode';
import type { DecodedMessage } from '../../../src/core/binance/messages';
import type { RejectReason, Tick } from '../../../src/core/market/types';

// Payloads from the protocol reference and the real captures.
const AGG =
  '{"e":"aggTrade","E":1721347022708,"s":"BTCUSDT","a":5933014,"p":"63943.90","q":"0.100","nq":"0.100","f":100,"l":105,"T":1721347022707,"m":true}';
const AGG_OLD =
  '{"e":"aggTrade","E":1721347022708,"s":"BTCUSDT","a":5933014,"p":"63943.90","q":"0.100","f":100,"l":105,"T":1721347022707,"m":false}';
const FUT_TRADE =
  '{"e":"trade","E":1721347022956,"T":1721347022955,"s":"BTCUSDT","t":5182005737,"p":"63943.90","q":"0.003","X":"MARKET","m":true}';
const SPOT_TRADE =
  '{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}';
const FUT_BOOK =
  '{"e":"bookTicker","u":4984028370881,"s":"BTCUSDT","b":"63943.90","B":"46.371","a":"63944.00","A":"0.095","T":1721347022507,"E":1721347022508}';
const SPOT_BOOK =
  '{"u":35346513501,"s":"ETHUSDT","b":"2683.80000000","B":"3.02920000","a":"2683.81000000","A":"31.43950000"}';

const env = (stream: string, data: string): string => `{"stream":"${stream}","data":${data}}`;

function tickOf(m: DecodedMessage): Tick {
  if (m.kind !== 'trade') throw new Error(`expected a trade, got ${JSON.stringify(m)}`);
  return m.tick;
}

function rejectionOf(raw: string): { reason: RejectReason; field?: string; message: string } {
  const m = decodeMessage(raw);
  if (m.kind !== 'rejected') throw new Error(`expected a rejection for ${raw}, got ${m.kind}`);
  // Rejections always come from the slow path; both entry points agree.
  expect(decodeMessageSlow(raw)).toStrictEqual(m);
  return m.rejection;
}

/** Replaces one `"key":value` member of a flat JSON object text. */
function withField(raw: string, key: string, valueJson: string | undefined): string {
  const o = JSON.parse(raw) as Record<string, unknown>;
  if (valueJson === undefined) delete o[key];
  else o[key] = JSON.parse(valueJson) as unknown;
  return JSON.stringify(o);
}

describe('decodeMessage: trades', () => {
  it('decodes a raw futures aggTrade (with nq) into a MARKET tick', () => {
    const m = decodeMessage(AGG);
    expect(m).toStrictEqual({
      kind: 'trade',
      streamName: undefined,
      tick: {
        symbol: 'BTCUSDT',
        tradeId: 5933014,
        timeMs: 1721347022707,
        eventTimeMs: 1721347022708,
        price: 63943.9,
        qty: 0.1,
        priceText: '63943.90',
        qtyText: '0.100',
        isBuyerMaker: true,
        stream: 'aggTrade',
        tradeType: 'MARKET',
      },
    });
    expect(decodeTradeFast(AGG)).not.toBeNull();
  });

  it('decodes aggTrade without nq (older servers) on the fast path', () => {
    expect(decodeTradeFast(AGG_OLD)).not.toBeNull();
    expect(tickOf(decodeMessage(AGG_OLD)).isBuyerMaker).toBe(false);
  });

  it('decodes a combined-envelope aggTrade and reports the stream name', () => {
    const raw = env('btcusdt@aggTrade', AGG);
    const m = decodeMessage(raw);
    expect(m.kind === 'trade' && m.streamName).toBe('btcusdt@aggTrade');
    expect(tickOf(m)).toStrictEqual(tickOf(decodeMessage(AGG)));
    expect(decodeTradeFast(raw)).not.toBeNull();
  });

  it('decodes futures trades with X into the matching trade type', () => {
    expect(tickOf(decodeMessage(FUT_TRADE))).toMatchObject({
      stream: 'trade',
      tradeId: 5182005737,
      timeMs: 1721347022955,
      eventTimeMs: 1721347022956,
      tradeType: 'MARKET',
    });
    for (const x of ['INSURANCE_FUND', 'ADL'] as const) {
      const raw = FUT_TRADE.replace('"X":"MARKET"', `"X":"${x}"`);
      expect(decodeTradeFast(raw)).not.toBeNull();
      expect(tickOf(decodeMessage(raw)).tradeType).toBe(x);
    }
  });

  it('decodes spot trades (no X, with M) as MARKET', () => {
    const t = tickOf(decodeMessage(SPOT_TRADE));
    expect(t).toMatchObject({ tradeType: 'MARKET', stream: 'trade', qty: 0.02, price: 61837.63 });
    expect(decodeTradeFast(SPOT_TRADE)).not.toBeNull();
  });

  it('rejects a futures trade with an unknown X, and a trade with neither X nor M', () => {
    expect(rejectionOf(FUT_TRADE.replace('"MARKET"', '"LIQUIDATION"'))).toMatchObject({
      reason: 'unknown_message',
      field: 'X',
    });
    expect(rejectionOf(FUT_TRADE.replace('"MARKET"', '7'))).toMatchObject({ field: 'X' });
    expect(rejectionOf(withField(FUT_TRADE, 'X', undefined))).toMatchObject({
      reason: 'missing_field',
      field: 'X',
    });
  });

  it('upper-cases symbols', () => {
    expect(tickOf(decodeMessage(AGG.replace('"BTCUSDT"', '"btcusdt"'))).symbol).toBe('BTCUSDT');
  });

  it('defaults eventTimeMs to the trade time when E is absent', () => {
    const t = tickOf(decodeMessage(withField(AGG, 'E', undefined)));
    expect(t.eventTimeMs).toBe(t.timeMs);
  });

  it('accepts any key order, whitespace and extra keys (slow path) with the same result', () => {
    const shuffled = JSON.stringify(
      Object.fromEntries(Object.entries(JSON.parse(AGG) as object).reverse()),
    );
    const spaced = JSON.stringify(JSON.parse(AGG), null, 2);
    const extra = AGG.replace('"m":true', '"m":true,"zz":{"p":"1"}');
    for (const raw of [shuffled, spaced, extra, ` ${AGG}\n`]) {
      expect(decodeTradeFast(raw)).toBeNull();
      expect(decodeMessage(raw)).toStrictEqual(decodeMessage(AGG));
    }
  });
});

describe('decodeMessage: bookTicker and control messages', () => {
  it('decodes a futures bookTicker with E and T', () => {
    expect(decodeMessage(env('btcusdt@bookTicker', FUT_BOOK))).toStrictEqual({
      kind: 'bookTicker',
      streamName: 'btcusdt@bookTicker',
      book: {
        symbol: 'BTCUSDT',
        updateId: 4984028370881,
        bidPrice: 63943.9,
        bidQty: 46.371,
        askPrice: 63944,
        askQty: 0.095,
        eventTimeMs: 1721347022508,
        txTimeMs: 1721347022507,
      },
    });
  });

  it('decodes a spot bookTicker (no e, E, T)', () => {
    expect(decodeMessage(SPOT_BOOK)).toStrictEqual({
      kind: 'bookTicker',
      streamName: undefined,
      book: {
        symbol: 'ETHUSDT',
        updateId: 35346513501,
        bidPrice: 2683.8,
        bidQty: 3.0292,
        askPrice: 2683.81,
        askQty: 31.4395,
      },
    });
  });

  it('rejects bookTickers with bad prices, quantities or update ids', () => {
    expect(rejectionOf(withField(FUT_BOOK, 'b', '"1e3"'))).toMatchObject({
      reason: 'bad_price',
      field: 'b',
    });
    expect(rejectionOf(withField(FUT_BOOK, 'A', '0.5'))).toMatchObject({
      reason: 'bad_qty',
      field: 'A',
    });
    expect(rejectionOf(withField(FUT_BOOK, 'u', '"12"'))).toMatchObject({
      reason: 'bad_trade_id',
      field: 'u',
    });
    expect(rejectionOf(withField(FUT_BOOK, 'E', '"now"'))).toMatchObject({
      reason: 'implausible_time',
      field: 'E',
    });
  });

  it('decodes subscription replies and errors', () => {
    expect(decodeMessage('{"result":null,"id":1}')).toStrictEqual({
      kind: 'subscriptionReply',
      id: 1,
      result: null,
    });
    expect(decodeMessage('{"result":["btcusdt@aggTrade"],"id":3}')).toStrictEqual({
      kind: 'subscriptionReply',
      id: 3,
      result: ['btcusdt@aggTrade'],
    });
    expect(decodeMessage('{"code":0,"msg":"Unknown property"}')).toStrictEqual({
      kind: 'errorReply',
      code: 0,
      msg: 'Unknown property',
    });
    expect(decodeMessage('{"code":2,"msg":"Invalid request: x","id":7}')).toStrictEqual({
      kind: 'errorReply',
      code: 2,
      msg: 'Invalid request: x',
      id: 7,
    });
    expect(decodeMessage('{"error":{"code":1,"msg":"Invalid value type"},"id":4}')).toStrictEqual({
      kind: 'errorReply',
      code: 1,
      msg: 'Invalid value type',
      id: 4,
    });
    expect(rejectionOf('{"result":null,"id":"a"}')).toMatchObject({
      reason: 'unknown_message',
      field: 'id',
    });
    expect(rejectionOf('{"code":"x","msg":"m"}')).toMatchObject({ field: 'code' });
  });
});

describe('decodeMessage: rejections', () => {
  it('reports malformed JSON without throwing', () => {
    for (const raw of ['', '{', AGG.slice(0, 60), AGG.slice(0, -1), 'not json', '{"a":1,}']) {
      const r = rejectionOf(raw);
      expect(r.reason).toBe('malformed_json');
      expect(r.message).toMatch(/^not valid JSON/);
    }
  });

  it('reports non-objects and unknown events as unknown_message', () => {
    for (const raw of ['[]', 'null', '42', '"x"', '{}', '{"stream":"a","data":5}']) {
      expect(rejectionOf(raw).reason).toBe('unknown_message');
    }
    expect(rejectionOf('{"e":"kline","E":1}')).toMatchObject({
      reason: 'unknown_message',
      field: 'e',
    });
    expect(rejectionOf('{"e":"kline","E":1}').message).toContain('"kline"');
    expect(rejectionOf('{"e":5}')).toMatchObject({ field: 'e' });
  });

  it.each([
    ['s', 'missing_field'],
    ['a', 'missing_field'],
    ['p', 'missing_field'],
    ['q', 'missing_field'],
    ['T', 'missing_field'],
    ['m', 'missing_field'],
  ] as const)('reports a missing %s as %s', (key, reason) => {
    const r = rejectionOf(withField(AGG, key, undefined));
    expect(r).toMatchObject({ reason, field: key });
    expect(r.message).toContain('missing');
  });

  it.each([
    ['p', '63943.9', 'bad_price'],
    ['p', 'null', 'bad_price'],
    ['q', '0.1', 'bad_qty'],
    ['a', '"5933014"', 'bad_trade_id'],
    ['a', '1.5', 'bad_trade_id'],
    ['a', '1e300', 'bad_trade_id'],
    ['T', '"1721347022707"', 'implausible_time'],
    ['T', '1721347022707.5', 'implausible_time'],
    ['E', 'null', 'implausible_time'],
    ['m', '"true"', 'missing_field'],
    ['m', '1', 'missing_field'],
    ['s', '42', 'missing_field'],
  ] as const)('reports %s = %s as %s', (key, value, reason) => {
    expect(rejectionOf(withField(AGG, key, value))).toMatchObject({ reason, field: key });
  });

  it('rejects price/qty strings outside the strict decimal grammar', () => {
    for (const bad of ['1e5', '', 'abc', ' 1', '1 ', '1.', '.5', '+1', 'NaN', 'Infinity', '0x1F']) {
      const p = rejectionOf(withField(AGG, 'p', JSON.stringify(bad)));
      expect(p).toMatchObject({ reason: 'bad_price', field: 'p' });
      expect(p.message).toContain(JSON.stringify(bad));
      expect(rejectionOf(withField(AGG, 'q', JSON.stringify(bad)))).toMatchObject({
        reason: 'bad_qty',
        field: 'q',
      });
    }
  });

  it('decodes "-1" and "0" (valid decimals); value checks are the validator’s job', () => {
    expect(tickOf(decodeMessage(withField(AGG, 'p', '"-1"'))).price).toBe(-1);
    expect(tickOf(decodeMessage(withField(AGG, 'q', '"0"'))).qty).toBe(0);
    expect(tickOf(decodeMessage(withField(AGG, 'a', '-3'))).tradeId).toBe(-3);
  });

  it('is not fooled by key-like text inside values', () => {
    // An escaped stream name containing the aggTrade layout must not be scanned as payload.
    const tricky = `{"stream":"x\\",\\"data\\":{\\"e\\":\\"aggTrade","data":${AGG}}`;
    expect(decodeTradeFast(tricky)).toBeNull();
    const m = decodeMessage(tricky);
    expect(m.kind === 'trade' && m.streamName).toBe('x","data":{"e":"aggTrade');
    // A symbol value that looks like keys is not a valid symbol for the fast path.
    const inSym = AGG.replace('"s":"BTCUSDT"', '"s":"BTC\\",\\"a\\":1"');
    expect(decodeTradeFast(inSym)).toBeNull();
    expect(tickOf(decodeMessage(inSym)).symbol).toBe('BTC","A":1');
  });
});
