import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tick } from '../../../src/core/market/types';
import {
  DEFAULT_MIN_TIME_MS,
  isBarEligible,
  TickValidator,
} from '../../../src/core/validation/tickValidator';

const NOW = Date.UTC(2024, 6, 19, 0, 0, 0);
const DAY = 86_400_000;

function tick(over: Partial<Tick> = {}): Tick {
  return {
    symbol: 'BTCUSDT',
    tradeId: 1000,
    timeMs: NOW - 5,
    eventTimeMs: NOW - 4,
    price: 63943.9,
    qty: 0.1,
    priceText: '63943.90',
    qtyText: '0.100',
    isBuyerMaker: true,
    stream: 'aggTrade',
    tradeType: 'MARKET',
    ...over,
  };
}

function validator(symbols?: string[], window?: number): TickValidator {
  return new TickValidator({ symbols, now: () => NOW, dedupWindow: window });
}

describe('TickValidator', () => {
  it('accepts a normal tick', () => {
    expect(validator(['BTCUSDT']).validate(tick())).toBeNull();
  });

  it.each([0, -1, -0, NaN, Infinity, -Infinity])('rejects price %s as bad_price', (price) => {
    const r = validator().validate(tick({ price, priceText: String(price) }));
    expect(r).toMatchObject({ reason: 'bad_price', field: 'p' });
    expect(r?.message).toContain(String(price));
  });

  it.each([0, -0.5, NaN, Infinity])('rejects qty %s as bad_qty', (qty) => {
    expect(validator().validate(tick({ qty, qtyText: String(qty) }))).toMatchObject({
      reason: 'bad_qty',
      field: 'q',
    });
  });

  it('checks symbols against the list when one is given', () => {
    const v = validator(['btcusdt', 'ETHUSDT']);
    expect(v.validate(tick({ symbol: 'BTCUSDT' }))).toBeNull();
    const r = v.validate(tick({ symbol: 'SOLUSDT' }));
    expect(r).toMatchObject({ reason: 'unknown_symbol', field: 's' });
    expect(r?.message).toContain('SOLUSDT');
  });

  it('accepts any well-formed symbol without a list', () => {
    const v = validator();
    expect(v.validate(tick({ symbol: 'SOLUSDT' }))).toBeNull();
    expect(v.validate(tick({ symbol: '1000PEPEUSDT' }))).toBeNull();
    for (const bad of ['btcusdt', 'B', '', 'BTC-USDT', 'A'.repeat(31), 'BTC USDT']) {
      expect(v.validate(tick({ symbol: bad })), bad).toMatchObject({ reason: 'unknown_symbol' });
    }
    expect(validator([]).validate(tick({ symbol: 'XRPUSDT' }))).toBeNull();
  });

  it('follows live subscription changes; removing the last symbol does not reopen the list', () => {
    const v = validator();
    v.addSymbol('ethusdt');
    expect(v.validate(tick({ symbol: 'BTCUSDT' }))?.reason).toBe('unknown_symbol');
    expect(v.validate(tick({ symbol: 'ETHUSDT' }))).toBeNull();
    v.addSymbol('BTCUSDT');
    expect(v.validate(tick({ symbol: 'BTCUSDT' }))).toBeNull();
    v.removeSymbol('BTCUSDT');
    v.removeSymbol('ETHUSDT');
    expect(v.validate(tick({ symbol: 'BTCUSDT', tradeId: 1 }))?.reason).toBe('unknown_symbol');
    expect(v.validate(tick({ symbol: 'ETHUSDT', tradeId: 1 }))?.reason).toBe('unknown_symbol');
  });

  it('rejects times before 2017 and more than 24 h ahead of the clock', () => {
    const v = validator();
    const early = v.validate(tick({ timeMs: DEFAULT_MIN_TIME_MS - 1 }));
    expect(early).toMatchObject({ reason: 'implausible_time', field: 'T' });
    expect(early?.message).toContain('2016-12-31T23:59:59.999Z');
    expect(v.validate(tick({ eventTimeMs: 0 }))).toMatchObject({ field: 'E' });
    expect(v.validate(tick({ timeMs: NOW + DAY, eventTimeMs: NOW + DAY }))).toBeNull();
    expect(v.validate(tick({ tradeId: 1, timeMs: NOW + DAY + 1 }))).toMatchObject({
      reason: 'implausible_time',
      field: 'T',
    });
    expect(v.validate(tick({ tradeId: 2, eventTimeMs: NOW + DAY + 1 }))).toMatchObject({
      field: 'E',
    });
    expect(v.validate(tick({ tradeId: 3, timeMs: 1.5e12 + 0.5 }))).toMatchObject({
      reason: 'implausible_time',
    });
    expect(v.validate(tick({ tradeId: 4, timeMs: NaN }))).toMatchObject({ field: 'T' });
    expect(validator().validate(tick({ timeMs: DEFAULT_MIN_TIME_MS }))).toBeNull();
  });

  it('reads the injected clock: a time too far ahead becomes valid once the clock catches up', () => {
    let now = NOW;
    const v = new TickValidator({ now: () => now, maxAheadMs: 1_000 });
    expect(v.validate(tick({ tradeId: 1, timeMs: NOW }))).toBeNull();
    expect(v.validate(tick({ tradeId: 2, timeMs: NOW + 5_000 }))?.reason).toBe('implausible_time');
    now += 4_000;
    expect(v.validate(tick({ tradeId: 2, timeMs: NOW + 5_000 }))).toBeNull();
  });

  it.each([-1, 1.5, NaN, 2 ** 53, Infinity])('rejects trade id %s as bad_trade_id', (tradeId) => {
    expect(validator().validate(tick({ tradeId }))).toMatchObject({
      reason: 'bad_trade_id',
      field: 'a',
    });
  });

  it('rejects duplicates per symbol and stream', () => {
    const v = validator();
    expect(v.validate(tick({ tradeId: 7 }))).toBeNull();
    const dup = v.validate(tick({ tradeId: 7 }));
    expect(dup).toMatchObject({ reason: 'duplicate', field: 'a' });
    expect(dup?.message).toBe('BTCUSDT aggTrade id 7 was already received');
    expect(v.validate(tick({ tradeId: 7, stream: 'trade' }))).toBeNull();
    expect(v.validate(tick({ tradeId: 7, stream: 'trade' }))).toMatchObject({ field: 't' });
    expect(v.validate(tick({ tradeId: 7, symbol: 'ETHUSDT' }))).toBeNull();
  });

  it('does not mark the id of a rejected tick as seen', () => {
    const v = validator();
    expect(v.validate(tick({ tradeId: 9, price: 0 }))?.reason).toBe('bad_price');
    expect(v.validate(tick({ tradeId: 9 }))).toBeNull();
  });

  it('accepts late ids inside the window once, and reports ids older than it as too_late', () => {
    const v = validator(undefined, 32);
    expect(v.validate(tick({ tradeId: 100 }))).toBeNull();
    expect(v.validate(tick({ tradeId: 69 }))).toBeNull(); // 100 − 69 = 31 < 32
    expect(v.validate(tick({ tradeId: 69 }))?.reason).toBe('duplicate');
    const late = v.validate(tick({ tradeId: 68 })); // 100 − 68 = 32: outside
    expect(late).toMatchObject({ reason: 'too_late', field: 'a' });
    expect(late?.message).toContain('32 ids behind');
  });

  it('clears reused ring slots when the high-water mark advances (no false duplicates)', () => {
    const v = validator(undefined, 32);
    for (let id = 0; id < 32; id++) expect(v.validate(tick({ tradeId: id }))).toBeNull();
    // 33 skips 32, whose slot held id 0: 32 must still count as new.
    expect(v.validate(tick({ tradeId: 33 }))).toBeNull();
    expect(v.validate(tick({ tradeId: 32 }))).toBeNull();
    // A jump larger than the window resets it.
    expect(v.validate(tick({ tradeId: 1_000_033 }))).toBeNull();
    // 1_000_002 ≡ 2 (mod 32): the slot id 2 set earlier; the reset must have cleared it.
    expect(v.validate(tick({ tradeId: 1_000_002 }))).toBeNull();
    expect(v.validate(tick({ tradeId: 33 }))?.reason).toBe('too_late');
  });

  it('matches an exact reference model on random id sequences', () => {
    const W = 32;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 400 }), (ids) => {
        const v = validator(undefined, W);
        const seen = new Set<number>();
        let max = -1;
        for (const id of ids) {
          let expected: string | null;
          if (id > max) expected = null;
          else if (max - id >= W) expected = 'too_late';
          else expected = seen.has(id) ? 'duplicate' : null;
          if (expected === null) {
            seen.add(id);
            max = Math.max(max, id);
          }
          expect(v.validate(tick({ tradeId: id }))?.reason ?? null).toBe(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('validates the option bounds', () => {
    expect(() => new TickValidator({ dedupWindow: 100 })).toThrow(RangeError);
    expect(() => new TickValidator({ dedupWindow: 16 })).toThrow(RangeError);
  });

  it('keeps non-MARKET trades as valid ticks but out of bars', () => {
    const v = validator();
    for (const tradeType of ['INSURANCE_FUND', 'ADL'] as const) {
      const t = tick({ tradeType, stream: 'trade', tradeId: tradeType.length });
      expect(v.validate(t)).toBeNull();
      expect(isBarEligible(t)).toBe(false);
    }
    expect(isBarEligible(tick())).toBe(true);
  });
});
