/**
 * Content-based format detection for files handed to the importer (#10). Looks at the first
 * lines only (a few are enough; pass ~10): NDJSON captures by a quick JSON check of the first
 * line, CSV files by their header, or — headerless Binance files — by column count and which
 * columns are `true`/`false`. The file name is only a hint: it is quoted in the reason and
 * settles nothing the content decides. Never throws.
 */
import { ANALYTICS_CSV_HEADER } from '../analysis/analyticsCsv';
import type { ImportFormat } from '../contract/files';
import { describeTimeframe, inferTimeframeMs } from './barTimeframe';
import { AGG_TRADES_HEADER, IS_BEST_MATCH } from './aggTrades';
import { BOOK_TICKER_HEADER } from './bookTicker';
import {
  isBlank,
  MICROS_THRESHOLD,
  normaliseHeader,
  parseFlag,
  parseUInt,
  splitFields,
} from './common';
import { BAR_CSV_HEADER, TICK_CSV_HEADER } from './exportHeaders';
import { symbolFromFileName } from './fileName';
import { KLINES_HEADER } from './klines';
import { inspectOhlcHead, type OhlcHead } from './ohlcCsv';
import { describeTimeUnit } from './ohlcTime';
import { TRADES_HEADER } from './trades';

/** The contract's list of content formats (one source of truth). */
export type FileFormat = ImportFormat;

export interface Detected {
  format: FileFormat;
  /** CSV only: whether the first line is a header. */
  hasHeader?: boolean;
  /** Binance CSV only: unit of the time column in the first data line. */
  timeUnit?: 'ms' | 'us';
  /** Binance trade CSV only: futures (header, no is_best_match) or spot (is_best_match). */
  market?: 'futures' | 'spot';
  /**
   * PairDesk bar / analytics exports and OHLC CSV: the bar timeframe (ms) inferred from the
   * starts in the lines given (smallest positive gap, see `inferTimeframeMs`); absent when they
   * hold fewer than two bars of one symbol.
   */
  barsTimeframeMs?: number;
  /** OHLC CSV only: columns, separator and time unit found in the head. */
  ohlc?: OhlcHead;
  /** Plain words: what was seen. */
  reason: string;
}

export type Detection = ({ ok: true } & Detected) | { ok: false; reason: string };

export const ACCEPTED_FORMATS =
  'Binance WebSocket captures (NDJSON, raw or combined-stream, optionally .gz); data.binance.vision ' +
  'aggTrades, trades, klines and bookTicker CSV (futures or spot, with or without header, ms or µs); ' +
  "PairDesk's own tick, bar and analytics CSV exports; generic OHLC(V) CSV with a header naming " +
  'a time column (time, timestamp, date, datetime or open_time) and open, high, low, close ' +
  '(volume optional), separated by "," ";" or tab';

const HEADERS: ReadonlyArray<[string, Detected]> = [
  [AGG_TRADES_HEADER, { format: 'aggTrades', hasHeader: true, market: 'futures', reason: '' }],
  [
    `${AGG_TRADES_HEADER},${IS_BEST_MATCH}`,
    { format: 'aggTrades', hasHeader: true, market: 'spot', reason: '' },
  ],
  [TRADES_HEADER, { format: 'trades', hasHeader: true, market: 'futures', reason: '' }],
  [
    `${TRADES_HEADER},${IS_BEST_MATCH}`,
    { format: 'trades', hasHeader: true, market: 'spot', reason: '' },
  ],
  [KLINES_HEADER, { format: 'klines', hasHeader: true, reason: '' }],
  [BOOK_TICKER_HEADER, { format: 'bookTicker', hasHeader: true, reason: '' }],
  [TICK_CSV_HEADER.join(','), { format: 'pairdesk-ticks', hasHeader: true, reason: '' }],
  [BAR_CSV_HEADER.join(','), { format: 'pairdesk-bars', hasHeader: true, reason: '' }],
  [
    normaliseHeader(ANALYTICS_CSV_HEADER),
    { format: 'pairdesk-analytics', hasHeader: true, reason: '' },
  ],
];

/** Which column holds the time, per Binance format (for the ms/µs call). */
const TIME_COLUMN: Partial<Record<FileFormat, number>> = {
  aggTrades: 5,
  trades: 4,
  klines: 0,
  bookTicker: 5,
};

function unitOf(field: string | undefined): 'ms' | 'us' | undefined {
  if (field === undefined) return undefined;
  const n = parseUInt(field);
  if (Number.isNaN(n)) return undefined;
  return n > MICROS_THRESHOLD ? 'us' : 'ms';
}

function isFlag(s: string | undefined): boolean {
  return s !== undefined && parseFlag(s) !== null;
}

function allNumeric(f: string[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!/^-?[0-9]+(\.[0-9]+)?$/.test(f[i])) return false;
  return true;
}

/** Headerless Binance CSV by the shape of one data line; null when it fits none. */
function classifyDataLine(f: string[]): Detected | null {
  const n = f.length;
  if (n === 12 && allNumeric(f, 0, 11)) {
    return { format: 'klines', hasHeader: false, reason: '12 numeric columns (klines)' };
  }
  if (n === 8 && allNumeric(f, 0, 6) && isFlag(f[6]) && isFlag(f[7])) {
    return {
      format: 'aggTrades',
      hasHeader: false,
      market: 'spot',
      reason: '8 columns, the last two true/false (spot aggTrades with is_best_match)',
    };
  }
  if (n === 7 && allNumeric(f, 0, 5) && isFlag(f[5]) && isFlag(f[6])) {
    return {
      format: 'trades',
      hasHeader: false,
      market: 'spot',
      reason: '7 columns, the last two true/false (spot trades with is_best_match)',
    };
  }
  if (n === 7 && allNumeric(f, 0, 6) && isFlag(f[6])) {
    return {
      format: 'aggTrades',
      hasHeader: false,
      market: 'futures',
      reason: '7 columns, the last true/false (aggTrades without header)',
    };
  }
  if (n === 7 && allNumeric(f, 0, 7)) {
    return { format: 'bookTicker', hasHeader: false, reason: '7 numeric columns (bookTicker)' };
  }
  if (n === 6 && allNumeric(f, 0, 5) && isFlag(f[5])) {
    return {
      format: 'trades',
      hasHeader: false,
      market: 'futures',
      reason: '6 columns, the last true/false (trades without header)',
    };
  }
  return null;
}

/** Column of the bar start in PairDesk's bar and analytics exports. */
const START_COLUMN: Partial<Record<FileFormat, number>> = {
  'pairdesk-bars': 1,
  'pairdesk-analytics': 1,
};

/** Timeframe from the starts of the first symbol's rows (column 0 is the symbol in bar exports). */
function headTimeframe(dataLines: readonly string[], startColumn: number): number | null {
  const starts: number[] = [];
  let symbol: string | undefined;
  for (const line of dataLines) {
    const f = splitFields(line);
    if (startColumn === 1 && f.length === BAR_CSV_HEADER.length) {
      symbol ??= f[0];
      if (f[0] !== symbol) continue;
    }
    const start = parseUInt(f[startColumn] ?? '');
    if (!Number.isNaN(start)) starts.push(start);
  }
  return inferTimeframeMs(starts);
}

function ohlcDetection(head: OhlcHead, hasData: boolean, hintText: string): Detection {
  const { layout } = head;
  const sep = layout.separator === '\t' ? 'tab' : `"${layout.separator}"`;
  const columns = `time column "${layout.names[layout.time]}", open, high, low, close${layout.volume === undefined ? ', no volume' : ', volume'}`;
  if (hasData && head.timeUnit === null) {
    return {
      ok: false,
      reason: `OHLC CSV header (${sep}-separated, ${columns}), but the time column holds neither ISO 8601 date-times nor epoch s / ms / µs${hintText}`,
    };
  }
  const out: Detection = {
    ok: true,
    format: 'ohlc-csv',
    hasHeader: true,
    ohlc: head,
    reason: `OHLC CSV header, ${sep}-separated: ${columns}${head.timeUnit === null ? '' : `; ${describeTimeUnit(head.timeUnit)}`}${head.timeframeMs === null ? '' : `; bars every ${describeTimeframe(head.timeframeMs)}`}${hintText}`,
  };
  if (head.timeframeMs !== null) out.barsTimeframeMs = head.timeframeMs;
  return out;
}

function jsonKind(line: string): FileFormat | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.stream === 'string' && 'data' in o) return 'ndjson-combined';
  if ('e' in o || 'u' in o || 'result' in o) return 'ndjson-raw';
  return null;
}

/** The format of a file from its first lines (`fileName` only for the reason text). */
export function detectFormat(firstLines: readonly string[], fileName?: string): Detection {
  const lines = firstLines.filter((l) => !isBlank(l));
  const hint = fileName === undefined ? null : symbolFromFileName(fileName);
  const hintText =
    hint === null ? '' : `; the file name says ${hint.symbol} ${hint.interval ?? hint.kind}`;
  if (lines.length === 0) {
    return { ok: false, reason: `the file is empty; accepted formats: ${ACCEPTED_FORMATS}` };
  }
  const first = lines[0].replace(/^\uFEFF/, '').trim();
  if (first.startsWith('{')) {
    const kind = jsonKind(first);
    if (kind !== null) {
      return {
        ok: true,
        format: kind,
        reason:
          kind === 'ndjson-combined'
            ? 'first line is a JSON object with "stream" and "data" (combined-stream NDJSON capture)'
            : 'first line is a JSON Binance message (raw-stream NDJSON capture)',
      };
    }
    return {
      ok: false,
      reason: `the first line starts with "{" but is not a Binance JSON message; accepted formats: ${ACCEPTED_FORMATS}`,
    };
  }
  const header = normaliseHeader(first);
  for (const [h, d] of HEADERS) {
    if (header === h) {
      const col = TIME_COLUMN[d.format];
      const dataLine = lines[1];
      const timeUnit =
        col === undefined || dataLine === undefined
          ? undefined
          : unitOf(splitFields(dataLine)[col]);
      const out: Detection = {
        ok: true,
        ...d,
        reason: `header matches ${d.market === undefined ? '' : `${d.market} `}${d.format}${hintText}`,
      };
      if (timeUnit !== undefined) out.timeUnit = timeUnit;
      const startColumn = START_COLUMN[d.format];
      if (startColumn !== undefined) {
        const tf = headTimeframe(lines.slice(1), startColumn);
        if (tf !== null) {
          out.barsTimeframeMs = tf;
          out.reason += `; bars every ${describeTimeframe(tf)}`;
        }
      }
      return out;
    }
  }
  const ohlc = inspectOhlcHead(lines);
  if (ohlc !== null) return ohlcDetection(ohlc, lines.length > 1, hintText);
  const fields = splitFields(first);
  const d = classifyDataLine(fields);
  if (d !== null) {
    const col = TIME_COLUMN[d.format];
    const timeUnit = col === undefined ? undefined : unitOf(fields[col]);
    const out: Detection = {
      ok: true,
      ...d,
      reason: `no header; ${d.reason}${timeUnit === undefined ? '' : `, times in ${timeUnit === 'us' ? 'µs' : 'ms'}`}${hintText}`,
    };
    if (timeUnit !== undefined) out.timeUnit = timeUnit;
    return out;
  }
  return {
    ok: false,
    reason: `not a recognised format (first line has ${fields.length} column${fields.length === 1 ? '' : 's'}, no known header)${hintText}; accepted formats: ${ACCEPTED_FORMATS}`,
  };
}
