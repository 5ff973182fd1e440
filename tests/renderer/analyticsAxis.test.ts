/**
 * Issue #8 §3: the z-score axis labels must not crowd each other. The axis bounds are ticks
 * too; a bound off the tick interval (+7 next to +6 with an interval of 3) loses its label, so
 * the labels drawn are a whole number of intervals apart. (The Chromium screenshots are in
 * tests/browser/replayStatus.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import {
  PANELS,
  valueAxisInterval,
  yAxisLabel,
  zAxisBounds,
  type AxisState,
} from '../../src/renderer/charts/analyticsOptions';

/** The ticks ECharts draws for fixed bounds: multiples of the interval, plus both bounds. */
function echartsTicks(min: number, max: number, step: number): number[] {
  const ticks = [min];
  for (let v = Math.ceil(min / step) * step; v <= max; v += step) if (v !== min) ticks.push(v);
  if (ticks[ticks.length - 1] !== max) ticks.push(max);
  return ticks;
}

describe('z-score axis labels', () => {
  it('matches ECharts’ interval for fixed bounds', () => {
    expect(valueAxisInterval(-6, 6)).toBe(5); // 4 → 5
    expect(valueAxisInterval(-3, 7)).toBe(3); // 3.33 → 3
    expect(valueAxisInterval(-3, 3)).toBe(2);
    expect(valueAxisInterval(-40, 40)).toBe(30); // 26.7 → 30
  });

  it('labels only ticks a whole interval apart, for any data range and threshold', () => {
    const def = PANELS.zscore;
    for (const threshold of [0.5, 1, 2, 2.5, 3, 4]) {
      for (let lo = -60; lo <= 0; lo += 0.7) {
        for (let hi = 0; hi <= 60; hi += 1.3) {
          const { min, max } = zAxisBounds({ min: lo, max: hi }, threshold);
          const step = valueAxisInterval(min, max);
          const axis: AxisState = { digits: 0, edges: { min, max, step } };
          const labelled = echartsTicks(min, max, step).filter(
            (v) => yAxisLabel(def, axis, v) !== '',
          );
          expect(labelled.length).toBeGreaterThanOrEqual(2);
          for (let i = 1; i < labelled.length; i++) {
            const gap = (labelled[i] - labelled[i - 1]) / step;
            expect(Math.abs(gap - Math.round(gap))).toBeLessThan(1e-9);
            expect(gap).toBeGreaterThanOrEqual(1 - 1e-9);
          }
        }
      }
    }
  });

  it('the case of the issue: bounds −6 and +6 label −5, 0 and +5 only', () => {
    const def = PANELS.zscore;
    const { min, max } = zAxisBounds({ min: -5.4, max: 5.7 }, 2);
    expect([min, max]).toEqual([-6, 6]);
    const axis: AxisState = { digits: 0, edges: { min, max, step: valueAxisInterval(min, max) } };
    const labels = echartsTicks(min, max, 5)
      .map((v) => yAxisLabel(def, axis, v))
      .filter((t) => t !== '');
    expect(labels).toEqual(['−5', '0', '+5']);
  });
});
