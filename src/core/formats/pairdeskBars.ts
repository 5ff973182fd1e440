/**
 * Streaming reader for PairDesk's own bar export (`pairdesk export --bars`, #10):
 * `symbol,start_ms,open,high,low,close,volume,quote_volume,trades,taker_buy_volume,vwap`, any
 * number of symbols, each ascending in time. The writer (`csvRow`) puts every number in its
 * shortest round-trip form (`String(x)`, so `1e-7` and `-0` occur), and a non-finite one — the
 * vwap of a zero-volume bar, NaN — as an empty cell; read back with `Number()` every bar is the
 * one written, bit for bit, empty vwap = NaN.
 *
 * The file does not name its timeframe: it is given (`timeframeMs`, from `inferTimeframeMs` over
 * the head of the file or the export's name). Every start must lie on it, be in
 * [1970, 2100) and increase per symbol; prices > 0 with low ≤ open, close ≤ high; volumes ≥ 0;
 * trades a whole number. `push` never throws.
 */
import type { Bar } from '../market/types';
import { SYMBOL_PATTERN } from '../validation/tickValidator';
import {
  LineFrame,
  LineTally,
  parseNumberText,
  parseUInt,
  quoteClipped,
  rejectLine,
  type LineResult,
} from './common';
import { BAR_CSV_HEADER } from './exportHeaders';
import {
  checkOhlc,
  parseAmountField,
  parsePriceField,
  parseStartMsField,
  startOrderReject,
} from './barChecks';

const PRICE_COLS = [2, 3, 4, 5] as const;
const AMOUNT_COLS = [6, 7, 9] as const;

export class PairdeskBarsReader {
  readonly tally = new LineTally();
  private readonly frame = new LineFrame([BAR_CSV_HEADER.join(',')], [11], '11', 'PairDesk bar');
  /** Last start read per symbol (ascending check). */
  private readonly lastStart = new Map<string, number>();

  /** @param timeframeMs the bars' timeframe (ms), e.g. 60 000 */
  constructor(private readonly timeframeMs: number) {}

  push(line: string, lineNo: number): LineResult<Bar> {
    return this.tally.record(this.read(line, lineNo));
  }

  private read(line: string, lineNo: number): LineResult<Bar> {
    const f = this.frame.fields<Bar>(line, lineNo);
    if (!Array.isArray(f)) return f;
    const symbol = f[0];
    if (!SYMBOL_PATTERN.test(symbol)) {
      return rejectLine(
        'unknown_symbol',
        'symbol',
        lineNo,
        `symbol ${quoteClipped(symbol)} is not 2–30 upper-case letters or digits`,
      );
    }
    const start = parseStartMsField<Bar>(f[1], lineNo);
    if (typeof start !== 'number') return start;
    const v: number[] = [];
    for (const c of PRICE_COLS) {
      const x = parsePriceField<Bar>(f[c], BAR_CSV_HEADER[c], lineNo);
      if (typeof x !== 'number') return x;
      v[c] = x;
    }
    for (const c of AMOUNT_COLS) {
      const x = parseAmountField<Bar>(f[c], BAR_CSV_HEADER[c], lineNo);
      if (typeof x !== 'number') return x;
      v[c] = x;
    }
    const trades = parseUInt(f[8]);
    if (Number.isNaN(trades)) {
      return rejectLine(
        'bad_count',
        'trades',
        lineNo,
        `trades ${quoteClipped(f[8])} is not an integer >= 0`,
      );
    }
    const vwap = f[10] === '' ? NaN : parseNumberText(f[10]);
    if (f[10] !== '' && !(vwap > 0)) {
      return rejectLine(
        'bad_price',
        'vwap',
        lineNo,
        `vwap ${quoteClipped(f[10])} is neither empty (no volume) nor a finite number > 0`,
      );
    }
    const ohlc = checkOhlc<Bar>(v[2], v[3], v[4], v[5], f.slice(2, 6), lineNo);
    if (ohlc !== null) return ohlc;
    const order = startOrderReject<Bar>(
      symbol,
      start,
      f[1],
      'start_ms',
      this.timeframeMs,
      this.lastStart.get(symbol),
      lineNo,
    );
    if (order !== null) return order;
    this.lastStart.set(symbol, start);
    return {
      kind: 'item',
      item: {
        symbol,
        timeframeMs: this.timeframeMs,
        startMs: start,
        open: v[2],
        high: v[3],
        low: v[4],
        close: v[5],
        volume: v[6],
        quoteVolume: v[7],
        trades,
        takerBuyVolume: v[9],
        vwap,
      },
    };
  }
}
