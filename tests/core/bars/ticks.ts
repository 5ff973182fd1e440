/** Tick builders and fast-check arbitraries shared by the bar tests. */
import fc from 'fast-check';
import type { Tick } from '../../../src/core/market/types';

export function mkTick(
  symbol: string,
  tradeId: number,
  timeMs: number,
  priceText: string,
  qtyText: string,
  isBuyerMaker = false,
): Tick {
  return {
    symbol,
    tradeId,
    timeMs,
    eventTimeMs: timeMs,
    price: Number(priceText),
    qty: Number(qtyText),
    priceText,
    qtyText,
    isBuyerMaker,
    stream: 'trade',
    tradeType: 'MARKET',
  };
}

/** Decimal text with ≤ 8 decimals, e.g. "64123.45678901", "0.00000001", "3". */
export const decimalText = fc
  .tuple(fc.integer({ min: 1, max: 99_999_999_999 }), fc.integer({ min: 0, max: 8 }))
  .map(([n, d]) => {
    if (d === 0) return String(n);
    const s = String(n).padStart(d + 1, '0');
    return `${s.slice(0, -d)}.${s.slice(-d)}`;
  });

/** Prices cluster so high/low/open/close ties also occur. */
export const priceText = fc.oneof(decimalText, fc.constantFrom('64000.10', '64000.1', '3424.99'));

export interface RawTick {
  sym: number;
  /** Offset from a 5-minute-aligned origin (ms). */
  dt: number;
  priceText: string;
  qtyText: string;
  isBuyerMaker: boolean;
}

/** Times over `spanMs`, with interval boundaries and repeated instants (timeMs ties) favoured. */
export function rawTick(symbols: number, spanMs: number): fc.Arbitrary<RawTick> {
  return fc.record({
    sym: fc.integer({ min: 0, max: symbols - 1 }),
    dt: fc.oneof(
      fc.integer({ min: 0, max: spanMs }),
      fc.constantFrom(0, 1, 999, 1000, 59_999, 60_000, 60_001, 299_999, 300_000, 300_001, 420_500),
    ),
    priceText,
    qtyText: decimalText,
    isBuyerMaker: fc.boolean(),
  });
}

export const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];

/** Materialises raw ticks with unique (random-order) trade ids per symbol. */
export function toTicks(raw: readonly RawTick[], originMs: number, idSeed: number): Tick[] {
  // ids are a scrambled but unique sequence, so (timeMs, tradeId) order is not arrival order.
  return raw.map((r, i) =>
    mkTick(
      SYMBOLS[r.sym],
      1_000_000 + ((i * 7919 + idSeed) % 100_003),
      originMs + r.dt,
      r.priceText,
      r.qtyText,
      r.isBuyerMaker,
    ),
  );
}
