/**
 * Streaming reader for PairDesk's analytics CSV (`analyze --out`, the UI's analytics export, #10):
 * `time,start_ms,close_a,close_b,hedge_ratio,spread,zscore,correlation`. Every column reads back
 * exactly: numbers were written in shortest round-trip form, so `Number()` gives the identical
 * double; an empty cell (a value not defined yet, e.g. the z-score before its window fills) is
 * null. `time` must be the ISO form of `start_ms`.
 *
 * As an import the file holds only the two closes, so each row becomes two close-only bars of
 * the pair (see {@link closeOnlyBars}): open = high = low = close, volumes and trades 0, vwap NaN
 * (not defined). Rows must increase in start_ms; with a timeframe given, starts must lie on it.
 * `push` never throws.
 */
import { ANALYTICS_CSV_COLUMNS, ANALYTICS_CSV_HEADER } from '../analysis/analyticsCsv';
import type { Bar } from '../market/types';
import { parsePriceField, parseStartMsField, startOrderReject } from './barChecks';
import {
  LineFrame,
  LineTally,
  normaliseHeader,
  parseNumberText,
  quoteClipped,
  rejectLine,
  type LineResult,
} from './common';

/** One analytics row; null = the cell was empty (not defined). */
export interface AnalyticsCsvRow {
  /** ISO 8601 UTC, as written. */
  time: string;
  startMs: number;
  closeA: number;
  closeB: number;
  hedgeRatio: number | null;
  spread: number | null;
  zscore: number | null;
  correlation: number | null;
}

const COLUMNS = ANALYTICS_CSV_COLUMNS.length;

export class AnalyticsCsvReader {
  readonly tally = new LineTally();
  private readonly frame = new LineFrame(
    [normaliseHeader(ANALYTICS_CSV_HEADER)],
    [COLUMNS],
    String(COLUMNS),
    'PairDesk analytics',
  );
  private lastStart: number | undefined;

  /** @param timeframeMs when known, every start_ms must be a multiple of it */
  constructor(private readonly timeframeMs?: number) {}

  push(line: string, lineNo: number): LineResult<AnalyticsCsvRow> {
    return this.tally.record(this.read(line, lineNo));
  }

  private read(line: string, lineNo: number): LineResult<AnalyticsCsvRow> {
    const f = this.frame.fields<AnalyticsCsvRow>(line, lineNo);
    if (!Array.isArray(f)) return f;
    const start = parseStartMsField<AnalyticsCsvRow>(f[1], lineNo);
    if (typeof start !== 'number') return start;
    if (Date.parse(f[0]) !== start) {
      return rejectLine(
        'implausible_time',
        'time',
        lineNo,
        `time ${quoteClipped(f[0])} is not start_ms ${f[1]} (${new Date(start).toISOString()})`,
      );
    }
    const closes: number[] = [];
    for (const c of [2, 3]) {
      const x = parsePriceField<AnalyticsCsvRow>(f[c], ANALYTICS_CSV_COLUMNS[c], lineNo);
      if (typeof x !== 'number') return x;
      closes.push(x);
    }
    const optional: (number | null)[] = [];
    for (let c = 4; c < COLUMNS; c++) {
      if (f[c] === '') {
        optional.push(null);
        continue;
      }
      const x = parseNumberText(f[c]);
      if (Number.isNaN(x)) {
        return rejectLine(
          'bad_price',
          ANALYTICS_CSV_COLUMNS[c],
          lineNo,
          `${ANALYTICS_CSV_COLUMNS[c]} ${quoteClipped(f[c])} is neither empty nor a finite number`,
        );
      }
      optional.push(x);
    }
    const order = startOrderReject<AnalyticsCsvRow>(
      'pair',
      start,
      f[1],
      'start_ms',
      this.timeframeMs ?? 1,
      this.lastStart,
      lineNo,
    );
    if (order !== null) return order;
    this.lastStart = start;
    return {
      kind: 'item',
      item: {
        time: f[0],
        startMs: start,
        closeA: closes[0],
        closeB: closes[1],
        hedgeRatio: optional[0],
        spread: optional[1],
        zscore: optional[2],
        correlation: optional[3],
      },
    };
  }
}

/**
 * A bar that knows only its close: open = high = low = close, volume, quoteVolume,
 * takerBuyVolume and trades 0, vwap NaN (not defined without volume).
 */
export function closeOnlyBar(
  symbol: string,
  timeframeMs: number,
  startMs: number,
  close: number,
): Bar {
  return {
    symbol,
    timeframeMs,
    startMs,
    open: close,
    high: close,
    low: close,
    close,
    volume: 0,
    quoteVolume: 0,
    trades: 0,
    takerBuyVolume: 0,
    vwap: NaN,
  };
}

/** The row's two close-only bars: `pair[0]` from close_a, `pair[1]` from close_b. */
export function closeOnlyBars(
  row: AnalyticsCsvRow,
  pair: readonly [string, string],
  timeframeMs: number,
): [Bar, Bar] {
  return [
    closeOnlyBar(pair[0], timeframeMs, row.startMs, row.closeA),
    closeOnlyBar(pair[1], timeframeMs, row.startMs, row.closeB),
  ];
}
