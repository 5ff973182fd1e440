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
  columnCountMessage,
  isBlank,
  LineTally,
  normaliseHeader,
  parseDecimalText,
  parseFlag,
  parseTime,
  parseUInt,
  quoteClipped,
  rejectLine,
  splitFields,
  type LineResult,
} from './common';
import {
  defaultValidator,
  makeTick,
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
  private seenData = false;

  constructor(options: TradeReaderOptions) {
    this.symbol = options.symbol.toUpperCase();
    this.validator = options.validator ?? defaultValidator(this.symbol);
  }

  push(line: string, lineNo: number): LineResult<TradeRow> {
    return this.tally.record(this.read(line, lineNo));
  }

  private read(line: string, lineNo: number): LineResult<TradeRow> {
    if (isBlank(line)) return { kind: 'skip', why: 'blank' };
    if (!this.seenData) {
      this.seenData = true;
      const h = normaliseHeader(line);
      if (h === TRADES_HEADER || h === `${TRADES_HEADER},is_best_match`) {
        return { kind: 'skip', why: 'header' };
      }
    }
    const f = splitFields(line);
    if (f.length !== 6 && f.length !== 7) {
      return rejectLine(
        'wrong_column_count',
        undefined,
        lineNo,
        columnCountMessage(f.length, '6 (futures) or 7 (spot)', 'trades'),
      );
    }
    const id = parseUInt(f[0]);
    if (Number.isNaN(id)) {
      return rejectLine(
        'bad_trade_id',
        'id',
        lineNo,
        `id ${quoteClipped(f[0])} is not an integer >= 0`,
      );
    }
    const price = parseDecimalText(f[1]);
    if (Number.isNaN(price)) {
      return rejectLine('bad_price', 'price', lineNo, badDecimalMessage('price', f[1]));
    }
    const qty = parseDecimalText(f[2]);
    if (Number.isNaN(qty))
      return rejectLine('bad_qty', 'qty', lineNo, badDecimalMessage('qty', f[2]));
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
