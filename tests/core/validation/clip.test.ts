/**
 * Issue #13 finding 2: rejection messages quoted whole offending values (a 90-million-digit
 * price became a 90 MB message, 20 of them kept). Values are now cut to a few dozen characters
 * with "… (N chars)", and what is kept is a copy that does not pin the input.
 */
import { describe, expect, it } from 'vitest';
import type { Tick } from '../../../src/core/market/types';
import { clip, quoteClipped } from '../../../src/core/validation/clip';
import { RejectCounter } from '../../../src/core/validation/rejectCounter';
import { TickValidator } from '../../../src/core/validation/tickValidator';

const HUGE = 1_000_000;

function tick(over: Partial<Tick>): Tick {
  return {
    symbol: 'BTCUSDT',
    tradeId: 1,
    timeMs: Date.UTC(2026, 0, 1),
    eventTimeMs: Date.UTC(2026, 0, 1),
    price: 1,
    qty: 1,
    priceText: '1',
    qtyText: '1',
    isBuyerMaker: false,
    stream: 'aggTrade',
    tradeType: 'MARKET',
    ...over,
  };
}

describe('clip', () => {
  it('keeps short text, cuts long text with its length', () => {
    expect(clip('65000.1')).toBe('65000.1');
    expect(clip('x'.repeat(40))).toBe('x'.repeat(40));
    expect(clip('9'.repeat(HUGE))).toBe(`${'9'.repeat(40)}… (${HUGE} chars)`);
    expect(clip('abcdef', 3)).toBe('abc… (6 chars)');
    // A surrogate pair is never split.
    expect(clip('ab😀cd', 3)).toBe('ab… (6 chars)');
    expect(quoteClipped('Q'.repeat(HUGE))).toBe(`"${'Q'.repeat(40)}"… (${HUGE} chars)`);
    expect(quoteClipped('BTC"USDT')).toBe('"BTC\\"USDT"');
  });
});

describe('rejection messages of huge values', () => {
  it('validator quotes at most a few dozen characters of a price, quantity or symbol', () => {
    const v = new TickValidator({ symbols: ['BTCUSDT'], now: () => Date.UTC(2026, 0, 1) });
    const price = v.validate(tick({ price: Infinity, priceText: '9'.repeat(HUGE) }));
    expect(price?.reason).toBe('bad_price');
    expect(price?.message).toBe(
      `price "${'9'.repeat(40)}… (${HUGE} chars)" is not a finite number > 0`,
    );
    const qty = v.validate(tick({ qty: -1, qtyText: `-${'1'.repeat(HUGE)}` }));
    expect(qty?.message.length).toBeLessThan(100);
    const symbol = v.validate(tick({ symbol: 'Q'.repeat(HUGE) }));
    expect(symbol?.reason).toBe('unknown_symbol');
    expect(symbol?.message).toBe(`symbol "${'Q'.repeat(40)}"… (${HUGE} chars) is not subscribed`);
    const open = new TickValidator({ now: () => Date.UTC(2026, 0, 1) });
    expect(open.validate(tick({ symbol: 'q'.repeat(HUGE) }))?.message.length).toBeLessThan(120);
  });

  it('the reject counter keeps bounded messages and excerpts', () => {
    const c = new RejectCounter(20, 200);
    for (let i = 0; i < 30; i++) {
      c.add(
        { reason: 'malformed_json', message: `m${'x'.repeat(HUGE)}` },
        { source: 'live', raw: `{"p":"${'9'.repeat(HUGE)}"}` },
      );
    }
    const recent = c.recent();
    expect(recent).toHaveLength(20);
    for (const r of recent) {
      expect(r.message.length).toBeLessThanOrEqual(320);
      expect(r.message).toMatch(/… \(1000001 chars\)$/);
      expect(r.excerpt).toBe(`{"p":"${'9'.repeat(194)}… (${HUGE + 8} chars)`);
    }
  });
});
