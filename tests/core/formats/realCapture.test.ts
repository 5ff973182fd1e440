/**
 * The key property of #10's trade readers: the real capture (futures trades, BTCUSDT + ETHUSDT,
 * 2024-07-18 23:57–00:05) written as each data.binance.vision CSV variant and read back yields
 * the ticks of the NDJSON decode path (decodeMessage + TickValidator) — same ids, times, exact
 * price/qty text, parsed values and maker flag — and 1 s bars from BarAggregator identical to
 * those built from the NDJSON ticks.
 */
import { describe, expect, it } from 'vitest';
import { AggTradesReader, AGG_TRADES_HEADER } from '../../../src/core/formats/aggTrades';
import type { Tick } from '../../../src/core/market/types';
import { TradesReader, TRADES_HEADER } from '../../../src/core/formats/trades';
import {
  aggTradeLine,
  barsOf,
  loadCapture,
  microsOf,
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
