/**
 * Streaming reader for data.binance.vision bookTicker CSV (#10): `update_id,best_bid_price,
 * best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time`, with or without that
 * header, times in ms or µs (per line, from the magnitude; see `common.ts`).
 *
 * Each line becomes a `Quote`. Prices/quantities must be decimals ≥ 0 (`0` is an empty side, as
 * the NDJSON decoder lets through) and keep their exact text. Update ids are not deduplicated:
 * quotes are not summed into anything, so a repeat cannot double-count. `push` never throws.
 */
import {
  badDecimalMessage,
  LineFrame,
  LineTally,
  parseDecimalText,
  parseIdField,
  parseTime,
  quoteClipped,
  rejectLine,
  type LineResult,
} from './common';

export const BOOK_TICKER_COLUMNS = [
  'update_id',
  'best_bid_price',
  'best_bid_qty',
  'best_ask_price',
  'best_ask_qty',
  'transaction_time',
  'event_time',
] as const;
export const BOOK_TICKER_HEADER = BOOK_TICKER_COLUMNS.join(',');

/** Best bid/ask at one moment, from a bookTicker file. */
export interface Quote {
  symbol: string;
  updateId: number;
  bidPrice: number;
  bidQty: number;
  askPrice: number;
  askQty: number;
  bidPriceText: string;
  bidQtyText: string;
  askPriceText: string;
  askQtyText: string;
  /** Transaction time (ms, sub-ms truncated). */
  txTimeMs: number;
  /** Event time (ms, sub-ms truncated). */
  eventTimeMs: number;
}

export interface BookTickerReaderOptions {
  symbol: string;
}

export class BookTickerReader {
  readonly tally = new LineTally();
  private readonly symbol: string;
  private readonly frame = new LineFrame([BOOK_TICKER_HEADER], [7], '7', 'bookTicker');

  constructor(options: BookTickerReaderOptions) {
    this.symbol = options.symbol.toUpperCase();
  }

  push(line: string, lineNo: number): LineResult<Quote> {
    return this.tally.record(this.read(line, lineNo));
  }

  private read(line: string, lineNo: number): LineResult<Quote> {
    const f = this.frame.fields<Quote>(line, lineNo);
    if (!Array.isArray(f)) return f;
    const id = parseIdField<Quote>(f[0], 'update_id', lineNo);
    if (typeof id !== 'number') return id;
    const v: number[] = [];
    for (let c = 1; c <= 4; c++) {
      const x = parseDecimalText(f[c]);
      if (!(x >= 0 && x < Infinity)) {
        const col = BOOK_TICKER_COLUMNS[c];
        return rejectLine(
          c % 2 === 1 ? 'bad_price' : 'bad_qty',
          col,
          lineNo,
          Number.isNaN(x)
            ? badDecimalMessage(col, f[c])
            : `${col} ${quoteClipped(f[c])} is not a finite number >= 0`,
        );
      }
      v[c] = x;
    }
    const tx = parseTime(f[5], 'transaction_time');
    if (typeof tx === 'string')
      return rejectLine('implausible_time', 'transaction_time', lineNo, tx);
    const ev = parseTime(f[6], 'event_time');
    if (typeof ev === 'string') return rejectLine('implausible_time', 'event_time', lineNo, ev);
    return {
      kind: 'item',
      item: {
        symbol: this.symbol,
        updateId: id,
        bidPrice: v[1],
        bidQty: v[2],
        askPrice: v[3],
        askQty: v[4],
        bidPriceText: f[1],
        bidQtyText: f[2],
        askPriceText: f[3],
        askQtyText: f[4],
        txTimeMs: tx.ms,
        eventTimeMs: ev.ms,
      },
    };
  }
}
