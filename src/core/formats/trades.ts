/**
 * Streaming reader for data.binance.vision trades CSV (#10), one line at a time:
 * - futures: header `id,price,qty,quote_qty,time,is_buyer_maker`, times in ms;
 * - spot: no header, a 7th column `is_best_match`, times in ms or (since 2025) µs.
 * Time unit, exact decimal text, validation and never-throwing as in `aggTrades.ts`.
 * `quote_qty` is checked for the decimal grammar but not kept (it is price × qty).
 */
import {
  badDecimalMessage,
  badFlagMessage,
  LineFrame,
  LineTally,
  parseDecimalText,
  parseFlag,
  parseTime,
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

export const TRADES_COLUMNS = [
  'id',
  'price',
  'qty',
  'quote_qty',
  'time',
  'is_buyer_maker',
] as const;
export const TRADES_HEADER = TRADES_COLUMNS.join(',');

const NAMES = { id: 'id', price: 'price', qty: 'qty', time: 'time' };

export class TradesReader {
  readonly tally = new LineTally();
  private readonly symbol: string;
  private readonly validator: TickValidator;
  private readonly frame = new LineFrame(
    [TRADES_HEADER, `${TRADES_HEADER},is_best_match`],
    [6, 7],
    '6 (futures) or 7 (spot)',
    'trades',
  );

  constructor(options: TradeReaderOptions) {
    this.symbol = options.symbol.toUpperCase();
    this.validator = options.validator ?? defaultValidator(this.symbol);
  }

  push(line: string, lineNo: number): LineResult<TradeRow> {
    return this.tally.record(this.read(line, lineNo));
  }

  private read(line: string, lineNo: number): LineResult<TradeRow> {
    const f = this.frame.fields<TradeRow>(line, lineNo);
    if (!Array.isArray(f)) return f;
    const ipq = parseIdPriceQty(f, lineNo, NAMES);
    if ('kind' in ipq) return ipq;
    const { id, price, qty } = ipq;
    if (Number.isNaN(parseDecimalText(f[3]))) {
      return rejectLine('bad_qty', 'quote_qty', lineNo, badDecimalMessage('quote_qty', f[3]));
    }
    const time = parseTime(f[4], 'time');
    if (typeof time === 'string') return rejectLine('implausible_time', 'time', lineNo, time);
    const maker = parseFlag(f[5]);
    if (maker === null) {
      return rejectLine(
        'bad_flag',
        'is_buyer_maker',
        lineNo,
        badFlagMessage('is_buyer_maker', f[5]),
      );
    }
    const row: TradeRow = {
      tick: makeTick(this.symbol, id, time.ms, price, qty, f[1], f[2], maker, 'trade'),
    };
    if (time.us !== undefined) row.timeUs = time.us;
    if (f.length === 7) {
      const best = parseFlag(f[6]);
      if (best === null) {
        return rejectLine(
          'bad_flag',
          'is_best_match',
          lineNo,
          badFlagMessage('is_best_match', f[6]),
        );
      }
      row.isBestMatch = best;
    }
    return validateRow(this.validator, row, lineNo, NAMES);
  }
}
