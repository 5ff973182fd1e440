/** marketSummary: the lines, tones and rules for hand-made inputs, and what is missing. */
import { describe, expect, it } from 'vitest';
import {
  durationText,
  finiteMedian,
  marketSummary,
  type MarketSummaryInput,
  type SummaryLine,
} from '../../../src/core/alerts/marketSummary';

const BASE: MarketSummaryInput = {
  symbolA: 'BTCUSDT',
  symbolB: 'ETHUSDT',
  timeframe: '1m',
  zLast: 2.31,
  zPrev: 2.1,
  correlation: 0.82,
  egPValue: 0.012,
  halfLifeBars: 14,
  volA: 0.5,
  volB: 0.4,
  volHistoryA: [0.45, 0.5, 0.55],
  volHistoryB: [0.4, Number.NaN, 0.4, null],
  betaRolling: [0.0521, 0.0523, Number.NaN],
  betaLast: 0.0522,
};

function line(input: Partial<MarketSummaryInput>, topic: SummaryLine['topic']): SummaryLine {
  const found = marketSummary({ ...BASE, ...input }).find((l) => l.topic === topic);
  if (found === undefined) throw new Error(`no ${topic} line`);
  return found;
}

describe('marketSummary', () => {
  it('reads a hand-made state in plain words, one line per topic, with the rule used', () => {
    const lines = marketSummary(BASE);
    expect(lines.map((l) => l.topic)).toEqual([
      'zscore',
      'correlation',
      'cointegration',
      'volatility',
      'hedge',
    ]);
    expect(lines[0]).toEqual({
      topic: 'zscore',
      text: 'spread 2.3σ above its mean: BTCUSDT rich vs ETHUSDT, and widening',
      tone: 'warn',
      rule: '|z| ≥ 2 (alert level): warn',
    });
    expect(lines[1]).toMatchObject({
      text: 'correlation of log returns 0.82: strong',
      tone: 'good',
    });
    expect(lines[2]).toMatchObject({
      text: 'cointegrated at 5 % (p = 0.012), half-life 14 bars ≈ 14 min',
      tone: 'good',
      rule: 'Engle–Granger p < 0.05: cointegrated, good',
    });
    expect(lines[3].tone).toBe('neutral');
    expect(lines[3].text).toBe(
      'volatility normal for BTCUSDT (50 % annualised, 1.0× its median 50 %); normal for ETHUSDT (40 % annualised, 1.0× its median 40 %)',
    );
    expect(lines[4]).toMatchObject({ tone: 'good' });
    expect(lines[4].text).toMatch(/^hedge ratio β = 0.0522, stable over the lookback/);
  });

  it('z position, direction and tone', () => {
    expect(line({ zLast: -1.2, zPrev: -1.5 }, 'zscore')).toMatchObject({
      text: 'spread 1.2σ below its mean: BTCUSDT cheap vs ETHUSDT, and narrowing',
      tone: 'neutral',
      rule: '|z| < 2 (alert level): neutral',
    });
    expect(line({ zLast: 3.4, zPrev: null }, 'zscore')).toMatchObject({
      text: 'spread 3.4σ above its mean: BTCUSDT rich vs ETHUSDT',
      tone: 'bad',
      rule: '|z| ≥ 3 (critical level): bad',
    });
    expect(line({ zLast: 0.4, zPrev: -0.3 }, 'zscore').text).toMatch(/crossed its mean$/);
    expect(line({ zLast: 0.01, zPrev: 0.01 }, 'zscore').text).toBe(
      'spread at its mean (z = 0.01), unchanged',
    );
    expect(line({ zLast: 2.5, alertK: 2.5, alertCritical: 4 }, 'zscore').rule).toBe(
      '|z| ≥ 2.5 (alert level): warn',
    );
    expect(line({ zLast: Number.NaN }, 'zscore')).toMatchObject({
      tone: 'neutral',
      text: expect.stringMatching(/^z-score not available yet/),
    });
  });

  it('correlation bands', () => {
    expect(line({ correlation: 0.7 }, 'correlation').tone).toBe('good');
    expect(line({ correlation: 0.5 }, 'correlation')).toMatchObject({
      text: 'correlation of log returns 0.50: moderate',
      tone: 'neutral',
      rule: '0.3 ≤ ρ < 0.7: moderate, neutral',
    });
    expect(line({ correlation: -0.2 }, 'correlation')).toMatchObject({
      text: 'correlation of log returns -0.20: weak (negative)',
      tone: 'warn',
    });
    expect(line({ correlation: null }, 'correlation').text).toMatch(/not available yet/);
  });

  it('cointegration verdict and half-life', () => {
    expect(
      line({ egPValue: 0.23, halfLifeBars: 2.5, timeframe: '5m' }, 'cointegration'),
    ).toMatchObject({
      text: 'not cointegrated at 5 % (p = 0.230), half-life 2.5 bars ≈ 13 min',
      tone: 'warn',
    });
    expect(
      line({ egPValue: 0.00001, halfLifeBars: 90, timeframe: '1s' }, 'cointegration').text,
    ).toBe('cointegrated at 5 % (p < 0.001), half-life 90 bars ≈ 1.5 min');
    expect(line({ egPValue: 0.01, halfLifeBars: null }, 'cointegration').text).toMatch(
      /half-life not defined/,
    );
    expect(line({ egPValue: null }, 'cointegration')).toMatchObject({
      tone: 'neutral',
      text: 'Engle–Granger test not available yet; half-life 14 bars ≈ 14 min',
    });
  });

  it('volatility regime against the lookback median', () => {
    const high = line({ volA: 0.9, volHistoryA: [0.5, 0.6, 0.4] }, 'volatility');
    expect(high.tone).toBe('warn');
    expect(high.text).toMatch(
      /^volatility high for BTCUSDT \(90 % annualised, 1\.8× its median 50 %\)/,
    );
    expect(line({ volB: 0.2 }, 'volatility').text).toMatch(/low for ETHUSDT \(20 %/);
    expect(line({ volA: null }, 'volatility').text).toMatch(
      /not available yet for BTCUSDT; normal for ETHUSDT/,
    );
    expect(line({ volA: null, volB: null }, 'volatility').text).toMatch(
      /^volatility not available yet/,
    );
  });

  it('hedge-ratio stability: β range as % of |β|', () => {
    const drifting = line({ betaRolling: [0.04, 0.06], betaLast: 0.05 }, 'hedge');
    expect(drifting).toMatchObject({ tone: 'warn' });
    expect(drifting.text).toBe(
      'hedge ratio β = 0.05, drifting over the lookback (range 0.04…0.06, 40 % of |β|)',
    );
    expect(line({ betaRolling: [], betaLast: 0.05 }, 'hedge').text).toMatch(/not available yet/);
    expect(line({ betaLast: null }, 'hedge').tone).toBe('neutral');
  });

  it('helpers: median of finite values, durations', () => {
    expect(finiteMedian([3, null, 1, Number.NaN, 2])).toBe(2);
    expect(finiteMedian([4, 1, 3, 2])).toBe(2.5);
    expect(finiteMedian([])).toBeNaN();
    expect(durationText(45_000)).toBe('45 s');
    expect(durationText(14 * 60_000)).toBe('14 min');
    expect(durationText(2.5 * 3_600_000)).toBe('2.5 h');
    expect(durationText(3.1 * 86_400_000)).toBe('3.1 d');
  });
});
