/**
 * The `zscore` alert rule (issue #9; contract in ./types.ts): a hysteresis state machine on the
 * rolling z-score of closed bars.
 *
 * - breach:   |z| ≥ K while armed, or while disarmed with z on the side opposite the current
 *             episode (a side flip starts a new episode) → the rule disarms.
 * - escalate: once per episode, |z| ≥ K_crit on the episode's side (after the breach on the
 *             same bar when both happen at once).
 * - revert:   |z| ≤ R while disarmed → the rule re-arms.
 *
 * Decisions:
 * - A bar whose start is ≤ the last evaluated start (a revision by a late tick, or a bar replayed
 *   after a restart) is ignored entirely, so no bar ever fires twice.
 * - A non-finite z (the NaN of the warm-up, or a zero-variance window) raises nothing and leaves
 *   the arm state as it was, but the bar still counts as evaluated (lastBarStartMs moves), so a
 *   later revision of that bar with a finite z is not evaluated either — the same "never
 *   evaluate a bar twice" rule for every bar.
 * - The state only changes on events (plus lastBarStartMs), which is why restoreFromHistory can
 *   rebuild it exactly from the stored events.
 */
import type { AlertEvent, AlertSide, RuleState, ZScoreRuleParams } from './types';

/**
 * The result when nothing fired: one shared, frozen array so the per-bar hot path allocates
 * nothing. Callers must not mutate results (pushing into this one throws).
 */
export const NO_ALERT_EVENTS: AlertEvent[] = Object.freeze([]) as unknown as AlertEvent[];

/**
 * Why the z-score rule's levels are unusable, or null when they are fine:
 * all finite and 0 ≤ R < K < K_crit (so K > 0).
 */
export function validateZScoreParams(p: ZScoreRuleParams): string | null {
  const { k, rearm, critical } = p;
  const got = `(got R = ${rearm}, K = ${k}, K_crit = ${critical})`;
  if (!Number.isFinite(k) || !Number.isFinite(rearm) || !Number.isFinite(critical)) {
    return `alert levels must be finite numbers ${got}`;
  }
  if (rearm < 0) return `the re-arm level R must be ≥ 0 ${got}`;
  if (!(rearm < k)) return `the re-arm level R must be below the alert level K ${got}`;
  if (!(k < critical)) return `the critical level K_crit must be above the alert level K ${got}`;
  return null;
}

/** Armed, no episode yet, nothing evaluated. */
export function initialRuleState(): RuleState {
  return { armed: true, side: null, escalated: false, lastBarStartMs: -Infinity };
}

export class ZScoreRule {
  private readonly k: number;
  private readonly rearm: number;
  private readonly critical: number;
  private armed: boolean;
  private side: AlertSide | null;
  private escalated: boolean;
  private lastBarStartMs: number;

  /** Throws RangeError when validateZScoreParams rejects the levels. */
  constructor(params: ZScoreRuleParams, state: RuleState = initialRuleState()) {
    const problem = validateZScoreParams(params);
    if (problem !== null) throw new RangeError(problem);
    this.k = params.k;
    this.rearm = params.rearm;
    this.critical = params.critical;
    this.armed = state.armed;
    this.side = state.side;
    this.escalated = state.escalated;
    this.lastBarStartMs = state.lastBarStartMs;
  }

  get params(): ZScoreRuleParams {
    return { k: this.k, rearm: this.rearm, critical: this.critical };
  }

  /** A copy of the current state (serializable; feed it back to the constructor to resume). */
  state(): RuleState {
    return {
      armed: this.armed,
      side: this.side,
      escalated: this.escalated,
      lastBarStartMs: this.lastBarStartMs,
    };
  }

  /**
   * Evaluates one closed bar: `z` is its rolling z-score (dimensionless, σ units), `barStartMs`
   * its start (ms UTC). Returns 0, 1 or 2 events in order (breach before escalate). The empty
   * result is the shared NO_ALERT_EVENTS.
   */
  evaluate(barStartMs: number, z: number): AlertEvent[] {
    // `!(a > b)` also rejects a NaN start.
    if (!(barStartMs > this.lastBarStartMs)) return NO_ALERT_EVENTS;
    this.lastBarStartMs = barStartMs;
    if (!Number.isFinite(z)) return NO_ALERT_EVENTS;
    const abs = Math.abs(z);
    if (abs >= this.k) {
      const side: AlertSide = z > 0 ? 'upper' : 'lower';
      if (this.armed || side !== this.side) {
        this.armed = false;
        this.side = side;
        this.escalated = false;
        const breach = this.event('breach', side, z, this.k, barStartMs);
        if (abs < this.critical) return [breach];
        this.escalated = true;
        return [breach, this.event('escalate', side, z, this.critical, barStartMs)];
      }
      // Disarmed on the episode's side: only an escalation can fire.
      if (!this.escalated && abs >= this.critical) {
        this.escalated = true;
        return [this.event('escalate', side, z, this.critical, barStartMs)];
      }
      return NO_ALERT_EVENTS;
    }
    if (!this.armed && abs <= this.rearm) {
      this.armed = true;
      // The episode is over; `side` stays as the last breach's side (see RuleState).
      this.escalated = false;
      return [this.event('revert', this.side, z, this.rearm, barStartMs)];
    }
    return NO_ALERT_EVENTS;
  }

  private event(
    kind: AlertEvent['kind'],
    side: AlertSide | null,
    value: number,
    threshold: number,
    barStartMs: number,
  ): AlertEvent {
    return { rule: 'zscore', kind, side, value, threshold, barStartMs };
  }

  /**
   * The rule as it was after raising `events` (its stored history, oldest first; events of
   * other rules are skipped), having evaluated every bar up to `lastBarStartMs` (default: the
   * last event's bar). The arm state changes only on events, so replaying them is exact: a
   * restart then fires nothing for bars it already evaluated, and the same events as an
   * uninterrupted run for later bars.
   */
  static restoreFromHistory(
    params: ZScoreRuleParams,
    events: readonly AlertEvent[],
    lastBarStartMs?: number,
  ): ZScoreRule {
    return new ZScoreRule(params, replayArmHistory('zscore', events, lastBarStartMs));
  }
}

/**
 * The RuleState after `events` of rule `rule` (oldest first): breach → disarmed on its side, a
 * new episode; escalate → escalated; revert → armed. lastBarStartMs is the larger of the given
 * value and the last event's bar. Shared by the arm/re-arm rules.
 */
export function replayArmHistory(
  rule: AlertEvent['rule'],
  events: readonly AlertEvent[],
  lastBarStartMs = -Infinity,
): RuleState {
  const s = initialRuleState();
  s.lastBarStartMs = lastBarStartMs;
  for (const e of events) {
    if (e.rule !== rule) continue;
    if (e.kind === 'breach') {
      s.armed = false;
      s.side = e.side;
      s.escalated = false;
    } else if (e.kind === 'escalate') {
      s.escalated = true;
    } else {
      s.armed = true;
      s.escalated = false;
    }
    if (e.barStartMs > s.lastBarStartMs) s.lastBarStartMs = e.barStartMs;
  }
  return s;
}
