/**
 * The words of an alert event, one module for the OS notification (main) and the renderer's
 * toast, browser notification and history table. The table below was produced by the two former
 * copies (src/main/alerts/alertText.ts for title and body, src/renderer/lib/alertText.ts for the
 * table cells) before they were merged into src/core/alerts/alertText.ts.
 */
import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../../src/core/contract/contract';
import {
  alertBody,
  alertTitle,
  groupedText,
  notificationTitle,
  pairText,
  sourceLabel,
  sourcePrefix,
  thresholdText,
  valueText,
} from '../../../src/core/alerts/alertText';

const base: AlertRecord = {
  id: 1,
  datasetId: 7,
  source: 'live',
  pairA: 'BTCUSDT',
  pairB: 'ETHUSDT',
  timeframe: '1m',
  rollingWindow: 60,
  rule: 'zscore',
  kind: 'breach',
  side: 'upper',
  value: 2.41,
  threshold: 2,
  beta: 0.05321,
  barStartMs: Date.UTC(2024, 6, 18, 23, 58, 12),
  wallMs: Date.UTC(2024, 6, 18, 23, 58, 13),
  acknowledged: false,
  notified: true,
};
const r = (o: Partial<AlertRecord>): AlertRecord => ({ ...base, ...o });

/** name, record, notification title, body, table value cell, table threshold cell. */
const CASES: [string, AlertRecord, string, string, string, string][] = [
  [
    'z breach upper live',
    r({}),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
  [
    'z breach lower replay',
    r({ source: 'replay', side: 'lower', value: -2.05 }),
    'REPLAY BTCUSDT/ETHUSDT z = −2.05 (1m)',
    'Breach: z ≤ −2 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'z = −2.05',
    'z ≤ −2',
  ],
  [
    'z escalate demo',
    r({ source: 'demo', kind: 'escalate', value: 3.4, threshold: 3 }),
    'SIMULATED BTCUSDT/ETHUSDT z = +3.40 (1m)',
    'Critical: z ≥ +3 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'z = +3.40',
    'z ≥ +3',
  ],
  [
    'z revert',
    r({ kind: 'revert', side: null, value: 0.35, threshold: 0.5 }),
    'BTCUSDT/ETHUSDT z = +0.35 (1m)',
    'Back in range: |z| ≤ 0.5 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'z = +0.35',
    '|z| ≤ 0.5',
  ],
  [
    'z revert negative',
    r({ kind: 'revert', value: -0.35, threshold: 0.5, timeframe: '5m' }),
    'BTCUSDT/ETHUSDT z = −0.35 (5m)',
    'Back in range: |z| ≤ 0.5 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'z = −0.35',
    '|z| ≤ 0.5',
  ],
  [
    'z rounds to zero',
    r({ kind: 'revert', value: -0.004, threshold: 0.5, timeframe: '1s' }),
    'BTCUSDT/ETHUSDT z = 0.00 (1s)',
    'Back in range: |z| ≤ 0.5 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'z = 0.00',
    '|z| ≤ 0.5',
  ],
  [
    'z threshold 2.25',
    r({ threshold: 2.25, value: 2.2549 }),
    'BTCUSDT/ETHUSDT z = +2.25 (1m)',
    'Breach: z ≥ +2.25 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.25',
    'z ≥ +2.25',
  ],
  [
    'z large',
    r({ value: 1234.5678 }),
    'BTCUSDT/ETHUSDT z = +1234.57 (1m)',
    'Breach: z ≥ +2 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'z = +1,234.57',
    'z ≥ +2',
  ],
  [
    'z NaN',
    r({ value: Number.NaN }),
    'BTCUSDT/ETHUSDT z = – (1m)',
    'Breach: z ≥ +2 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'z = —',
    'z ≥ +2',
  ],
  [
    'z threshold 7 sig digits',
    r({ threshold: 2.1234567 }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2.12346 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2.1234567',
  ],
  [
    'z threshold 1e-4',
    r({ threshold: 0.0001 }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +0.0001 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +1e-4',
  ],
  [
    'rho breach',
    r({ rule: 'correlation', side: 'lower', value: 0.214, threshold: 0.3 }),
    'BTCUSDT/ETHUSDT ρ = +0.214 (1m)',
    'Breach: ρ < 0.3 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'ρ = +0.214',
    'ρ < 0.3',
  ],
  [
    'rho negative',
    r({ rule: 'correlation', side: 'lower', value: -0.1234, threshold: 0.3 }),
    'BTCUSDT/ETHUSDT ρ = −0.123 (1m)',
    'Breach: ρ < 0.3 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'ρ = −0.123',
    'ρ < 0.3',
  ],
  [
    'rho revert',
    r({ rule: 'correlation', kind: 'revert', side: null, value: 0.35, threshold: 0.3 }),
    'BTCUSDT/ETHUSDT ρ = +0.350 (1m)',
    'Back in range: ρ ≥ 0.3 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC',
    'ρ = +0.350',
    'ρ ≥ 0.3',
  ],
  [
    'feed breach',
    r({ rule: 'feed', side: null, value: 31, threshold: 30, beta: null }),
    'Feed 31 s silent',
    'Breach: no data for ≥ 30 s · at 2024-07-18 23:58:12 UTC',
    '31 s silent',
    'no data for ≥ 30 s',
  ],
  [
    'feed revert',
    r({
      rule: 'feed',
      kind: 'revert',
      side: null,
      value: 0,
      threshold: 30,
      beta: null,
      source: 'replay',
    }),
    'REPLAY Feed: data flows again',
    'Back in range: data flows again · at 2024-07-18 23:58:12 UTC',
    '0 s silent',
    'data flows again',
  ],
  [
    'feed 1000 s',
    r({ rule: 'feed', side: null, value: 1000.4, threshold: 30, beta: null }),
    'Feed 1000 s silent',
    'Breach: no data for ≥ 30 s · at 2024-07-18 23:58:12 UTC',
    '1,000 s silent',
    'no data for ≥ 30 s',
  ],
  [
    'feed 30.5 s',
    r({ rule: 'feed', side: null, value: 30.5, threshold: 30, beta: null }),
    'Feed 31 s silent',
    'Breach: no data for ≥ 30 s · at 2024-07-18 23:58:12 UTC',
    '31 s silent',
    'no data for ≥ 30 s',
  ],
  [
    'beta null',
    r({ beta: null }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
  [
    'beta NaN',
    r({ beta: Number.NaN }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
  [
    'beta 19.12',
    r({ beta: 19.12 }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2 · β = 19.12 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
  [
    'beta 0.0523',
    r({ beta: 0.0523 }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2 · β = 0.05230 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
  [
    'beta 1.5',
    r({ beta: 1.5 }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2 · β = 1.500 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
  [
    'beta 0',
    r({ beta: 0 }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2 · β = 0.000 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
  [
    'beta negative',
    r({ beta: -0.05321 }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    // The former main copy wrote an ASCII '-' here; the toast (and the browser test) '−'.
    'Breach: z ≥ +2 · β = −0.05321 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
  [
    'beta 0.99999',
    r({ beta: 0.99999 }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2 · β = 1.000 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
  [
    'beta 1234.5',
    r({ beta: 1234.5 }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2 · β = 1235 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
  [
    'beta 12345.6',
    r({ beta: 12345.6 }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2 · β = 1.235e+4 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
  [
    'beta 1e-9',
    r({ beta: 1e-9 }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2 · β = 1.000e-9 · bar 2024-07-18 23:58:12 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
  [
    'bar 1970',
    r({ barStartMs: 0 }),
    'BTCUSDT/ETHUSDT z = +2.41 (1m)',
    'Breach: z ≥ +2 · β = 0.05321 · bar 1970-01-01 00:00:00 UTC',
    'z = +2.41',
    'z ≥ +2',
  ],
];

describe('alert text', () => {
  it.each(CASES)('%s', (_name, record, title, body, value, threshold) => {
    expect(notificationTitle(record)).toBe(title);
    expect(sourcePrefix(record.source) + alertTitle(record)).toBe(title);
    expect(alertBody(record)).toBe(body);
    expect(alertBody(record, null)).toBe(body);
    expect(alertBody(record, { count: 0, sinceMs: 0 })).toBe(body);
    expect(valueText(record)).toBe(value);
    expect(thresholdText(record)).toBe(threshold);
  });

  it('labels the source', () => {
    expect(sourceLabel('live')).toBeNull();
    expect(sourceLabel('replay')).toBe('REPLAY');
    expect(sourceLabel('demo')).toBe('SIMULATED');
    expect(sourcePrefix('live')).toBe('');
    expect(sourcePrefix('replay')).toBe('REPLAY ');
    expect(sourcePrefix('demo')).toBe('SIMULATED ');
    expect(pairText(base)).toBe('BTCUSDT/ETHUSDT');
  });

  it('counts the grouped events', () => {
    const since = Date.UTC(2024, 6, 18, 14, 2, 10);
    expect(groupedText('zscore', 3, since)).toBe('(3 more breaches since 14:02 UTC)');
    expect(groupedText('correlation', 1, since)).toBe('(1 more breach since 14:02 UTC)');
    expect(groupedText('feed', 2, since)).toBe('(2 more feed alerts since 14:02 UTC)');
    expect(groupedText('feed', 1, since, 'second')).toBe('(1 more feed alert since 14:02:10 UTC)');
    expect(alertBody(base, { count: 3, sinceMs: since })).toBe(
      'Breach: z ≥ +2 · β = 0.05321 · bar 2024-07-18 23:58:12 UTC\n(3 more breaches since 14:02 UTC)',
    );
  });
});
