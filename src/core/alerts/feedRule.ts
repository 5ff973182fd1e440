/**
 * The `feed` alert rule (issue #9; contract in ./types.ts): a live source's silence, evaluated on
 * the wall clock (the caller's timer), not on bars.
 * - breach: no message for ≥ N s while armed → disarms (value = seconds silent, threshold = N);
 * - revert: the last message is < N s old while disarmed (data flows again) → re-arms.
 * `side` is null on both. Time is injected: the caller passes `nowMs` and the age of the last
 * message, so the rule is deterministic and testable without timers.
 */
import type { AlertEvent, FeedRuleParams, RuleState } from './types';
import { initialRuleState, NO_ALERT_EVENTS, replayArmHistory } from './zScoreRule';

/** Why the silence threshold is unusable, or null: finite and ≥ 1 s. */
export function validateFeedParams(p: FeedRuleParams): string | null {
  if (!Number.isFinite(p.silenceSeconds) || p.silenceSeconds < 1) {
    return `the feed silence threshold must be at least 1 second (got ${p.silenceSeconds})`;
  }
  return null;
}

export class FeedRule {
  private readonly silenceSeconds: number;
  private readonly silenceMs: number;
  private armed: boolean;
  private lastEvaluatedMs: number;

  /** Throws RangeError when validateFeedParams rejects the threshold. */
  constructor(params: FeedRuleParams, state: RuleState = initialRuleState()) {
    const problem = validateFeedParams(params);
    if (problem !== null) throw new RangeError(problem);
    this.silenceSeconds = params.silenceSeconds;
    this.silenceMs = params.silenceSeconds * 1000;
    this.armed = state.armed;
    this.lastEvaluatedMs = state.lastBarStartMs;
  }

  get params(): FeedRuleParams {
    return { silenceSeconds: this.silenceSeconds };
  }

  /** A copy of the state; lastBarStartMs holds the wall-clock ms of the last evaluation. */
  state(): RuleState {
    return {
      armed: this.armed,
      side: null,
      escalated: false,
      lastBarStartMs: this.lastEvaluatedMs,
    };
  }

  /**
   * One check at wall-clock `nowMs` (ms UTC): `lastMessageAgeMs` = ms since the source's last
   * message (any message, not only trades), or null when there is nothing to judge (no live
   * source running, or it has not connected yet) — then nothing fires and the state is kept.
   * Returns 0 or 1 event (barStartMs = nowMs); the empty result is NO_ALERT_EVENTS.
   * Unlike the bar rules a repeated or earlier `nowMs` is still evaluated: the hysteresis alone
   * keeps a silence from firing twice, and a wall clock stepped back must not mute the rule.
   */
  evaluate(nowMs: number, lastMessageAgeMs: number | null): AlertEvent[] {
    if (lastMessageAgeMs === null || !Number.isFinite(lastMessageAgeMs)) return NO_ALERT_EVENTS;
    this.lastEvaluatedMs = nowMs;
    const silent = lastMessageAgeMs >= this.silenceMs;
    if (this.armed === !silent) return NO_ALERT_EVENTS;
    this.armed = !silent;
    return [
      {
        rule: 'feed',
        kind: silent ? 'breach' : 'revert',
        side: null,
        value: lastMessageAgeMs / 1000,
        threshold: this.silenceSeconds,
        barStartMs: nowMs,
      },
    ];
  }

  /** The rule after its stored `events` (oldest first): disarmed if the last was a breach. */
  static restoreFromHistory(
    params: FeedRuleParams,
    events: readonly AlertEvent[],
    lastEvaluatedMs?: number,
  ): FeedRule {
    return new FeedRule(params, replayArmHistory('feed', events, lastEvaluatedMs));
  }
}
