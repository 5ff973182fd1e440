/**
 * Streaming reader for generic OHLC(V) CSV (#10, seed 003): a header names the columns —
 * a time column (`time`, `timestamp`, `date`, `datetime` or `open_time`), `open`, `high`, `low`,
 * `close` and optionally `volume`; case-insensitive, quoted or not, other columns ignored — and
 * the separator (`,`, `;` or tab) is the one with which the header names them. Times are ISO 8601
 * or epoch s / ms / µs, detected from the first data rows and stated (see `ohlcTime.ts`).
 *
 * Rows must increase in time (a repeated time is a `duplicate`, an earlier one `out_of_order`,
 * both with their line number), lie on the timeframe (inferred from the head: the smallest gap,
 * and it must be 1 s, 1 m or 5 m — see `barTimeframe.ts`) and form a bar: prices > 0 with
 * low ≤ open, close ≤ high, volume ≥ 0. Each row becomes a bar of the symbol given: volume from
 * the file (0 without the column); quote volume, taker-buy volume and trades are not in such
 * files and are 0; vwap is NaN (not defined). `push` never throws.
 *
 * Splitting — measured by bench/formats.ts (`formatsBenchRows`) on a generated 1 M-row file
 * (`time,open,high,low,close,volume`, ISO times), Node 20, three runs on a 2-core container
 * shared with other jobs (load ≈ 14, so absolute rates are low; the ratios are what counts):
 *   hand-written `split` + trim per line   310–950 k lines/s
 *   csv-parse/sync per line                 80–137× slower (a parser and a Buffer per call)
 *   csv-parse/sync over the whole text      9–18× slower, and not streaming (holds every record)
 *   the whole OhlcCsvReader (ISO time, checks, bars)  80–150 k lines/s
 * So a line without a `"` is split by hand (a plain field cannot hold a separator), and only a
 * line with quotes goes to csv-parse, which handles RFC 4180 quoting (doubled quotes, separators
 * inside quotes) that hand-written code would get wrong. csv-parse needs Node's `Buffer`, which
 * every place that reads files (main, workers, CLI) has.
 */
import { parse } from 'csv-parse/sync';
import type { Bar } from '../market/types';
import { checkOhlc, parseAmountField, parsePriceField, startOrderReject } from './barChecks';
import { inferTimeframeMs } from './barTimeframe';
import { isBlank, LineTally, quoteClipped, rejectLine, type LineResult } from './common';
import { detectTimeUnit, parseOhlcTime, type OhlcTimeUnit } from './ohlcTime';

export type OhlcSeparator = ',' | ';' | '\t';

/** Where the columns are, from the header. */
export interface OhlcLayout {
  separator: OhlcSeparator;
  /** Number of columns of the header (rows must have as many). */
  columns: number;
  /** Column index of each field; volume absent when the file has none. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume?: number;
  /** The header's names as written (trimmed, unquoted), for reject messages. */
  names: string[];
}

/** Accepted names of the time column, in order of preference when several are present. */
export const OHLC_TIME_COLUMNS = ['open_time', 'timestamp', 'datetime', 'time', 'date'] as const;
const SEPARATORS: readonly OhlcSeparator[] = [',', ';', '\t'];

/** Fields of one line: split by hand unless it has quotes (see the module comment); null when its quotes do not close. */
export function splitOhlcLine(line: string, separator: OhlcSeparator): string[] | null {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (!text.includes('"')) {
    const parts = text.split(separator);
    for (let i = 0; i < parts.length; i++) parts[i] = parts[i].trim();
    return parts;
  }
  try {
    const records = parse(text, { delimiter: separator, trim: true, relax_column_count: true });
    const first: unknown = records[0];
    return Array.isArray(first) ? first.map(String) : [];
  } catch {
    return null;
  }
}

function normaliseName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_');
}

/** The layout when `line` is an OHLC header under one of the separators, else null. */
export function parseOhlcHeader(line: string): OhlcLayout | null {
  const text = line.replace(/^\uFEFF/, '');
  for (const separator of SEPARATORS) {
    if (!text.includes(separator)) continue;
    const names = splitOhlcLine(text, separator);
    if (names === null) continue;
    const index = new Map<string, number>();
    names.forEach((n, i) => {
      const key = normaliseName(n);
      if (!index.has(key)) index.set(key, i);
    });
    const time = OHLC_TIME_COLUMNS.map((n) => index.get(n)).find((i) => i !== undefined);
    const [open, high, low, close] = ['open', 'high', 'low', 'close'].map((n) => index.get(n));
    if (
      time === undefined ||
      open === undefined ||
      high === undefined ||
      low === undefined ||
      close === undefined
    ) {
      continue;
    }
    const layout: OhlcLayout = {
      separator,
      columns: names.length,
      time,
      open,
      high,
      low,
      close,
      names,
    };
    const volume = index.get('volume');
    if (volume !== undefined) layout.volume = volume;
    return layout;
  }
  return null;
}

/** What the head of an OHLC file says: layout, time unit and the inferred timeframe. */
export interface OhlcHead {
  layout: OhlcLayout;
  timeUnit: OhlcTimeUnit | null;
  timeframeMs: number | null;
}

/** Reads the header and first data rows of an OHLC file; null when the first line is no OHLC header. */
export function inspectOhlcHead(lines: readonly string[]): OhlcHead | null {
  const nonBlank = lines.filter((l) => !isBlank(l));
  if (nonBlank.length === 0) return null;
  const layout = parseOhlcHeader(nonBlank[0]);
  if (layout === null) return null;
  const times: string[] = [];
  for (const l of nonBlank.slice(1)) {
    const f = splitOhlcLine(l, layout.separator);
    if (f !== null && f.length === layout.columns) times.push(f[layout.time]);
  }
  const timeUnit = detectTimeUnit(times);
  let timeframeMs: number | null = null;
  if (timeUnit !== null) {
    const starts = times
      .map((t) => parseOhlcTime(t, timeUnit))
      .filter((t): t is number => typeof t === 'number');
    timeframeMs = inferTimeframeMs(starts);
  }
  return { layout, timeUnit, timeframeMs };
}

export interface OhlcReaderOptions {
  /** Upper-case symbol the bars belong to. */
  symbol: string;
  /** Bar timeframe (ms), e.g. from {@link inspectOhlcHead}. */
  timeframeMs: number;
  /** From the header line when absent (the first non-blank line must then be the header). */
  layout?: OhlcLayout;
  /** From the first data row when absent. */
  timeUnit?: OhlcTimeUnit;
}

export class OhlcCsvReader {
  readonly tally = new LineTally();
  private readonly symbol: string;
  private readonly timeframeMs: number;
  private layout: OhlcLayout | undefined;
  private timeUnitValue: OhlcTimeUnit | undefined;
  private seenHeader = false;
  private lastStart: number | undefined;

  constructor(options: OhlcReaderOptions) {
    this.symbol = options.symbol.toUpperCase();
    this.timeframeMs = options.timeframeMs;
    this.layout = options.layout;
    this.timeUnitValue = options.timeUnit;
  }

  /** The unit the times are read in, once known. */
  get timeUnit(): OhlcTimeUnit | undefined {
    return this.timeUnitValue;
  }

  push(line: string, lineNo: number): LineResult<Bar> {
    return this.tally.record(this.read(line, lineNo));
  }

  private read(line: string, lineNo: number): LineResult<Bar> {
    if (isBlank(line)) return { kind: 'skip', why: 'blank' };
    if (!this.seenHeader) {
      this.seenHeader = true;
      const header = parseOhlcHeader(line);
      if (header !== null) {
        this.layout ??= header;
        return { kind: 'skip', why: 'header' };
      }
    }
    const layout = this.layout;
    if (layout === undefined) {
      return rejectLine(
        'wrong_column_count',
        undefined,
        lineNo,
        'no OHLC header before this line (a time column and open, high, low, close)',
      );
    }
    const f = splitOhlcLine(line, layout.separator);
    if (f === null) {
      return rejectLine('bad_quotes', undefined, lineNo, 'a quoted field is not closed');
    }
    if (f.length !== layout.columns) {
      return rejectLine(
        'wrong_column_count',
        undefined,
        lineNo,
        `${f.length} columns, the header has ${layout.columns}`,
      );
    }
    const timeName = layout.names[layout.time];
    const timeText = f[layout.time];
    this.timeUnitValue ??= detectTimeUnit([timeText]) ?? undefined;
    const unit = this.timeUnitValue;
    const start =
      unit === undefined ? 'is neither ISO 8601 nor an epoch time' : parseOhlcTime(timeText, unit);
    if (typeof start === 'string') {
      return rejectLine(
        'implausible_time',
        timeName,
        lineNo,
        `${timeName} ${quoteClipped(timeText)} ${start}`,
      );
    }
    const cols = [layout.open, layout.high, layout.low, layout.close];
    const prices = [0, 0, 0, 0];
    for (let k = 0; k < 4; k++) {
      const c = cols[k];
      const x = parsePriceField<Bar>(f[c], layout.names[c], lineNo);
      if (typeof x !== 'number') return x;
      prices[k] = x;
    }
    let volume = 0;
    if (layout.volume !== undefined) {
      const x = parseAmountField<Bar>(f[layout.volume], layout.names[layout.volume], lineNo);
      if (typeof x !== 'number') return x;
      volume = x;
    }
    const [open, high, low, close] = prices;
    const texts = cols.map((c) => f[c]);
    const bad = checkOhlc<Bar>(open, high, low, close, texts, lineNo);
    if (bad !== null) return renameOhlcField(bad, layout);
    const order = startOrderReject<Bar>(
      this.symbol,
      start,
      timeText,
      timeName,
      this.timeframeMs,
      this.lastStart,
      lineNo,
    );
    if (order !== null) return order;
    this.lastStart = start;
    return {
      kind: 'item',
      item: {
        symbol: this.symbol,
        timeframeMs: this.timeframeMs,
        startMs: start,
        open,
        high,
        low,
        close,
        volume,
        quoteVolume: 0,
        trades: 0,
        takerBuyVolume: 0,
        vwap: NaN,
      },
    };
  }
}

/** `checkOhlc` names the canonical columns; report the header's own spelling instead. */
function renameOhlcField(r: LineResult<Bar>, layout: OhlcLayout): LineResult<Bar> {
  if (r.kind !== 'reject' || r.reject.field === undefined) return r;
  const i = r.reject.field === 'high' ? layout.high : r.reject.field === 'low' ? layout.low : -1;
  if (i < 0) return r;
  return { kind: 'reject', reject: { ...r.reject, field: layout.names[i] } };
}
