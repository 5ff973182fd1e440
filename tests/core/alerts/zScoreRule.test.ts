/**
 * The z-score rule's state machine: hysteresis, side flips, escalation once per episode, breach
 * and escalate on one bar, revisions ignored, NaN warm-up, restart from the stored history (by
 * example and by property against an uninterrupted run and an independent reference model).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateZScoreAlerts } from '../../../src/core/alerts/evaluateSeries';
import type { AlertEvent, ZScoreRuleParams } from '../../../src/core/alerts/types';
import {
  NO_ALERT_EVENTS,
  validateZScoreParams,
  ZScoreRule,
} from '../../../src/core/alerts/zScoreRule';

const P: ZScoreRuleParams = { k: 2, rearm: 0.5, critical: 3 };

/** `kind:side@start` per event: compact expectations. */
function tags(events: readonly AlertEvent[]): string[] {
  return events.map((e) => `${e.kind}:${e.side}@${e.barStartMs}`);
}

function run(zs: readonly number[], params = P): AlertEvent[] {
  return evaluateZScoreAlerts(
    zs.map((_, i) => i + 1),
    zs,
    params,
  );
}

describe('ZScoreRule', () => {
  it('fires once per excursion: no re-fire while disarmed, revert only at |z| ≤ R', () => {
    expect(tags(run([0, 2, 2.5, 1.9, 2.2, 0.6, 2.4, 0.5, 2.0]))).toEqual([
      'breach:upper@2',
      'revert:upper@8',
      'breach:upper@9',
    ]);
  });

  it('event fields: value is z, threshold is K, K_crit or R', () => {
    const ev = run([2.5, 3.1, 0.4]);
    expect(ev).toEqual([
      { rule: 'zscore', kind: 'breach', side: 'upper', value: 2.5, threshold: 2, barStartMs: 1 },
      { rule: 'zscore', kind: 'escalate', side: 'upper', value: 3.1, threshold: 3, barStartMs: 2 },
      { rule: 'zscore', kind: 'revert', side: 'upper', value: 0.4, threshold: 0.5, barStartMs: 3 },
    ]);
  });

  it('levels are inclusive: |z| = K breaches, |z| = K_crit escalates, |z| = R re-arms', () => {
    expect(tags(run([2, 3, 0.5, -2]))).toEqual([
      'breach:upper@1',
      'escalate:upper@2',
      'revert:upper@3',
      'breach:lower@4',
    ]);
  });

  it('a breach on the other side while disarmed starts a new episode (side flip)', () => {
    expect(tags(run([2.1, 3.2, -2.2, -3.5, -2.5, 2.0]))).toEqual([
      'breach:upper@1',
      'escalate:upper@2',
      'breach:lower@3',
      'escalate:lower@4',
      'breach:upper@6',
    ]);
  });

  it('an opposite-side z below K while disarmed does nothing (unless it is within R)', () => {
    expect(tags(run([2.5, -1.5, -0.6, -0.5]))).toEqual(['breach:upper@1', 'revert:upper@4']);
  });

  it('escalates once per episode, again in the next episode', () => {
    expect(tags(run([2.2, 3.1, 2.5, 3.4, 4, 0, 3.3, 3.9]))).toEqual([
      'breach:upper@1',
      'escalate:upper@2',
      'revert:upper@6',
      'breach:upper@7',
      'escalate:upper@7',
    ]);
  });

  it('breach and escalate on the same bar: breach first', () => {
    const ev = run([-3.2]);
    expect(tags(ev)).toEqual(['breach:lower@1', 'escalate:lower@1']);
    expect(ev.map((e) => e.threshold)).toEqual([2, 3]);
  });

  it('revisions (same or earlier start) are never evaluated again', () => {
    const rule = new ZScoreRule(P);
    expect(tags(rule.evaluate(1000, 2.5))).toEqual(['breach:upper@1000']);
    expect(rule.evaluate(1000, 0)).toBe(NO_ALERT_EVENTS); // revised bar: no revert
    expect(rule.evaluate(1000, -3)).toBe(NO_ALERT_EVENTS);
    expect(rule.evaluate(500, -3)).toBe(NO_ALERT_EVENTS);
    expect(rule.state()).toEqual({
      armed: false,
      side: 'upper',
      escalated: false,
      lastBarStartMs: 1000,
    });
    expect(tags(rule.evaluate(2000, 0.1))).toEqual(['revert:upper@2000']);
  });

  it('NaN warm-up: no event, no arm change, but the bar counts as evaluated', () => {
    const rule = new ZScoreRule(P);
    for (let t = 1; t <= 5; t++) expect(rule.evaluate(t, Number.NaN)).toBe(NO_ALERT_EVENTS);
    expect(rule.state()).toEqual({ armed: true, side: null, escalated: false, lastBarStartMs: 5 });
    expect(rule.evaluate(5, 2.5)).toBe(NO_ALERT_EVENTS); // revision of a warm-up bar
    expect(tags(rule.evaluate(6, 2.5))).toEqual(['breach:upper@6']);
    // A NaN inside an episode (zero-variance window) neither reverts nor breaches.
    expect(rule.evaluate(7, Number.NaN)).toBe(NO_ALERT_EVENTS);
    expect(rule.evaluate(8, Infinity)).toBe(NO_ALERT_EVENTS);
    expect(rule.state().armed).toBe(false);
  });

  it('the empty result is one frozen shared array; state() is a copy', () => {
    const rule = new ZScoreRule(P);
    const a = rule.evaluate(1, 0);
    expect(a).toBe(rule.evaluate(2, 0));
    expect(Object.isFrozen(a)).toBe(true);
    const s = rule.state();
    s.armed = false;
    expect(rule.state().armed).toBe(true);
  });

  it('null z in the batch function is warm-up', () => {
    expect(tags(evaluateZScoreAlerts([1, 2, 3], [null, 2.5, null], P))).toEqual(['breach:upper@2']);
    expect(() => evaluateZScoreAlerts([1, 2], [1], P)).toThrow(RangeError);
  });

  it('restoreFromHistory resumes mid-episode without re-firing', () => {
    const events = run([2.5, 3.2, 2.1]); // breach, escalate; bar 3 evaluated silently
    const rule = ZScoreRule.restoreFromHistory(P, events, 3);
    expect(rule.state()).toEqual({
      armed: false,
      side: 'upper',
      escalated: true,
      lastBarStartMs: 3,
    });
    // Bars 1–3 are replayed after the restart: nothing fires.
    expect(rule.evaluate(1, 2.5)).toBe(NO_ALERT_EVENTS);
    expect(rule.evaluate(3, 0)).toBe(NO_ALERT_EVENTS);
    expect(rule.evaluate(4, 3.9)).toBe(NO_ALERT_EVENTS); // already escalated
    expect(tags(rule.evaluate(5, 0.2))).toEqual(['revert:upper@5']);
    // Events of other rules are ignored; without lastBarStartMs the last event's bar is used.
    const mixed: AlertEvent[] = [
      {
        rule: 'correlation',
        kind: 'breach',
        side: 'lower',
        value: 0.1,
        threshold: 0.3,
        barStartMs: 9,
      },
      ...events,
    ];
    expect(ZScoreRule.restoreFromHistory(P, mixed).state()).toEqual({
      armed: false,
      side: 'upper',
      escalated: true,
      lastBarStartMs: 2,
    });
    expect(ZScoreRule.restoreFromHistory(P, []).state()).toEqual(new ZScoreRule(P).state());
  });
});

describe('validateZScoreParams', () => {
  it('accepts 0 ≤ R < K < K_crit, finite', () => {
    expect(validateZScoreParams(P)).toBeNull();
    expect(validateZScoreParams({ k: 0.1, rearm: 0, critical: 0.2 })).toBeNull();
  });
  it.each([
    [{ k: 2, rearm: -0.1, critical: 3 }, /R must be ≥ 0/],
    [{ k: 2, rearm: 2, critical: 3 }, /R must be below the alert level K/],
    [{ k: 2, rearm: 0.5, critical: 2 }, /K_crit must be above the alert level K/],
    [{ k: 0, rearm: 0, critical: 1 }, /R must be below/],
    [{ k: Number.NaN, rearm: 0.5, critical: 3 }, /finite/],
    [{ k: 2, rearm: 0.5, critical: Infinity }, /finite/],
  ])('rejects %o', (p, message) => {
    expect(validateZScoreParams(p)).toMatch(message);
    expect(validateZScoreParams(p)).toMatch(/\(got R = .*, K = .*, K_crit = .*\)/);
    expect(() => new ZScoreRule(p)).toThrow(RangeError);
  });
});

/**
 * Independent reference: the contract's rules written as one function of the whole path, not as
 * a step machine sharing code with ZScoreRule.
 */
function reference(zs: readonly number[], p: ZScoreRuleParams): string[] {
  const out: string[] = [];
  let episodeSide: 'upper' | 'lower' | null = null; // non-null while disarmed
  let escalated = false;
  zs.forEach((z, i) => {
    const t = i + 1;
    if (Number.isNaN(z)) return;
    const side = z > 0 ? 'upper' : 'lower';
    const a = Math.abs(z);
    if (a >= p.k && side !== episodeSide) {
      episodeSide = side;
      escalated = false;
      out.push(`breach:${side}@${t}`);
    }
    if (episodeSide !== null && a >= p.critical && side === episodeSide && !escalated) {
      escalated = true;
      out.push(`escalate:${side}@${t}`);
    }
    if (episodeSide !== null && a <= p.rearm) {
      out.push(`revert:${episodeSide}@${t}`);
      episodeSide = null;
    }
  });
  return out;
}

const zValue = fc.oneof(
  { weight: 12, arbitrary: fc.double({ min: -4.5, max: 4.5, noNaN: true }) },
  { weight: 3, arbitrary: fc.constantFrom(2, -2, 3, -3, 0.5, -0.5, 0) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
);
const zPath = fc.array(zValue, { minLength: 0, maxLength: 300 });
const levels = fc
  .record({
    rearm: fc.double({ min: 0, max: 1.5, noNaN: true }),
    gap1: fc.double({ min: 0.05, max: 2, noNaN: true }),
    gap2: fc.double({ min: 0.05, max: 2, noNaN: true }),
  })
  .map(({ rearm, gap1, gap2 }) => ({ rearm, k: rearm + gap1, critical: rearm + gap1 + gap2 }))
  .filter((p) => validateZScoreParams(p) === null);

describe('ZScoreRule by property', () => {
  it('matches the independent reference on random paths', () => {
    fc.assert(
      fc.property(zPath, levels, (zs, p) => {
        expect(tags(run(zs, p))).toEqual(reference(zs, p));
      }),
      { numRuns: 400 },
    );
  });

  it('a restart via restoreFromHistory at any point (bars replayed) equals an uninterrupted run', () => {
    fc.assert(
      fc.property(
        zPath,
        levels,
        fc.nat(),
        fc.nat({ max: 20 }),
        fc.boolean(),
        (zs, p, cut, replay, passLast) => {
          const split = zs.length === 0 ? 0 : cut % (zs.length + 1);
          const starts = zs.map((_, i) => 1000 * (i + 1));
          const full = evaluateZScoreAlerts(starts, zs, p);
          // Before the restart: the stored history and the last bar evaluated.
          const first = evaluateZScoreAlerts(starts.slice(0, split), zs.slice(0, split), p);
          const lastStart = split > 0 ? starts[split - 1] : undefined;
          const restored = ZScoreRule.restoreFromHistory(
            p,
            first,
            passLast ? lastStart : undefined,
          );
          const live = new ZScoreRule(p);
          for (let i = 0; i < split; i++) live.evaluate(starts[i], zs[i]);
          if (passLast || lastStart === undefined) expect(restored.state()).toEqual(live.state());
          // After it: a few already-evaluated bars come again (store reload), then new ones.
          const second: AlertEvent[] = [];
          const from = passLast ? Math.max(0, split - replay) : split;
          for (let i = from; i < zs.length; i++)
            second.push(...restored.evaluate(starts[i], zs[i]));
          expect([...first, ...second]).toEqual(full);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('events alternate sanely: revert only after a breach, escalate once per episode', () => {
    fc.assert(
      fc.property(zPath, levels, (zs, p) => {
        let armed = true;
        let escalated = false;
        for (const e of run(zs, p)) {
          if (e.kind === 'breach') {
            armed = false;
            escalated = false;
          } else if (e.kind === 'escalate') {
            expect(armed).toBe(false);
            expect(escalated).toBe(false);
            escalated = true;
          } else {
            expect(armed).toBe(false);
            armed = true;
          }
        }
      }),
    );
  });
});
