/**
 * Column headers of PairDesk's own CSV exports (`pairdesk export --ticks` / `--bars`). They live
 * in core so the format detector (#10) can recognise an export being read back; the CLI imports
 * them from here.
 */
import type { Bar, Tick } from '../market/types';

export const TICK_CSV_HEADER = ['symbol', 'trade_id', 'time_ms', 'price', 'qty', 'is_buyer_maker'];
export const BAR_CSV_HEADER = [
  'symbol',
  'start_ms',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'quote_volume',
  'trades',
  'taker_buy_volume',
  'vwap',
];

/** One bar as the cells of a BAR_CSV_HEADER row, in that column order. */
export function barCsvCells(b: Bar): [string, ...number[]] {
  return [
    b.symbol,
    b.startMs,
    b.open,
    b.high,
    b.low,
    b.close,
    b.volume,
    b.quoteVolume,
    b.trades,
    b.takerBuyVolume,
    b.vwap,
  ];
}

/** One tick as the cells of a TICK_CSV_HEADER row (price/qty as received text, no re-rounding). */
export function tickCsvCells(t: Tick): [string, number, number, string, string, boolean] {
  return [t.symbol, t.tradeId, t.timeMs, t.priceText, t.qtyText, t.isBuyerMaker];
}
