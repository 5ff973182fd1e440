/** The correlation and feed rules, and the notification throttle. */
import { describe, expect, it } from 'vitest';
import {
  CorrelationRule,
  validateCorrelationParams,
} from '../../../src/core/alerts/correlationRule';
import { FeedRule, validateFeedParams } from '../../../src/core/alerts/feedRule';
import { NotificationThrottle } from '../../../src/core/alerts/notificationThrottle';
import { NOTIFY_INTERVAL_MS, type AlertEvent } from '../../../src/core/alerts/types';
import { NO_ALERT_EVENTS } from '../../../src/core/alerts/zScoreRule';

function tags(events: readonly AlertEvent[]): string[] {
  return events.map((e) => `${e.kind}@${e.barStartMs}`);
}

describe('CorrelationRule', () => {
  it('breaches below the level once, re-arms only at level + 0.1', () => {
    const rule = new CorrelationRule({ level: 0.3 });
    const rho = [0.8, 0.31, 0.29, 0.1, 0.35, 0.2, 0.39, 0.4, 0.25];
    const out: AlertEvent[] = [];
    rho.forEach((r, i) => out.push(...rule.evaluate(i + 1, r)));
    expect(tags(out)).toEqual(['breach@3', 'revert@8', 'breach@9']);
    expect(out[0]).toEqual({
      rule: 'correlation',
      kind: 'breach',
      side: 'lower',
      value: 0.29,
      threshold: 0.3,
      barStartMs: 3,
    });
    expect(out[1].side).toBe('lower');
    expect(out[1].threshold).toBeCloseTo(0.4, 15);
  });

  it('ignores revisions and non-finite ρ; restores from history', () => {
    const rule = new CorrelationRule({ level: 0.3 });
    expect(rule.evaluate(1, Number.NaN)).toBe(NO_ALERT_EVENTS);
    expect(tags(rule.evaluate(2, 0.1))).toEqual(['breach@2']);
    expect(rule.evaluate(2, 0.9)).toBe(NO_ALERT_EVENTS);
    expect(rule.evaluate(1, 0.9)).toBe(NO_ALERT_EVENTS);
    const history = [...rule.evaluate(3, 0.2)];
    expect(history).toEqual([]);
    const restored = CorrelationRule.restoreFromHistory(
      { level: 0.3 },
      [
        {
          rule: 'correlation',
          kind: 'breach',
          side: 'lower',
          value: 0.1,
          threshold: 0.3,
          barStartMs: 2,
        },
      ],
      3,
    );
    expect(restored.state()).toEqual(rule.state());
    expect(restored.evaluate(3, 0.9)).toBe(NO_ALERT_EVENTS);
    expect(tags(restored.evaluate(4, 0.9))).toEqual(['revert@4']);
  });

  it('validates the level: (−1, 0.9)', () => {
    expect(validateCorrelationParams({ level: 0.3 })).toBeNull();
    expect(validateCorrelationParams({ level: -0.5 })).toBeNull();
    for (const level of [0.9, 1, -1, Number.NaN]) {
      expect(validateCorrelationParams({ level })).toMatch(/correlation level must be in/);
      expect(() => new CorrelationRule({ level })).toThrow(RangeError);
    }
  });
});

describe('FeedRule', () => {
  it('breaches after N s of silence, reverts when data flows, value in seconds', () => {
    const rule = new FeedRule({ silenceSeconds: 30 });
    expect(rule.evaluate(1_000, 1_000)).toBe(NO_ALERT_EVENTS);
    expect(rule.evaluate(29_999, 29_999)).toBe(NO_ALERT_EVENTS);
    const breach = rule.evaluate(30_000, 30_000);
    expect(breach).toEqual([
      { rule: 'feed', kind: 'breach', side: null, value: 30, threshold: 30, barStartMs: 30_000 },
    ]);
    expect(rule.evaluate(45_000, 45_000)).toBe(NO_ALERT_EVENTS); // still silent: once
    expect(tags(rule.evaluate(46_000, 200))).toEqual(['revert@46000']);
    expect(rule.evaluate(47_000, 1_200)).toBe(NO_ALERT_EVENTS);
    expect(rule.state()).toEqual({
      armed: true,
      side: null,
      escalated: false,
      lastBarStartMs: 47_000,
    });
  });

  it('null age (no live source) judges nothing; restore keeps a silence open', () => {
    const rule = new FeedRule({ silenceSeconds: 5 });
    expect(tags(rule.evaluate(10_000, 6_000))).toEqual(['breach@10000']);
    expect(rule.evaluate(11_000, null)).toBe(NO_ALERT_EVENTS);
    expect(rule.state().armed).toBe(false);
    const restored = FeedRule.restoreFromHistory(
      { silenceSeconds: 5 },
      rule
        .evaluate(12_000, 8_000)
        .concat([
          { rule: 'feed', kind: 'breach', side: null, value: 6, threshold: 5, barStartMs: 10_000 },
        ]),
    );
    expect(restored.state().armed).toBe(false);
    expect(restored.evaluate(13_000, 9_000)).toBe(NO_ALERT_EVENTS);
    expect(tags(restored.evaluate(14_000, 0))).toEqual(['revert@14000']);
  });

  it('validates N ≥ 1 s', () => {
    expect(validateFeedParams({ silenceSeconds: 1 })).toBeNull();
    expect(validateFeedParams({ silenceSeconds: 0.5 })).toMatch(/at least 1 second/);
    expect(() => new FeedRule({ silenceSeconds: Number.NaN })).toThrow(RangeError);
  });
});

describe('NotificationThrottle', () => {
  const K = 'BTCUSDT/ETHUSDT|1m|zscore';

  it('one notification per key per interval; the next one carries the grouped count', () => {
    const t = new NotificationThrottle();
    expect(t.offer(K, 0)).toEqual({ notify: true, grouped: 0 });
    expect(t.offer(K, 10_000)).toEqual({ notify: false });
    expect(t.offer(K, 20_000)).toEqual({ notify: false });
    expect(t.offer(K, 59_999)).toEqual({ notify: false });
    // Another key is independent.
    expect(t.offer('other|1s|zscore', 30_000)).toEqual({ notify: true, grouped: 0 });
    expect(t.offer(K, NOTIFY_INTERVAL_MS)).toEqual({ notify: true, grouped: 3 });
    expect(t.offer(K, NOTIFY_INTERVAL_MS + 1)).toEqual({ notify: false });
    expect(t.offer(K, 2 * NOTIFY_INTERVAL_MS + 5)).toEqual({ notify: true, grouped: 1 });
  });

  it('pending lists grouped keys once the interval passed; flush consumes them', () => {
    const t = new NotificationThrottle(1000);
    t.offer('a', 0);
    t.offer('a', 100);
    t.offer('a', 200);
    t.offer('b', 0); // notified, nothing suppressed
    expect(t.pending(999)).toEqual([]);
    expect(t.pending(1000)).toEqual([{ key: 'a', grouped: 2, sinceMs: 0 }]);
    expect(t.pending(1000)).toHaveLength(1); // read-only
    expect(t.flush(1500)).toEqual([{ key: 'a', grouped: 2, sinceMs: 0 }]);
    expect(t.pending(5000)).toEqual([]);
    // The flush started a new interval for `a`.
    expect(t.offer('a', 2000)).toEqual({ notify: false });
    expect(t.offer('a', 2500)).toEqual({ notify: true, grouped: 1 });
    t.forget('a');
    expect(t.offer('a', 2600)).toEqual({ notify: true, grouped: 0 });
  });

  it('a clock stepped back stays inside the interval', () => {
    const t = new NotificationThrottle(1000);
    t.offer('a', 10_000);
    expect(t.offer('a', 5_000)).toEqual({ notify: false });
    expect(() => new NotificationThrottle(-1)).toThrow(RangeError);
  });
});
