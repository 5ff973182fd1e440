/**
 * How an alert event reads in the toast, the browser notification and the history table: the
 * same words as the desktop app's OS notification (src/main/alerts/alertText.ts), title
 * "BTCUSDT/ETHUSDT z = +2.41 (1m)", body "Breach: z ≥ +2 · β = 0.05321 · bar … UTC".
 */
import type { AlertRecord, SourceKind } from '../../core/contract/contract';
import type { AlertKind, AlertRuleId } from '../../core/alerts/types';
import {
  formatFixed,
  formatParameter,
  formatSigned,
  formatUtcDateTime,
  significantDigits,
} from './format';

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

/** REPLAY / SIMULATED label of a record's source; null for live data. */
export function sourceLabel(source: SourceKind): string | null {
  return source === 'replay' ? 'REPLAY' : source === 'demo' ? 'SIMULATED' : null;
}

export function pairOf(record: Pick<AlertRecord, 'pairA' | 'pairB'>): string {
  return `${record.pairA}/${record.pairB}`;
}

/** The statistic as "z = +2.41", "ρ = 0.214", "31 s silent". */
export function valueText(record: Pick<AlertRecord, 'rule' | 'value'>): string {
  switch (record.rule) {
    case 'zscore':
      return `z = ${formatSigned(record.value, 2)}`;
    case 'correlation':
      return `ρ = ${formatSigned(record.value, 3)}`;
    case 'feed':
      return `${formatFixed(record.value, 0)} s silent`;
  }
}

/** The level crossed: "z ≥ +2", "z ≤ −3", "|z| ≤ 0.5" (a revert), "ρ < 0.3". */
export function thresholdText(
  record: Pick<AlertRecord, 'rule' | 'kind' | 'side' | 'threshold'>,
): string {
  const k = formatParameter(record.threshold);
  switch (record.rule) {
    case 'zscore':
      if (record.kind === 'revert') return `|z| ≤ ${k}`;
      return record.side === 'lower' ? `z ≤ −${k}` : `z ≥ +${k}`;
    case 'correlation':
      return record.kind === 'revert' ? `ρ ≥ ${k}` : `ρ < ${k}`;
    case 'feed':
      return record.kind === 'revert' ? 'data flows again' : `no data for ≥ ${k} s`;
  }
}

/** "BTCUSDT/ETHUSDT z = +2.41 (1m)"; the feed rule has no statistic of the pair. */
export function alertTitle(record: AlertRecord): string {
  if (record.rule === 'feed') {
    return record.kind === 'revert' ? 'Feed: data flows again' : `Feed ${valueText(record)}`;
  }
  return `${pairOf(record)} ${valueText(record)} (${record.timeframe})`;
}

/** The kind as the notification words it. */
export const KIND_WORD: Readonly<Record<AlertKind, string>> = {
  breach: 'Breach',
  escalate: 'Critical',
  revert: 'Back in range',
};

/** "Breach: z ≥ +2 · β = 0.05321 · bar 2024-07-18 23:58:00 UTC". */
export function alertBody(record: AlertRecord): string {
  const parts = [`${KIND_WORD[record.kind]}: ${thresholdText(record)}`];
  if (record.beta !== null && Number.isFinite(record.beta)) {
    parts.push(`β = ${formatFixed(record.beta, significantDigits(record.beta, 4))}`);
  }
  parts.push(
    record.rule === 'feed'
      ? `at ${formatUtcDateTime(record.barStartMs)} UTC`
      : `bar ${formatUtcDateTime(record.barStartMs)} UTC`,
  );
  return parts.join(' · ');
}
