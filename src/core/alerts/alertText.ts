/**
 * The words of an alert event, for every place that shows one: the desktop app's OS notification
 * (src/main/alerts/alertService.ts), and the renderer's toast, browser notification and history
 * table. Title "BTCUSDT/ETHUSDT z = +2.41 (1m)" (REPLAY / SIMULATED first in a notification),
 * body "Breach: z ≥ +2 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC", then
 * "(3 more breaches since 14:02 UTC)" when earlier events of the rule were grouped.
 * Times are UTC, as everywhere else in PairDesk.
 *
 * Notifications and toasts write numbers plainly (toFixed, six significant digits for a level,
 * four for β, `−` for negatives); the history table's cells write them as the other tables do
 * (thousands separators, `−`, `—` for non-finite, exact levels). The wording is the same.
 */
import type { AlertRecord, SourceKind } from '../contract/contract';
import { formatFixed, formatParameter, formatSigned, formatUtcTime } from '../text/format';
import type { AlertKind, AlertRuleId } from './types';

export const RULE_LABEL: Readonly<Record<AlertRuleId, string>> = {
  zscore: 'z-score',
  correlation: 'correlation',
  feed: 'feed silence',
};

export const KIND_LABEL: Readonly<Record<AlertKind, string>> = {
  breach: 'breach',
  escalate: 'escalate',
  revert: 'revert',
};

/** The kind as the notification words it. */
export const KIND_WORD: Readonly<Record<AlertKind, string>> = {
  breach: 'Breach',
  escalate: 'Critical',
  revert: 'Back in range',
};

/** REPLAY / SIMULATED label of a record's source; null for live data. */
export function sourceLabel(source: SourceKind): string | null {
  return source === 'replay' ? 'REPLAY' : source === 'demo' ? 'SIMULATED' : null;
}

/** REPLAY / SIMULATED before the title of events on those sources; nothing for live data. */
export function sourcePrefix(source: SourceKind): string {
  const label = sourceLabel(source);
  return label === null ? '' : `${label} `;
}

export function pairText(r: Pick<AlertRecord, 'pairA' | 'pairB'>): string {
  return `${r.pairA}/${r.pairB}`;
}

/** How numbers are written: in notifications and toasts, or in the history table's cells. */
interface NumberStyle {
  /** Fixed digits with an explicit sign. */
  signed(value: number, digits: number): string;
  /** Fixed digits. */
  fixed(value: number, digits: number): string;
  /** A threshold as typed. */
  level(value: number): string;
}

/** Fixed digits with a typographic minus and an explicit plus: +2.41, −0.35, 0.00. */
function signed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '–';
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${value < 0 ? '−' : '+'}${text}`;
}

/** A level as typed: 2, 0.5, 2.25 (no trailing zeros; six significant digits). */
function level(x: number): string {
  return String(Number(x.toPrecision(6)));
}

const NOTIFICATION: NumberStyle = {
  signed,
  fixed: (value, digits) => value.toFixed(digits),
  level,
};

const TABLE_CELL: NumberStyle = {
  signed: formatSigned,
  fixed: formatFixed,
  level: formatParameter,
};

function statistic(r: Pick<AlertRecord, 'rule' | 'value'>, style: NumberStyle): string {
  switch (r.rule) {
    case 'zscore':
      return `z = ${style.signed(r.value, 2)}`;
    case 'correlation':
      return `ρ = ${style.signed(r.value, 3)}`;
    case 'feed':
      return `${style.fixed(r.value, 0)} s silent`;
  }
}

function condition(
  r: Pick<AlertRecord, 'rule' | 'kind' | 'side' | 'threshold'>,
  style: NumberStyle,
): string {
  const k = style.level(r.threshold);
  switch (r.rule) {
    case 'zscore':
      if (r.kind === 'revert') return `|z| ≤ ${k}`;
      return r.side === 'lower' ? `z ≤ −${k}` : `z ≥ +${k}`;
    case 'correlation':
      return r.kind === 'revert' ? `ρ ≥ ${k}` : `ρ < ${k}`;
    case 'feed':
      return r.kind === 'revert' ? 'data flows again' : `no data for ≥ ${k} s`;
  }
}

/** Table cell of the statistic: "z = +2.41", "ρ = 0.214", "31 s silent", "1,000 s silent". */
export function valueText(r: Pick<AlertRecord, 'rule' | 'value'>): string {
  return statistic(r, TABLE_CELL);
}

/** Table cell of the level crossed: "z ≥ +2", "z ≤ −3", "|z| ≤ 0.5" (a revert), "ρ < 0.3". */
export function thresholdText(
  r: Pick<AlertRecord, 'rule' | 'kind' | 'side' | 'threshold'>,
): string {
  return condition(r, TABLE_CELL);
}

/** "BTCUSDT/ETHUSDT z = +2.41 (1m)", "Feed 31 s silent"; the feed rule has no pair statistic. */
export function alertTitle(r: AlertRecord): string {
  if (r.rule === 'feed') {
    return r.kind === 'revert' ? 'Feed: data flows again' : `Feed ${statistic(r, NOTIFICATION)}`;
  }
  return `${pairText(r)} ${statistic(r, NOTIFICATION)} (${r.timeframe})`;
}

/** The notification's title: alertTitle with REPLAY / SIMULATED first. */
export function notificationTitle(r: AlertRecord): string {
  return sourcePrefix(r.source) + alertTitle(r);
}

/** β to four significant digits with a typographic minus: 0.05321, −4.555, 1235, 1.235e+4. */
function beta(value: number): string {
  return `${value < 0 ? '−' : ''}${Math.abs(value).toPrecision(4)}`;
}

/** `2024-07-18 23:58:12 UTC`. */
function utcDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * "Breach: z ≥ +2 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC", then on a new line
 * "(3 more breaches since 14:02 UTC)" when earlier events of the rule were grouped.
 */
export function alertBody(
  r: AlertRecord,
  grouped: { count: number; sinceMs: number } | null = null,
): string {
  const parts = [`${KIND_WORD[r.kind]}: ${condition(r, NOTIFICATION)}`];
  if (r.beta !== null && Number.isFinite(r.beta)) parts.push(`β = ${beta(r.beta)}`);
  parts.push(
    r.rule === 'feed' ? `at ${utcDateTime(r.barStartMs)}` : `bar ${utcDateTime(r.barStartMs)}`,
  );
  let body = parts.join(' · ');
  if (grouped && grouped.count > 0)
    body += `\n${groupedText(r.rule, grouped.count, grouped.sinceMs)}`;
  return body;
}

/**
 * "(3 more breaches since 14:02 UTC)"; `clock: 'second'` gives "14:02:10 UTC" (the browser
 * notification's wording).
 */
export function groupedText(
  rule: AlertRecord['rule'],
  count: number,
  sinceMs: number,
  clock: 'minute' | 'second' = 'minute',
): string {
  const noun = rule === 'feed' ? 'feed alert' : 'breach';
  const plural = count === 1 ? noun : noun === 'breach' ? 'breaches' : `${noun}s`;
  const since =
    clock === 'second' ? formatUtcTime(sinceMs) : new Date(sinceMs).toISOString().slice(11, 16);
  return `(${count} more ${plural} since ${since} UTC)`;
}
