/**
 * Streaming reader for PairDesk's own tick export (`pairdesk export --ticks`, #10):
 * `symbol,trade_id,time_ms,price,qty,is_buyer_maker`, any number of symbols, read back to the
 * ticks that were stored: price/qty keep the exact decimal text that was written (the text
 * Binance sent), so the parsed doubles are the same too.
 *
 * What the file does not hold is filled in as the Binance CSV readers do: eventTimeMs = timeMs,
 * tradeType MARKET, stream `aggTrade` (duplicate ids are therefore caught per symbol; a dataset
 * that stored both the trade and aggTrade stream of one symbol would see the second stream's ids
 * as duplicates). Values go through `TickValidator` (by default one accepting any symbol, with a
 * fixed clock so reading is deterministic). `push` never throws.
 */
import {
  badDecimalMessage,
  badFlagMessage,
  LineFrame,
  LineTally,
  MAX_TIME_MS,
  parseDecimalText,
  parseFlag,
  parseIdField,
  parseTime,
  rejectLine,
  type LineResult,
} from './common';
import { TICK_CSV_HEADER } from './exportHeaders';
import { makeTick, validateRow, type TradeRow } from './tradeLines';
import { DEFAULT_MAX_AHEAD_MS, TickValidator } from '../validation/tickValidator';

const NAMES = { id: 'trade_id', price: 'price', qty: 'qty', time: 'time_ms' };

/** A validator for any symbol, with a fixed clock (exports are history). */
export function openValidator(): TickValidator {
  return new TickValidator({ now: () => MAX_TIME_MS - DEFAULT_MAX_AHEAD_MS });
}

export class PairdeskTicksReader {
  readonly tally = new LineTally();
  private readonly validator: TickValidator;
  private readonly frame = new LineFrame([TICK_CSV_HEADER.join(',')], [6], '6', 'PairDesk tick');

  constructor(options: { validator?: TickValidator } = {}) {
    this.validator = options.validator ?? openValidator();
  }

  push(line: string, lineNo: number): LineResult<TradeRow> {
    return this.tally.record(this.read(line, lineNo));
  }

  private read(line: string, lineNo: number): LineResult<TradeRow> {
    const f = this.frame.fields<TradeRow>(line, lineNo);
    if (!Array.isArray(f)) return f;
    const id = parseIdField<TradeRow>(f[1], 'trade_id', lineNo);
    if (typeof id !== 'number') return id;
    const time = parseTime(f[2], 'time_ms');
    if (typeof time === 'string') return rejectLine('implausible_time', 'time_ms', lineNo, time);
    if (time.us !== undefined) {
      return rejectLine(
        'implausible_time',
        'time_ms',
        lineNo,
        `time_ms ${f[2]} is in µs, this column holds milliseconds`,
      );
    }
    const price = parseDecimalText(f[3]);
    if (Number.isNaN(price)) {
      return rejectLine('bad_price', 'price', lineNo, badDecimalMessage('price', f[3]));
    }
    const qty = parseDecimalText(f[4]);
    if (Number.isNaN(qty)) {
      return rejectLine('bad_qty', 'qty', lineNo, badDecimalMessage('qty', f[4]));
    }
    const maker = parseFlag(f[5]);
    if (maker === null) {
      return rejectLine(
        'bad_flag',
        'is_buyer_maker',
        lineNo,
        badFlagMessage('is_buyer_maker', f[5]),
      );
    }
    const tick = makeTick(f[0], id, time.ms, price, qty, f[3], f[4], maker, 'aggTrade');
    return validateRow(this.validator, { tick }, lineNo, NAMES);
  }
}
