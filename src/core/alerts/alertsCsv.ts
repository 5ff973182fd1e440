/**
 * `alerts.csv` (the CLI's `--alerts-out`): one row per z-score rule event, times formatted like
 * analytics.csv (ISO-8601 UTC, then the bar start in ms), numbers in the shortest round-trip form
 * (csvRow), so `zscore` parses back to the exact double of the analytics CSV's zscore column.
 */
import { IsoTimeFormatter } from '../analysis/analyticsCsv';
import { csvRow } from '../csv/csvWriter';
import type { AlertEvent, AlertKind } from './types';

export const ALERTS_CSV_COLUMNS = [
  'time',
  'start_ms',
  'kind',
  'side',
  'zscore',
  'threshold',
] as const;

export const ALERTS_CSV_HEADER = `${ALERTS_CSV_COLUMNS.join(',')}\n`;

/** The rows (no header) of `events`; side null becomes an empty cell. */
export function alertsCsvRows(
  events: readonly AlertEvent[],
  fmt: IsoTimeFormatter = new IsoTimeFormatter(),
): string {
  let out = '';
  for (const e of events) {
    out += csvRow([fmt.format(e.barStartMs), e.barStartMs, e.kind, e.side, e.value, e.threshold]);
  }
  return out;
}

/** Events per kind: { breach, escalate, revert }. */
export function countAlertKinds(events: readonly AlertEvent[]): Record<AlertKind, number> {
  const counts: Record<AlertKind, number> = { breach: 0, escalate: 0, revert: 0 };
  for (const e of events) counts[e.kind]++;
  return counts;
}
