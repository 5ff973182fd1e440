/**
 * Column headers of PairDesk's own CSV exports (`pairdesk export --ticks` / `--bars`). They live
 * in core so the format detector (#10) can recognise an export being read back; the CLI imports
 * them from here.
 */

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
