/**
 * Checks every bar reader makes (#10): start_ms, price and amount cells, prices that can form a
 * bar, and bar starts that lie on the timeframe and increase per symbol.
 */
import { describeTimeframe } from './barTimeframe';
import {
  MAX_TIME_MS,
  parseNumberText,
  parseUInt,
  quoteClipped,
  rejectLine,
  type LineResult,
} from './common';

/** A `start_ms` cell as epoch ms (an integer before 2100); else the `implausible_time` rejection. */
export function parseStartMsField<T>(text: string, lineNo: number): number | LineResult<T> {
  const start = parseUInt(text);
  if (Number.isNaN(start) || start >= MAX_TIME_MS) {
    return rejectLine(
      'implausible_time',
      'start_ms',
      lineNo,
      `start_ms ${quoteClipped(text)} is not an epoch time in ms before 2100`,
    );
  }
  return start;
}

/** A price cell: a finite number > 0; else the `bad_price` rejection naming `column`. */
export function parsePriceField<T>(
  text: string,
  column: string,
  lineNo: number,
): number | LineResult<T> {
  const x = parseNumberText(text);
  if (x > 0) return x; // also false for NaN; parseNumberText gives no infinities
  return rejectLine(
    'bad_price',
    column,
    lineNo,
    `${column} ${quoteClipped(text)} is not a finite number > 0`,
  );
}

/** A volume cell: a finite number >= 0; else the `bad_qty` rejection naming `column`. */
export function parseAmountField<T>(
  text: string,
  column: string,
  lineNo: number,
): number | LineResult<T> {
  const x = parseNumberText(text);
  if (x >= 0) return x;
  return rejectLine(
    'bad_qty',
    column,
    lineNo,
    `${column} ${quoteClipped(text)} is not a finite number >= 0`,
  );
}

/**
 * Null when low ≤ min(open, close) and high ≥ max(open, close) (all already checked > 0); else a
 * `bad_price` rejection naming the column that breaks it. `texts` = [open, high, low, close] as
 * written.
 */
export function checkOhlc<T>(
  open: number,
  high: number,
  low: number,
  close: number,
  texts: readonly string[],
  lineNo: number,
): LineResult<T> | null {
  if (low <= open && low <= close && high >= open && high >= close) return null;
  // Only a failing line pays for quoting its values.
  const [o, h, l, c] = texts.map((t) => quoteClipped(t));
  if (high < low) {
    return rejectLine('bad_price', 'high', lineNo, `high ${h} is below low ${l}`);
  }
  if (low > Math.min(open, close)) {
    return rejectLine(
      'bad_price',
      'low',
      lineNo,
      `low ${l} is above ${low > open ? `open ${o}` : `close ${c}`}`,
    );
  }
  if (high < Math.max(open, close)) {
    return rejectLine(
      'bad_price',
      'high',
      lineNo,
      `high ${h} is below ${high < open ? `open ${o}` : `close ${c}`}`,
    );
  }
  return null;
}

/**
 * Null when `start` is a multiple of `timeframeMs` (bars are UTC-aligned) and later than the
 * symbol's previous start; else the `bad_interval`, `duplicate` or `out_of_order` rejection.
 */
export function startOrderReject<T>(
  symbol: string,
  start: number,
  text: string,
  column: string,
  timeframeMs: number,
  previous: number | undefined,
  lineNo: number,
): LineResult<T> | null {
  if (start % timeframeMs !== 0) {
    return rejectLine(
      'bad_interval',
      column,
      lineNo,
      `${column} ${quoteClipped(text)} is not on a ${describeTimeframe(timeframeMs)} boundary (bars start at whole multiples of the timeframe, UTC)`,
    );
  }
  if (previous === undefined || start > previous) return null;
  if (start === previous) {
    return rejectLine(
      'duplicate',
      column,
      lineNo,
      `${symbol} bar at ${column} ${quoteClipped(text)} was already read`,
    );
  }
  return rejectLine(
    'out_of_order',
    column,
    lineNo,
    `${symbol} bar at ${column} ${quoteClipped(text)} is earlier than the previous one (${new Date(previous).toISOString()}); rows must increase in time`,
  );
}
