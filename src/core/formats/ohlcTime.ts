/**
 * Times of generic OHLC(V) CSV files (#10): ISO 8601 date-times (with a zone, or without one —
 * then read as UTC) or epoch seconds / milliseconds / microseconds. The unit is decided once per
 * file from its first data rows by magnitude — below 1e11 seconds (1e11 s is the year 5138, 1e11
 * ms is 1973), below 1e14 milliseconds, below 1e17 microseconds — and every row is then read in
 * that unit, so a row in another unit lands outside 1970…2100 and is rejected.
 */
import { MAX_TIME_MS } from './common';

export type OhlcTimeUnit = 'iso' | 'iso-no-zone' | 's' | 'ms' | 'us';

/** The unit in plain words, for the inspection and import messages. */
export function describeTimeUnit(unit: OhlcTimeUnit): string {
  switch (unit) {
    case 'iso':
      return 'times are ISO 8601 date-times with a time zone';
    case 'iso-no-zone':
      return 'times are ISO 8601 date-times without a time zone, read as UTC';
    case 's':
      return 'times are epoch seconds (UTC)';
    case 'ms':
      return 'times are epoch milliseconds (UTC)';
    case 'us':
      return 'times are epoch microseconds (UTC); the sub-millisecond part must be 0';
  }
}

const EPOCH = /^[0-9]{1,17}$/;
const ISO =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?)?\s*(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?)?$/;

/** The epoch unit of `n` by magnitude, or null beyond µs. */
function epochUnit(n: number): 's' | 'ms' | 'us' | null {
  if (n < 1e11) return 's';
  if (n < 1e14) return 'ms';
  if (n < 1e17) return 'us';
  return null;
}

/** The unit of one time cell, or null when it is neither an epoch integer nor ISO 8601. */
export function timeUnitOf(text: string): OhlcTimeUnit | null {
  if (EPOCH.test(text)) return epochUnit(Number(text));
  const m = ISO.exec(text);
  if (m === null) return null;
  return m[8] === undefined ? 'iso-no-zone' : 'iso';
}

/** The file's unit from the time cells of its first data rows (the first that parses decides). */
export function detectTimeUnit(texts: readonly string[]): OhlcTimeUnit | null {
  for (const t of texts) {
    const u = timeUnitOf(t);
    if (u !== null) return u;
  }
  return null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

function isoToMs(text: string): number | string {
  const m = ISO.exec(text);
  if (m === null) return 'is not an ISO 8601 date-time like 2024-07-18T23:57:00Z';
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  // Checked by hand: Date.UTC would roll 2024-02-30 over to March.
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) {
    return 'is not a valid calendar date and time';
  }
  // Date.UTC maps years 0–99 to 1900–1999; those are out of range anyway.
  const ms = y < 1970 ? -1 : Date.UTC(y, mo - 1, d, h, mi, s);
  const frac = m[7] ?? '';
  if (/[1-9]/.test(frac.slice(3))) return 'has a sub-millisecond part';
  const fracMs = frac === '' ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  let offsetMs = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) return 'has an invalid time-zone offset';
    offsetMs = (oh * 60 + om) * 60_000 * (zone[0] === '-' ? -1 : 1);
  }
  return ms + fracMs - offsetMs;
}

/**
 * `text` read in `unit` as ms UTC in [1970-01-01, 2100-01-01), or what is wrong with it (a phrase
 * to follow the quoted value). ISO text is accepted with or without zone whatever the file's unit.
 */
export function parseOhlcTime(text: string, unit: OhlcTimeUnit): number | string {
  let ms: number;
  if (unit === 'iso' || unit === 'iso-no-zone') {
    const r = isoToMs(text);
    if (typeof r === 'string') return r;
    ms = r;
  } else {
    if (!EPOCH.test(text))
      return `is not an integer epoch time (the file's ${unit === 'us' ? 'µs' : unit})`;
    const n = Number(text);
    if (unit === 'us' && n % 1000 !== 0) return 'has a sub-millisecond part';
    ms = unit === 's' ? n * 1000 : unit === 'ms' ? n : n / 1000;
  }
  if (!(ms >= 0 && ms < MAX_TIME_MS)) {
    return `is outside 1970-01-01 … 2100-01-01 when read as ${describeTimeUnit(unit).replace('times are ', '')}`;
  }
  return ms;
}
