/**
 * `analytics.csv`: one row per aligned bar. Numbers use the shortest round-trip form (csvRow), so
 * every cell parses back to the identical double; undefined values are empty cells.
 */
import { csvRow } from '../csv/csvWriter';
import type { PairAnalysisSeries } from './pairAnalysis';

export const ANALYTICS_CSV_COLUMNS = [
  'time',
  'start_ms',
  'close_a',
  'close_b',
  'hedge_ratio',
  'spread',
  'zscore',
  'correlation',
] as const;

export const ANALYTICS_CSV_HEADER = `${ANALYTICS_CSV_COLUMNS.join(',')}\n`;

const MS_PER_DAY = 86_400_000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

/**
 * ISO-8601 UTC timestamps (`2024-07-18T23:57:02.000Z`), identical to `Date#toISOString` for
 * integer ms, with the date part cached per day (bars come in order, so one Date per day).
 */
export class IsoTimeFormatter {
  private day = Number.NaN;
  private prefix = '';

  format(ms: number): string {
    if (!Number.isSafeInteger(ms)) return new Date(ms).toISOString();
    const day = Math.floor(ms / MS_PER_DAY);
    if (day !== this.day) {
      const iso = new Date(day * MS_PER_DAY).toISOString();
      // Years outside 0000–9999 use the expanded form; leave those to Date.
      if (iso.length !== 24) return new Date(ms).toISOString();
      this.day = day;
      this.prefix = iso.slice(0, 11);
    }
    let r = ms - day * MS_PER_DAY;
    const h = Math.floor(r / 3_600_000);
    r -= h * 3_600_000;
    const m = Math.floor(r / 60_000);
    r -= m * 60_000;
    const s = Math.floor(r / 1000);
    return `${this.prefix}${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(r - s * 1000)}Z`;
  }
}

/**
 * Rows [from, to) of the series as CSV text (no header). Call in slices to bound memory for long
 * series; pass the same formatter to every call.
 */
export function analyticsCsvRows(
  s: PairAnalysisSeries,
  from: number,
  to: number,
  fmt: IsoTimeFormatter = new IsoTimeFormatter(),
): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const t = s.startMs[i];
    out += csvRow([
      fmt.format(t),
      t,
      s.a[i],
      s.b[i],
      s.hedgeRatio[i],
      s.spread[i],
      s.zscore[i],
      s.correlation[i],
    ]);
  }
  return out;
}
