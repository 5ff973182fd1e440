/**
 * The key property of #10's trade readers: the real capture (futures trades, BTCUSDT + ETHUSDT,
 * 2024-07-18 23:57–00:05) written as each data.binance.vision CSV variant and read back yields
 * the ticks of the NDJSON decode path (decodeMessage + TickValidator) — same ids, times, exact
 * price/qty text, parsed values and maker flag — and 1 s bars from BarAggregator identical to
 * those built from the NDJSON ticks.
 */
import { describe, expect, it } from 'vitest';
import { AggTradesReader, AGG_TRADES_HEADER } from '../../../src/core/formats/aggTrades';
import { decodeMessage } from '../../../src/core/binance/decode';
import { BookTickerReader } from '../../../src/core/formats/bookTicker';
import { KLINES_HEADER, KlinesReader } from '../../../src/core/formats/klines';
import type { Bar, Tick } from '../../../src/core/market/types';
import { TradesReader, TRADES_HEADER } from '../../../src/core/formats/trades';
import {
  aggTradeLine,
  barsOf,
  klineLine,
  loadCapture,
  microsOf,
  quoteLine,
  tradeLine,
} from '../../../scripts/make-format-fixtures';

const { ticks } = loadCapture();
const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];

/** The fields a Binance CSV carries (event time and stream name are not in the files). */
function core(t: Tick): unknown {
  return [t.symbol, t.tradeId, t.timeMs, t.priceText, t.qtyText, t.price, t.qty, t.isBuyerMaker];
}

const VARIANTS = [
  { name: 'futures, header, ms', spot: false, us: false },
  { name: 'spot, no header, ms', spot: true, us: false },
  { name: 'spot, no header, µs', spot: true, us: true },
];

describe('real capture as Binance CSV equals the NDJSON decode', () => {
  it('has the capture', () => {
    expect(ticks.filter((t) => t.symbol === 'BTCUSDT')).toHaveLength(10_701);
    expect(ticks.filter((t) => t.symbol === 'ETHUSDT')).toHaveLength(13_655);
  });

  for (const kind of ['aggTrades', 'trades'] as const) {
    for (const v of VARIANTS) {
      it(`${kind} (${v.name}): same ticks and same 1 s bars`, () => {
        for (const symbol of SYMBOLS) {
          const want = ticks.filter((t) => t.symbol === symbol);
          const lines = want.map((t) =>
            kind === 'aggTrades' ? aggTradeLine(t, v) : tradeLine(t, v),
          );
          if (!v.spot) lines.unshift(kind === 'aggTrades' ? AGG_TRADES_HEADER : TRADES_HEADER);
          const reader =
            kind === 'aggTrades' ? new AggTradesReader({ symbol }) : new TradesReader({ symbol });
          const got: Tick[] = [];
          const timeUs: (number | undefined)[] = [];
          lines.forEach((line, i) => {
            const r = reader.push(line, i + 1);
            if (r.kind === 'item') {
              got.push(r.item.tick);
              timeUs.push(r.item.timeUs);
            }
          });
          expect(reader.tally.rejected).toBe(0);
          expect(got.map(core)).toEqual(want.map(core));
          if (v.us) expect(timeUs).toEqual(want.map(microsOf));
          const wantBars = barsOf(want, [1000]);
          expect(wantBars.length).toBeGreaterThan(400);
          expect(barsOf(got, [1000])).toEqual(wantBars);
        }
      });
    }
  }
});

describe('real capture as klines and bookTicker CSV', () => {
  it('1 m and 1 s bars written as klines (ms with header, µs without) read back identical', () => {
    for (const symbol of SYMBOLS) {
      const own = ticks.filter((t) => t.symbol === symbol);
      for (const [tf, us] of [
        [60_000, false],
        [1000, true],
      ] as const) {
        const want = barsOf(own, [tf]);
        const lines = want.map((b) => klineLine(b, own, us));
        if (!us) lines.unshift(KLINES_HEADER);
        const reader = new KlinesReader({ symbol });
        const got: Bar[] = [];
        lines.forEach((line, i) => {
          const r = reader.push(line, i + 1);
          if (r.kind === 'item') got.push(r.item.bar);
        });
        expect(reader.tally.rejected).toBe(0);
        expect(reader.timeframe).toBe(tf);
        expect(got).toEqual(want);
      }
    }
  });

  it('bookTicker quotes equal the NDJSON decoder’s', () => {
    const { quotes } = loadCapture();
    const reader = new BookTickerReader({ symbol: 'BTCUSDT' });
    const btc = quotes.filter((q) => q.s === 'BTCUSDT');
    expect(btc.length).toBeGreaterThan(1000);
    btc.forEach((q, i) => {
      const r = reader.push(quoteLine(q), i + 1);
      expect(r.kind).toBe('item');
      if (r.kind !== 'item') return;
      const want = decodeMessage(JSON.stringify({ e: 'bookTicker', ...q }));
      expect(want.kind).toBe('bookTicker');
      if (want.kind !== 'bookTicker') return;
      const b = want.book;
      const x = r.item;
      expect([
        x.updateId,
        x.bidPrice,
        x.bidQty,
        x.askPrice,
        x.askQty,
        x.txTimeMs,
        x.eventTimeMs,
      ]).toEqual([
        b.updateId,
        b.bidPrice,
        b.bidQty,
        b.askPrice,
        b.askQty,
        b.txTimeMs,
        b.eventTimeMs,
      ]);
      expect([x.bidPriceText, x.bidQtyText, x.askPriceText, x.askQtyText]).toEqual([
        q.b,
        q.B,
        q.a,
        q.A,
      ]);
    });
  });
});
