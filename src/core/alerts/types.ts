/**
 * The signal layer's vocabulary (issue #9): rules, their parameters and the events they raise.
 * Pure types shared by the rule state machines (this folder), the alerts service in main, the
 * contract and the renderer.
 *
 * Rules (the contract; evaluated on CLOSED bars of the selected pair and timeframe):
 * - `zscore`, on the rolling z-score (NaN during warm-up → no event). State starts armed.
 *   - breach:   |z_t| ≥ K while armed, or while disarmed with sign(z_t) opposite to the side of the
 *               last breach → event (side `upper` if z_t > 0 else `lower`); the rule disarms.
 *   - escalate: once per breach episode, |z_t| ≥ K_crit on the breach's side (may be the breach
 *               bar itself: then breach is emitted first, escalate second).
 *   - revert:   while disarmed, |z_t| ≤ R → event; the rule re-arms.
 *   0 ≤ R < K < K_crit; defaults K = 2 (the alertThreshold setting), R = 0.5, K_crit = K + 1.
 * - `correlation`, on the rolling correlation ρ of log returns: breach (side `lower`) when armed
 *   and ρ_t < level (default 0.3); revert when disarmed and ρ_t ≥ level + 0.1. No escalate.
 * - `feed`, on a live source's silence: breach when no message for ≥ N s (value = seconds
 *   silent, threshold = N), revert when data flows again. Evaluated on the wall clock, not bars.
 * A bar whose start is ≤ the last evaluated start (a revision by a late tick) is never evaluated
 * again, so it never fires twice.
 */

export type AlertRuleId = 'zscore' | 'correlation' | 'feed';
export type AlertKind = 'breach' | 'escalate' | 'revert';
export type AlertSide = 'upper' | 'lower';

/** One event a rule raised. */
export interface AlertEvent {
  rule: AlertRuleId;
  kind: AlertKind;
  /** zscore: the side of the breach episode; correlation: `lower`; feed: null. */
  side: AlertSide | null;
  /** The statistic at the event: z, ρ, or seconds without data. */
  value: number;
  /** The level crossed: K, K_crit, R; the ρ level or level + 0.1; N seconds. */
  threshold: number;
  /** Start of the bar evaluated (ms, UTC); feed rule: wall-clock ms of the detection. */
  barStartMs: number;
}

export interface ZScoreRuleParams {
  /** Breach level K > 0. */
  k: number;
  /** Re-arm level R, 0 ≤ R < K. */
  rearm: number;
  /** Escalation level K_crit > K. */
  critical: number;
}

export interface CorrelationRuleParams {
  /** Breach when ρ < level; re-arm when ρ ≥ level + 0.1. In (−1, 0.9). */
  level: number;
}

export interface FeedRuleParams {
  /** Seconds without any message that count as silence, ≥ 1. */
  silenceSeconds: number;
}

/** Serializable state of an arm/re-arm rule, enough to resume after a restart. */
export interface RuleState {
  armed: boolean;
  /** Side of the current (or last) breach episode; null before any breach. */
  side: AlertSide | null;
  /** Whether the current episode already escalated (zscore only). */
  escalated: boolean;
  /** Start of the last bar evaluated (ms); −Infinity before any. */
  lastBarStartMs: number;
}

export const DEFAULT_ALERT_REARM = 0.5;
export const DEFAULT_CORRELATION_LEVEL = 0.3;
/** Hysteresis of the correlation rule: re-arm at level + this. */
export const CORRELATION_REARM_OFFSET = 0.1;
export const DEFAULT_FEED_SILENCE_SECONDS = 30;
/** At most one OS notification per rule per this many ms; later events are grouped. */
export const NOTIFY_INTERVAL_MS = 60_000;
