/**
 * Batch evaluation of the z-score rule over a whole bar series (the CLI's `--alerts-out`). Built
 * on ZScoreRule, bar by bar, so offline and live alerts come from the same code.
 */
import type { AlertEvent, ZScoreRuleParams } from './types';
import { ZScoreRule } from './zScoreRule';

/**
 * The z-score rule's events over bars i = 0…n−1 in order, starting armed: `startMs[i]` is the
 * bar start (ms UTC), `z[i]` its rolling z-score (σ units; null/NaN during warm-up → no event).
 * Bars whose start does not increase are skipped, as live. Throws RangeError on invalid params
 * or arrays of different lengths.
 */
export function evaluateZScoreAlerts(
  startMs: ArrayLike<number>,
  z: ArrayLike<number | null>,
  params: ZScoreRuleParams,
): AlertEvent[] {
  if (startMs.length !== z.length) {
    throw new RangeError(`startMs and z differ in length (${startMs.length} vs ${z.length})`);
  }
  const rule = new ZScoreRule(params);
  const out: AlertEvent[] = [];
  for (let i = 0; i < startMs.length; i++) {
    const fired = rule.evaluate(startMs[i], z[i] ?? Number.NaN);
    for (let j = 0; j < fired.length; j++) out.push(fired[j]);
  }
  return out;
}
