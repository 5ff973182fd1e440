// packPoints: chart points as the flat typed array ECharts reads without cloning.
import { describe, expect, it } from 'vitest';
import { packPoints } from '../../src/renderer/charts/chartData';

describe('packPoints', () => {
  it('lays points out row after row, a gap (non-number) as NaN', () => {
    const packed = packPoints(
      [
        [1_000, 1.5, 2],
        [2_000, '-', -0.25],
      ],
      3,
    );
    expect(packed).toBeInstanceOf(Float64Array);
    expect([...packed]).toEqual([1_000, 1.5, 2, 2_000, NaN, -0.25]);
  });

  it('packs nothing into an empty array', () => {
    expect(packPoints([], 5).length).toBe(0);
  });
});
