/**
 * The `correlation` alert rule (issue #9; contract in ./types.ts) on the rolling correlation ρ of
 * log returns of closed bars:
 * - breach (side `lower`): ρ < level while armed → disarms;
 * - revert: ρ ≥ level + CORRELATION_REARM_OFFSET while disarmed → re-arms.
 * No escalate. The 0.1 gap is the hysteresis: ρ hovering around the level fires once, not on
 * every bar. Bars with start ≤ the last evaluated start are ignored (revisions never fire twice);
 * a non-finite ρ (warm-up, a flat leg) raises nothing but still marks the bar evaluated, as in
 * ZScoreRule.
 */
import {
  CORRELATION_REARM_OFFSET,
  type AlertEvent,
  type CorrelationRuleParams,
  type RuleState,
} from './types';
import { initialRuleState, NO_ALERT_EVENTS, replayArmHistory } from './zScoreRule';

/** Why the level is unusable, or null: finite and in (−1, 0.9) so level + 0.1 stays below 1. */
export function validateCorrelationParams(p: CorrelationRuleParams): string | null {
  const max = 1 - CORRELATION_REARM_OFFSET;
  if (!Number.isFinite(p.level) || p.level <= -1 || p.level >= max) {
    return `the correlation level must be in (−1, ${max}) so that it re-arms at level + ${CORRELATION_REARM_OFFSET} (got ${p.level})`;
  }
  return null;
}

export class CorrelationRule {
  private readonly level: number;
  private readonly rearmLevel: number;
  private armed: boolean;
  private side: RuleState['side'];
  private lastBarStartMs: number;

  /** Throws RangeError when validateCorrelationParams rejects the level. */
  constructor(params: CorrelationRuleParams, state: RuleState = initialRuleState()) {
    const problem = validateCorrelationParams(params);
    if (problem !== null) throw new RangeError(problem);
    this.level = params.level;
    this.rearmLevel = params.level + CORRELATION_REARM_OFFSET;
    this.armed = state.armed;
    this.side = state.side;
    this.lastBarStartMs = state.lastBarStartMs;
  }

  get params(): CorrelationRuleParams {
    return { level: this.level };
  }

  /** A copy of the current state (`escalated` is always false for this rule). */
  state(): RuleState {
    return {
      armed: this.armed,
      side: this.side,
      escalated: false,
      lastBarStartMs: this.lastBarStartMs,
    };
  }

  /**
   * Evaluates one closed bar: `rho` its rolling correlation of log returns (in [−1, 1]),
   * `barStartMs` its start (ms UTC). Returns 0 or 1 event; the empty result is NO_ALERT_EVENTS.
   */
  evaluate(barStartMs: number, rho: number): AlertEvent[] {
    if (!(barStartMs > this.lastBarStartMs)) return NO_ALERT_EVENTS;
    this.lastBarStartMs = barStartMs;
    if (!Number.isFinite(rho)) return NO_ALERT_EVENTS;
    if (this.armed) {
      if (!(rho < this.level)) return NO_ALERT_EVENTS;
      this.armed = false;
      this.side = 'lower';
      return [
        {
          rule: 'correlation',
          kind: 'breach',
          side: 'lower',
          value: rho,
          threshold: this.level,
          barStartMs,
        },
      ];
    }
    if (!(rho >= this.rearmLevel)) return NO_ALERT_EVENTS;
    this.armed = true;
    return [
      {
        rule: 'correlation',
        kind: 'revert',
        side: 'lower',
        value: rho,
        threshold: this.rearmLevel,
        barStartMs,
      },
    ];
  }

  /** The rule after its stored `events` (oldest first); see ZScoreRule.restoreFromHistory. */
  static restoreFromHistory(
    params: CorrelationRuleParams,
    events: readonly AlertEvent[],
    lastBarStartMs?: number,
  ): CorrelationRule {
    return new CorrelationRule(params, replayArmHistory('correlation', events, lastBarStartMs));
  }
}
