// The cached price formatter of the charts, header and sidebar matches formatPrice exactly.
import { describe, expect, it } from 'vitest';
import { formatPriceFast } from '../../src/renderer/charts/priceFormat';
import { formatPrice } from '../../src/renderer/lib/format';

describe('formatPriceFast', () => {
  it('formats like formatPrice, with and without explicit digits', () => {
    const values = [0, 0.000123, 0.5, 1, 9.87654, 42.1, 3012.5, 104_123.456, -77.7, NaN, Infinity];
    for (const v of values) {
      expect(formatPriceFast(v)).toBe(formatPrice(v));
      for (const digits of [0, 2, 5])
        expect(formatPriceFast(v, digits)).toBe(formatPrice(v, digits));
    }
  });
});
