import { describe, expect, it } from 'vitest';
import { BarEventBatcher } from '../../../src/core/events/barEventBatcher';
import { flatBar as bar } from '../../support/analyticsFixtures';

describe('BarEventBatcher', () => {
  it('collapses a burst into one batch with the latest version of each bar', () => {
    const b = new BarEventBatcher();
    for (let i = 0; i < 20_000; i++) b.touched(i % 2 === 0 ? 'BTCUSDT' : 'ETHUSDT');
    b.barFinal(bar('BTCUSDT', 2000, 1));
    b.barFinal(bar('BTCUSDT', 1000, 2));
    b.barFinal(bar('BTCUSDT', 2000, 3)); // revision of the first
    const batch = b.flush((s) => [bar(s, 3000, 9)]);
    expect(batch).not.toBeNull();
    expect(batch?.closed.map((x) => [x.startMs, x.close])).toEqual([
      [1000, 2],
      [2000, 3],
    ]);
    expect(batch?.symbols.sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(batch?.inProgress).toHaveLength(2);
    expect(b.isEmpty).toBe(true);
    expect(b.flush(() => [])).toBeNull();
  });

  it('keeps bars of different timeframes with the same start apart', () => {
    const b = new BarEventBatcher();
    b.barFinal(bar('BTCUSDT', 60_000, 1, 1000));
    b.barFinal(bar('BTCUSDT', 60_000, 2, 60_000));
    expect(b.flush(() => [])?.closed).toHaveLength(2);
  });
});
