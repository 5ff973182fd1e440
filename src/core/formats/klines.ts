/**
 * Streaming reader for data.binance.vision klines CSV (#10): 12 columns `open_time,open,high,low,
 * close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore`,
 * with or without that header, times in ms or (spot, since 2025) µs, decided per line from the
 * magnitude (see `common.ts`).
 *
 * Each line becomes a `Bar`. The timeframe is `close_time − open_time + 1` in the file's unit
 * (converted to ms), or the one given (from the file name, `symbolFromFileName`); every line must
 * agree with it and start on a multiple of it (UTC-aligned as PairDesk bars are), else the line is
 * rejected as `bad_interval`. Variable-length intervals (1M) are therefore not accepted. Binance
 * writes intervals without trades as `count` 0; PairDesk has no bar there, so they are skipped
 * (`empty_interval`). Lines need not come in order; a repeated `open_time` is a `duplicate`
 * (the set of seen starts grows with the file: 86 400 entries for a day of 1 s klines).
 *
 * vwap = quote_volume / volume. Exact decimal texts are kept beside the bar in `text`.
 */
import type { Bar } from '../market/types';
import {
  badDecimalMessage,
  LineFrame,
  LineTally,
  parseDecimalText,
  parseTime,
  parseUInt,
  quoteClipped,
  rejectLine,
  type LineResult,
  type ParsedTime,
} from './common';

export const KLINES_COLUMNS = [
  'open_time',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'close_time',
  'quote_volume',
  'count',
  'taker_buy_volume',
  'taker_buy_quote_volume',
  'ignore',
] as const;
export const KLINES_HEADER = KLINES_COLUMNS.join(',');

/** One kline read from a CSV line. */
export interface KlineRow {
  bar: Bar;
  /** Σ price·qty of taker buys (not in `Bar`). */
  takerBuyQuoteVolume: number;
  /** Exact open time when the file gives µs. */
  openTimeUs?: number;
  /** The decimal columns exactly as written. */
  text: {
    open: string;
    high: string;
    low: string;
    close: string;
    volume: string;
    quoteVolume: string;
    takerBuyVolume: string;
    takerBuyQuoteVolume: string;
  };
}

export interface KlinesReaderOptions {
  symbol: string;
  /** Expected timeframe in ms (e.g. from the file name); else taken from the first data line. */
  timeframeMs?: number;
}

const PRICE_COLS = [1, 2, 3, 4];
const AMOUNT_COLS = [5, 7, 9, 10];

export class KlinesReader {
  readonly tally = new LineTally();
  private readonly symbol: string;
  private timeframeMs: number | undefined;
  private readonly frame = new LineFrame([KLINES_HEADER], [12], '12', 'klines');
  private readonly starts = new Set<number>();

  constructor(options: KlinesReaderOptions) {
    this.symbol = options.symbol.toUpperCase();
    this.timeframeMs = options.timeframeMs;
  }

  /** The timeframe in use (ms), once known. */
  get timeframe(): number | undefined {
    return this.timeframeMs;
  }

  push(line: string, lineNo: number): LineResult<KlineRow> {
    return this.tally.record(this.read(line, lineNo));
  }

  private read(line: string, lineNo: number): LineResult<KlineRow> {
    const f = this.frame.fields<KlineRow>(line, lineNo);
    if (!Array.isArray(f)) return f;
    const open = parseTime(f[0], 'open_time');
    if (typeof open === 'string') return rejectLine('implausible_time', 'open_time', lineNo, open);
    const close = parseTime(f[6], 'close_time');
    if (typeof close === 'string') {
      return rejectLine('implausible_time', 'close_time', lineNo, close);
    }
    const values: number[] = [];
    for (const c of PRICE_COLS) {
      const v = parseDecimalText(f[c]);
      if (!(v > 0 && v < Infinity)) {
        return rejectLine(
          'bad_price',
          KLINES_COLUMNS[c],
          lineNo,
          Number.isNaN(v)
            ? badDecimalMessage(KLINES_COLUMNS[c], f[c])
            : `${KLINES_COLUMNS[c]} ${quoteClipped(f[c])} is not a finite number > 0`,
        );
      }
      values[c] = v;
    }
    for (const c of AMOUNT_COLS) {
      const v = parseDecimalText(f[c]);
      if (!(v >= 0 && v < Infinity)) {
        return rejectLine(
          'bad_qty',
          KLINES_COLUMNS[c],
          lineNo,
          Number.isNaN(v)
            ? badDecimalMessage(KLINES_COLUMNS[c], f[c])
            : `${KLINES_COLUMNS[c]} ${quoteClipped(f[c])} is not a finite number >= 0`,
        );
      }
      values[c] = v;
    }
    const count = parseUInt(f[8]);
    if (Number.isNaN(count)) {
      return rejectLine(
        'bad_count',
        'count',
        lineNo,
        `count ${quoteClipped(f[8])} is not an integer >= 0`,
      );
    }
    const [high, low] = [values[2], values[3]];
    if (!(low <= values[1] && low <= values[4] && high >= values[1] && high >= values[4])) {
      return rejectLine(
        'bad_price',
        'high',
        lineNo,
        `high ${quoteClipped(f[2])} / low ${quoteClipped(f[3])} do not enclose open ${quoteClipped(f[1])} and close ${quoteClipped(f[4])}`,
      );
    }
    const span = intervalMs(open, close);
    if (span === null) {
      return rejectLine(
        'bad_interval',
        'close_time',
        lineNo,
        `close_time ${f[6]} - open_time ${f[0]} + 1 is not a positive whole number of ms in the same unit`,
      );
    }
    if (this.timeframeMs === undefined) this.timeframeMs = span;
    if (span !== this.timeframeMs || open.ms % span !== 0) {
      return rejectLine(
        'bad_interval',
        'open_time',
        lineNo,
        span !== this.timeframeMs
          ? `interval ${span} ms (close_time - open_time + 1) differs from the file's ${this.timeframeMs} ms`
          : `open_time ${f[0]} is not a multiple of the ${span} ms interval`,
      );
    }
    if (this.starts.has(open.ms)) {
      return rejectLine(
        'duplicate',
        'open_time',
        lineNo,
        `${this.symbol} kline at open_time ${f[0]} was already read`,
      );
    }
    this.starts.add(open.ms);
    if (count === 0) return { kind: 'skip', why: 'empty_interval' };
    const volume = values[5];
    const quoteVolume = values[7];
    const row: KlineRow = {
      bar: {
        symbol: this.symbol,
        timeframeMs: span,
        startMs: open.ms,
        open: values[1],
        high,
        low,
        close: values[4],
        volume,
        quoteVolume,
        trades: count,
        takerBuyVolume: values[9],
        vwap: volume > 0 ? quoteVolume / volume : values[4],
      },
      takerBuyQuoteVolume: values[10],
      text: {
        open: f[1],
        high: f[2],
        low: f[3],
        close: f[4],
        volume: f[5],
        quoteVolume: f[7],
        takerBuyVolume: f[9],
        takerBuyQuoteVolume: f[10],
      },
    };
    if (open.us !== undefined) row.openTimeUs = open.us;
    return { kind: 'item', item: row };
  }
}

/** close − open + 1 unit, in ms; null when the units differ or it is not a positive whole ms. */
function intervalMs(open: ParsedTime, close: ParsedTime): number | null {
  if ((open.us === undefined) !== (close.us === undefined)) return null;
  const span =
    open.us !== undefined && close.us !== undefined
      ? (close.us - open.us + 1) / 1000
      : close.ms - open.ms + 1;
  return Number.isSafeInteger(span) && span > 0 ? span : null;
}
