// Formatting used by the Analytics tab and the overlay axis: pure functions, "—" for undefined.
import { describe, expect, it } from 'vitest';
import type { AnalyticsSelection } from '../../src/core/contract/contract';
import { selectionChangeText } from '../../src/renderer/components/analytics/selectionChange';
import { shortcutFor, SHORTCUTS } from '../../src/renderer/lib/keyboard';
import {
  axisDigits,
  formatDuration,
  formatFixed,
  formatPercent,
  formatParameter,
  formatPValue,
  formatSigned,
  sentence,
  significantDigits,
} from '../../src/renderer/lib/format';

describe('analytics formatting', () => {
  it('shows "—" for null, undefined and non-finite values', () => {
    for (const v of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(formatFixed(v, 2)).toBe('—');
      expect(formatSigned(v, 2)).toBe('—');
      expect(formatPercent(v)).toBe('—');
      expect(formatPValue(v)).toBe('—');
      expect(formatDuration(v)).toBe('—');
    }
  });

  it('formats numbers with a true minus sign and signs where asked', () => {
    expect(formatFixed(-1.2345, 2)).toBe('−1.23');
    expect(formatFixed(-0.0001, 2)).toBe('0.00');
    expect(formatFixed(53265.944, 2)).toBe('53,265.94');
    expect(formatSigned(1.5, 2)).toBe('+1.50');
    expect(formatSigned(-1.5, 2)).toBe('−1.50');
    expect(formatSigned(0.001, 2)).toBe('0.00');
    expect(formatPercent(0.5912)).toBe('59.1%');
    expect(formatPValue(0.04831)).toBe('0.0483');
    expect(formatPValue(0.00001)).toBe('< 0.0001');
    expect(significantDigits(2.25034, 5)).toBe(4);
    expect(significantDigits(53265.9)).toBe(0);
    expect(sentence('waiting for 12 more 1m bars')).toBe('Waiting for 12 more 1m bars');
  });

  it('says durations in human units', () => {
    expect(formatDuration(0.4)).toBe('< 1 ms');
    expect(formatDuration(57)).toBe('57 ms');
    expect(formatDuration(1_061)).toBe('1.06 s');
    expect(formatDuration(23_400)).toBe('23.4 s');
    expect(formatDuration(750_000)).toBe('12.5 min');
    expect(formatDuration(3 * 3_600_000)).toBe('3.00 h');
    expect(formatDuration(2.5 * 86_400_000)).toBe('2.50 d');
  });

  it('chooses axis label decimals from the visible range (the 1s overlay reads 100.02, not 100.0)', () => {
    // A 1s overlay: closes within a few hundredths of 100.
    expect(axisDigits(99.98, 100.03, 4)).toBe(2);
    expect(axisDigits(99.998, 100.004, 4)).toBe(3);
    // A 5m overlay over a day moves by points.
    expect(axisDigits(96, 104, 4)).toBe(0);
    expect(axisDigits(99, 101.5, 4)).toBe(1);
    // Degenerate range: enough digits for the value itself.
    expect(axisDigits(100, 100, 4)).toBe(1);
    expect(axisDigits(Number.NaN, Number.NaN, 4)).toBe(2);
    // Labels at the chosen precision are distinct for ECharts' nice ticks.
    const ticks = [99.98, 99.99, 100, 100.01, 100.02, 100.03];
    const labels = ticks.map((t) => t.toFixed(axisDigits(99.98, 100.03, 4)));
    expect(new Set(labels).size).toBe(ticks.length);
  });

  it('`r` runs the tests and is documented in the help', () => {
    const key = (k: string) => ({
      key: k,
      ctrlKey: false,
      metaKey: false,
      altKey: false,
      target: null,
    });
    expect(shortcutFor(key('r'))).toEqual({ type: 'runTests' });
    expect(shortcutFor(key('R'))).toEqual({ type: 'runTests' });
    expect(shortcutFor({ ...key('r'), target: { tagName: 'INPUT' } })).toBeNull();
    expect(SHORTCUTS.some((s) => s.keys === 'R' && /stationarity/i.test(s.description))).toBe(true);
  });
});

describe('parameters and bounds', () => {
  it('plain from 1e-3 up to 1e6, exponent form outside it, digits exact', () => {
    expect([1e-7, 2.5e-6, 1e-4, 0.001, 10, 100_000, 1e6, 1e12, 0].map(formatParameter)).toEqual([
      '1e-7',
      '2.5e-6',
      '1e-4',
      '0.001',
      '10',
      '100000',
      '1e6',
      '1e12',
      '0',
    ]);
    expect(Number(formatParameter(0.1 + 0.2))).toBe(0.1 + 0.2);
  });
});

describe('selection change strip', () => {
  const held: AnalyticsSelection = {
    pairA: 'BTCUSDT',
    pairB: 'ETHUSDT',
    timeframe: '1m',
    rollingWindow: 60,
    lookback: 10_000,
    hedgeMethod: 'static',
    kalmanDelta: 1e-7,
    kalmanVe: 10,
  };

  it('says nothing when the rows held are the wanted ones, or nothing is held', () => {
    expect(selectionChangeText({ ...held }, held)).toBeNull();
    expect(selectionChangeText(held, null)).toBeNull();
  });

  it('names every field that changed, old → new', () => {
    expect(selectionChangeText({ ...held, rollingWindow: 30 }, held)).toBe(
      'Recomputing from stored bars: W 60 → 30',
    );
    const all: AnalyticsSelection = {
      pairA: 'SOLUSDT',
      pairB: 'ETHUSDT',
      timeframe: '1s',
      rollingWindow: 120,
      lookback: 100_000,
      hedgeMethod: 'kalman',
      kalmanDelta: 1e-4,
      kalmanVe: 0.001,
    };
    const text = selectionChangeText(all, held)!;
    expect(text).toMatch(/pair BTCUSDT\/ETHUSDT → SOLUSDT\/ETHUSDT/);
    expect(text).toMatch(/timeframe 1m → 1s/);
    expect(text).toMatch(/W 60 → 120/);
    expect(text).toMatch(/lookback 10[,\u202f\u00a0 ]?000 → 100[,\u202f\u00a0 ]?000/);
    expect(text).toMatch(/hedge static OLS → Kalman, Kalman δ 1e-7 → 1e-4, Ve 10 → 0\.001$/);
  });
});
