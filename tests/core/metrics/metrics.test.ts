import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../src/core/metrics/latencyHistogram';
import { RateMeter } from '../../../src/core/metrics/rateMeter';

describe('LatencyHistogram', () => {
  it('reports percentiles within one bucket of the exact order statistic', () => {
    const h = new LatencyHistogram(0.01, 100);
    const samples: number[] = [];
    let seed = 7;
    for (let i = 0; i < 50_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const v = (seed / 2 ** 31) ** 3 * 20;
      samples.push(v);
      h.record(v);
    }
    samples.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99, 0.999]) {
      const exact = samples[Math.ceil(q * samples.length) - 1];
      expect(h.percentile(q)).toBeGreaterThanOrEqual(exact);
      expect(h.percentile(q) - exact).toBeLessThanOrEqual(0.01 + 1e-12);
    }
    expect(h.count).toBe(50_000);
    expect(h.max).toBe(samples[samples.length - 1]);
  });

  it('keeps samples above the range as the maximum seen', () => {
    const h = new LatencyHistogram(1, 10);
    h.record(1);
    h.record(500);
    expect(h.percentile(1)).toBe(500);
    expect(new LatencyHistogram().percentile(0.5)).toBeNaN();
  });
});

describe('RateMeter', () => {
  it('counts events of the last second and forgets older ones', () => {
    const m = new RateMeter();
    for (let t = 0; t < 1000; t += 10) m.add(10_000 + t);
    expect(m.perSecond(10_999)).toBe(100);
    // The window is the current 100 ms slot and the nine before it: 10.6 s – 11.5 s.
    expect(m.perSecond(11_500)).toBe(40);
    expect(m.perSecond(13_000)).toBe(0);
  });
});
