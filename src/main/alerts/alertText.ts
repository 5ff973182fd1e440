/**
 * The words of an OS notification for an alert (main side; the renderer's toast and history use
 * src/renderer/lib/alertText.ts, which reads the same: "BTCUSDT/ETHUSDT z = +2.41 (1m)").
 * Times are UTC, as everywhere else in PairDesk.
 */
import type { AlertRecord, SourceKind } from '../../core/contract/contract';

/** Fixed digits with a typographic minus and an explicit plus: +2.41, −0.35, 0.00. */
export function signed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '–';
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${value < 0 ? '−' : '+'}${text}`;
}

/** A level as typed: 2, 0.5, 2.25 (no trailing zeros). */
function level(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/** `2024-07-18 23:58:12 UTC`. */
export function utcDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `14:02 UTC`. */
export function utcHourMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/** REPLAY / SIMULATED before the title of events on those sources; nothing for live data. */
export function sourcePrefix(source: SourceKind): string {
  return source === 'replay' ? 'REPLAY ' : source === 'demo' ? 'SIMULATED ' : '';
}

export function pairText(r: Pick<AlertRecord, 'pairA' | 'pairB'>): string {
  return `${r.pairA}/${r.pairB}`;
}

/** "BTCUSDT/ETHUSDT z = +2.41 (1m)", "BTCUSDT/ETHUSDT ρ = +0.214 (1m)", "Feed 31 s silent". */
export function notificationTitle(r: AlertRecord): string {
  let text: string;
  switch (r.rule) {
    case 'zscore':
      text = `${pairText(r)} z = ${signed(r.value, 2)} (${r.timeframe})`;
      break;
    case 'correlation':
      text = `${pairText(r)} ρ = ${signed(r.value, 3)} (${r.timeframe})`;
      break;
    case 'feed':
      text = r.kind === 'revert' ? 'Feed: data flows again' : `Feed ${r.value.toFixed(0)} s silent`;
      break;
  }
  return sourcePrefix(r.source) + text;
}

const KIND_WORD: Record<AlertRecord['kind'], string> = {
  breach: 'Breach',
  escalate: 'Critical',
  revert: 'Back in range',
};

/**
 * "Breach: z ≥ +2 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC", then
 * "(3 more breaches since 14:02 UTC)" when earlier events of the rule were grouped.
 */
export function notificationBody(
  r: AlertRecord,
  grouped: { count: number; sinceMs: number } | null,
): string {
  let condition: string;
  switch (r.rule) {
    case 'zscore':
      condition =
        r.kind === 'revert'
          ? `|z| ≤ ${level(r.threshold)}`
          : r.side === 'lower'
            ? `z ≤ −${level(r.threshold)}`
            : `z ≥ +${level(r.threshold)}`;
      break;
    case 'correlation':
      condition = r.kind === 'revert' ? `ρ ≥ ${level(r.threshold)}` : `ρ < ${level(r.threshold)}`;
      break;
    case 'feed':
      condition =
        r.kind === 'revert' ? 'data flows again' : `no data for ≥ ${level(r.threshold)} s`;
      break;
  }
  const parts = [`${KIND_WORD[r.kind]}: ${condition}`];
  if (r.beta !== null && Number.isFinite(r.beta)) parts.push(`β = ${r.beta.toPrecision(4)}`);
  parts.push(
    r.rule === 'feed' ? `at ${utcDateTime(r.barStartMs)}` : `bar ${utcDateTime(r.barStartMs)}`,
  );
  let body = parts.join(' · ');
  if (grouped && grouped.count > 0)
    body += `\n${groupedText(r.rule, grouped.count, grouped.sinceMs)}`;
  return body;
}

/** "(3 more breaches since 14:02 UTC)". */
export function groupedText(rule: AlertRecord['rule'], count: number, sinceMs: number): string {
  const noun = rule === 'feed' ? 'feed alert' : 'breach';
  const plural = count === 1 ? noun : noun === 'breach' ? 'breaches' : `${noun}s`;
  return `(${count} more ${plural} since ${utcHourMinute(sinceMs)})`;
}
