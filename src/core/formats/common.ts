/**
 * Shared pieces of the data.binance.vision line readers (#10): field splitting, strict number /
 * time / flag parsing, and the per-reason tally of rejected lines.
 *
 * Splitting is hand-written (`line.split(',')`): these files are purely numeric with `true`/
 * `false` flags, never quoted and never contain a comma inside a field, so a CSV library would add
 * nothing but cost. The generic-OHLC CSV reader (quoted headers, `;`/tab separators) is a separate
 * task and will weigh a CSV library.
 *
 * Times: a value > 1e14 is taken as microseconds (1e14 ms is the year 5138; 1e14 µs is 1973, so
 * the two ranges cannot be confused for any date since Binance launched), anything else as
 * milliseconds. µs values up to ~2^53 (the year 2255) are exact doubles, so the original µs
 * integer is kept exactly; the millisecond time used for ticks and bars is `floor(µs / 1000)`,
 * i.e. the sub-millisecond part is truncated (never rounded up, so a trade stays in the bar that
 * contains it), and it is carried alongside as `timeUs` for anything that wants it.
 */
import type { RejectReason } from '../market/types';
import { parseDecimal } from '../binance/decimal';
import { DEFAULT_MIN_TIME_MS } from '../validation/tickValidator';
import { clip, quoteClipped } from '../validation/clip';

/** Validator reasons plus the ones only a CSV line can have. */
export type LineRejectReason =
  | RejectReason
  | 'wrong_column_count'
  | 'bad_flag'
  | 'bad_count'
  | 'bad_interval'
  | 'out_of_order'
  | 'bad_quotes';

/** One rejected line: reason, the CSV column to blame (when one is), 1-based line number. */
export interface LineReject {
  reason: LineRejectReason;
  field?: string;
  line: number;
  /** Plain words, offending values quoted clipped (see validation/clip). */
  message: string;
}

/** What one pushed line became. */
export type LineResult<T> =
  | { kind: 'item'; item: T }
  | { kind: 'skip'; why: 'blank' | 'header' | 'empty_interval' | 'not_a_trade' }
  | { kind: 'reject'; reject: LineReject };

/** Rejections kept verbatim (all are counted). */
export const KEPT_REJECTS = 100;

/** Counts per outcome and per reject reason; keeps the first {@link KEPT_REJECTS} rejects. */
export class LineTally {
  lines = 0;
  items = 0;
  skipped = 0;
  rejected = 0;
  readonly byReason = new Map<LineRejectReason, number>();
  readonly firstRejects: LineReject[] = [];

  record<T>(r: LineResult<T>): LineResult<T> {
    this.lines++;
    if (r.kind === 'item') this.items++;
    else if (r.kind === 'skip') this.skipped++;
    else {
      this.rejected++;
      const reason = r.reject.reason;
      this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
      if (this.firstRejects.length < KEPT_REJECTS) this.firstRejects.push(r.reject);
    }
    return r;
  }
}

export function rejectLine<T>(
  reason: LineRejectReason,
  field: string | undefined,
  line: number,
  message: string,
): LineResult<T> {
  const reject: LineReject =
    field === undefined ? { reason, line, message } : { reason, field, line, message };
  return { kind: 'reject', reject };
}

/**
 * True when `String.prototype.trim` could remove this UTF-16 unit: every character it treats as
 * white space or a line end is <= U+0020 or >= U+00A0. A false positive only costs a trim().
 */
const mayBeBlank = (code: number): boolean => code <= 0x20 || code >= 0xa0;

/**
 * Fields of a line, trailing `\r` (CRLF files) and surrounding blanks removed: exactly
 * `line.split(',').map((f) => f.trim())`, but a field is only trimmed when its first or last
 * character could be a blank (~4x faster on 1 M aggTrades lines: the hot path of a CSV import).
 */
export function splitFields(line: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (;;) {
    const comma = line.indexOf(',', start);
    const end = comma === -1 ? line.length : comma;
    let field = line.slice(start, end);
    if (
      end > start &&
      (mayBeBlank(line.charCodeAt(start)) || mayBeBlank(line.charCodeAt(end - 1)))
    ) {
      field = field.trim();
    }
    parts.push(field);
    if (comma === -1) return parts;
    start = comma + 1;
  }
}

/** True for an empty or whitespace-only line. */
export function isBlank(line: string): boolean {
  // A line that starts with a visible character is not blank: no trim() copy on the hot path.
  if (line.length > 0 && !mayBeBlank(line.charCodeAt(0))) return false;
  return line.trim().length === 0;
}

/** The line normalised for header comparison: no blanks, no BOM, lower case. */
export function normaliseHeader(line: string): string {
  return line
    .replace(/^\uFEFF/, '')
    .replace(/\s+/g, '')
    .toLowerCase();
}

/**
 * The framing every reader does before looking at values: skip blank lines, skip the first
 * non-blank line when it is one of the accepted headers, split the fields and reject a line whose
 * column count is not one of the accepted ones.
 */
export class LineFrame {
  private seenData = false;

  /**
   * @param headers accepted header lines (already normalised, see {@link normaliseHeader})
   * @param counts accepted column counts
   * @param expected the counts in words for the reject message, e.g. `'7 (futures) or 8 (spot)'`
   * @param what the file kind for the reject message, e.g. `'aggTrades'`
   */
  constructor(
    private readonly headers: readonly string[],
    private readonly counts: readonly number[],
    private readonly expected: string,
    private readonly what: string,
  ) {}

  /** The line's fields, or the skip / reject the reader should return for it. */
  fields<T>(line: string, lineNo: number): string[] | LineResult<T> {
    if (isBlank(line)) return { kind: 'skip', why: 'blank' };
    if (!this.seenData) {
      this.seenData = true;
      if (this.headers.includes(normaliseHeader(line))) return { kind: 'skip', why: 'header' };
    }
    const f = splitFields(line);
    if (!this.counts.includes(f.length)) {
      return rejectLine(
        'wrong_column_count',
        undefined,
        lineNo,
        columnCountMessage(f.length, this.expected, this.what),
      );
    }
    return f;
  }
}

/** Most digits of an id or time field. */
const MAX_UINT_DIGITS = 17;

/**
 * A non-negative integer of 1–17 ASCII digits only (no sign, no exponent, no blanks) as a safe
 * integer, else NaN. Accumulated as n = 10·n + digit: exact while n <= 2^53 − 1, and a longer
 * value cannot come back below that bound, so the result equals Number(text) whenever it is safe
 * (a char-code loop: ~2x faster than a regex test plus Number()).
 */
export function parseUInt(text: string): number {
  const len = text.length;
  if (len === 0 || len > MAX_UINT_DIGITS) return NaN;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    n = n * 10 + digit;
  }
  return n <= Number.MAX_SAFE_INTEGER ? n : NaN;
}

/** An id column (non-negative integer), or its `bad_trade_id` rejection. */
export function parseIdField<T>(
  text: string,
  column: string,
  lineNo: number,
): number | LineResult<T> {
  const id = parseUInt(text);
  if (Number.isNaN(id)) {
    return rejectLine(
      'bad_trade_id',
      column,
      lineNo,
      `${column} ${quoteClipped(text)} is not an integer >= 0`,
    );
  }
  return id;
}

/** Values above this are microseconds (see the module comment). */
export const MICROS_THRESHOLD = 1e14;
/** 2100-01-01T00:00:00Z in ms: a fixed upper bound keeps the readers deterministic. */
export const MAX_TIME_MS = Date.UTC(2100, 0, 1);

export interface ParsedTime {
  /** Milliseconds, sub-ms truncated. */
  ms: number;
  /** The exact microsecond value when the field was in µs. */
  us?: number;
}

/** Parses a ms or µs epoch time and checks it lies in [2017-01-01, 2100-01-01); else a message. */
export function parseTime(text: string, column: string): ParsedTime | string {
  const n = parseUInt(text);
  if (Number.isNaN(n)) {
    return `${column} ${quoteClipped(text)} is not an integer epoch time in ms or µs`;
  }
  const time: ParsedTime = n > MICROS_THRESHOLD ? { ms: Math.floor(n / 1000), us: n } : { ms: n };
  if (time.ms < DEFAULT_MIN_TIME_MS || time.ms >= MAX_TIME_MS) {
    return `${column} ${text} (${time.us === undefined ? 'ms' : 'µs'}) is outside 2017-01-01 … 2100-01-01`;
  }
  return time;
}

/** `true`/`false` (also `True`/`False`, as some exports write them); null otherwise. */
export function parseFlag(text: string): boolean | null {
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  return null;
}

/** Decimal text under the decoder's strict grammar, or NaN. */
export function parseDecimalText(text: string): number {
  return parseDecimal(text);
}

const JS_NUMBER = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/**
 * A finite number as `String(x)` writes it (PairDesk's CSV writer: shortest round-trip form,
 * so `1e-7` and `-0` occur) or as a plain decimal; NaN for anything else (empty, `NaN`,
 * `Infinity`, hex, blanks inside). `Number()` of such text is the correctly rounded double, so a
 * value written by `csvRow` reads back bit for bit.
 */
export function parseNumberText(text: string): number {
  if (!JS_NUMBER.test(text)) return NaN;
  const n = Number(text);
  return Number.isFinite(n) ? n : NaN;
}

/** Message for a wrong number of columns. */
export function columnCountMessage(got: number, expected: string, what: string): string {
  return `${got} columns, ${what} lines have ${expected}`;
}

/** Message for a decimal that does not parse. */
export function badDecimalMessage(column: string, text: string): string {
  return `${column} ${quoteClipped(text)} is not a plain decimal like "123.45"`;
}

/** Message for a boolean that does not parse. */
export function badFlagMessage(column: string, text: string): string {
  return `${column} ${quoteClipped(text)} is not true or false`;
}

export { clip, quoteClipped };
