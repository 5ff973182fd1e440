/**
 * Streaming reader for data.binance.vision aggTrades CSV (#10), one line at a time:
 * - futures (USD-M / COIN-M): header `agg_trade_id,price,quantity,first_trade_id,last_trade_id,
 *   transact_time,is_buyer_maker`, times in ms;
 * - spot: no header, an 8th column `is_best_match`, and since 2025 `transact_time` in µs.
 * The time unit is decided per line from the magnitude (see `common.ts`); a µs time becomes
 * `tick.timeMs = floor(µs / 1000)` with the exact value kept in `timeUs`.
 *
 * Fields are split by hand (numeric, never quoted — see `common.ts`). Price/quantity keep their
 * exact text (`priceText`/`qtyText`) as the NDJSON path does. Value checks (price/qty > 0, time,
 * duplicate ids) are `TickValidator`'s. `push` never throws.
 */
import {
  badFlagMessage,
  LineFrame,
  LineTally,
  parseFlag,
  parseTime,
  parseUInt,
  quoteClipped,
  rejectLine,
  type LineResult,
} from './common';
import {
  defaultValidator,
  makeTick,
  parseIdPriceQty,
  validateRow,
  type TradeReaderOptions,
  type TradeRow,
} from './tradeLines';
import type { TickValidator } from '../validation/tickValidator';

export const AGG_TRADES_COLUMNS = [
  'agg_trade_id',
  'price',
  'quantity',
  'first_trade_id',
  'last_trade_id',
  'transact_time',
  'is_buyer_maker',
] as const;
/** The spot files' extra column. */
export const IS_BEST_MATCH = 'is_best_match';
export const AGG_TRADES_HEADER = AGG_TRADES_COLUMNS.join(',');

const NAMES = { id: 'agg_trade_id', price: 'price', qty: 'quantity', time: 'transact_time' };

export class AggTradesReader {
  readonly tally = new LineTally();
  private readonly symbol: string;
  private readonly validator: TickValidator;
  private readonly frame = new LineFrame(
    [AGG_TRADES_HEADER, `${AGG_TRADES_HEADER},${IS_BEST_MATCH}`],
    [7, 8],
    '7 (futures) or 8 (spot)',
    'aggTrades',
  );

  constructor(options: TradeReaderOptions) {
    this.symbol = options.symbol.toUpperCase();
    this.validator = options.validator ?? defaultValidator(this.symbol);
  }

  /** Reads one line (`lineNo` 1-based, for reports). */
  push(line: string, lineNo: number): LineResult<TradeRow> {
    return this.tally.record(this.read(line, lineNo));
  }

  private read(line: string, lineNo: number): LineResult<TradeRow> {
    const f = this.frame.fields<TradeRow>(line, lineNo);
    if (!Array.isArray(f)) return f;
    const ipq = parseIdPriceQty(f, lineNo, NAMES);
    if ('kind' in ipq) return ipq;
    const { id, price, qty } = ipq;
    const first = parseUInt(f[3]);
    const last = parseUInt(f[4]);
    if (Number.isNaN(first) || Number.isNaN(last) || first > last) {
      const which = Number.isNaN(first) ? 'first_trade_id' : 'last_trade_id';
      return rejectLine(
        'bad_trade_id',
        which,
        lineNo,
        `first_trade_id ${quoteClipped(f[3])} / last_trade_id ${quoteClipped(f[4])} are not integers with first <= last`,
      );
    }
    const time = parseTime(f[5], 'transact_time');
    if (typeof time === 'string') {
      return rejectLine('implausible_time', 'transact_time', lineNo, time);
    }
    const maker = parseFlag(f[6]);
    if (maker === null) {
      return rejectLine(
        'bad_flag',
        'is_buyer_maker',
        lineNo,
        badFlagMessage('is_buyer_maker', f[6]),
      );
    }
    const row: TradeRow = {
      tick: makeTick(this.symbol, id, time.ms, price, qty, f[1], f[2], maker, 'aggTrade'),
      firstTradeId: first,
      lastTradeId: last,
    };
    if (time.us !== undefined) row.timeUs = time.us;
    if (f.length === 8) {
      const best = parseFlag(f[7]);
      if (best === null) {
        return rejectLine('bad_flag', IS_BEST_MATCH, lineNo, badFlagMessage(IS_BEST_MATCH, f[7]));
      }
      row.isBestMatch = best;
    }
    return validateRow(this.validator, row, lineNo, NAMES);
  }
}
