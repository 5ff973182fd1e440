/**
 * Shared result conventions for src/core/stats.
 *
 * Every estimator that can meet degenerate input (too short, constant, NaN inside) returns a
 * discriminated union: `{ ok: true, ...values }` or `{ ok: false, reason }` with a sentence a
 * person can act on, e.g. `not enough data: need 20 bars, have 7`. Nothing here throws on data;
 * RangeError is thrown only for programming errors (a window of 0, an unknown table index).
 *
 * Per-bar series (rolling z-score, correlation, …) are Float64Arrays aligned with the input where
 * NaN marks "undefined at this bar" (warm-up, zero variance), exactly like pandas' NaN. The live
 * engine converts those to `null` before anything reaches a screen.
 */

/** Why an estimate could not be produced. */
export interface StatsFailure {
  ok: false;
  reason: string;
}

/** `{ ok: true } & T` or a failure with a reason. */
export type StatsResult<T> = ({ ok: true } & T) | StatsFailure;

export function fail(reason: string): StatsFailure {
  return { ok: false, reason };
}

/** Index of the first non-finite value, or −1. */
export function firstNonFinite(x: ArrayLike<number>): number {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return i;
  return -1;
}

/** True when every value equals the first (a constant series). */
export function isConstant(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

/** Standard checks for a 1-d input series; returns a failure or null when fine. */
export function checkSeries(
  x: ArrayLike<number>,
  name: string,
  minLength: number,
): StatsFailure | null {
  if (x.length < minLength) {
    return fail(`not enough data: need ${minLength} values of ${name}, have ${x.length}`);
  }
  const bad = firstNonFinite(x);
  if (bad >= 0) return fail(`${name} contains a non-finite value (${x[bad]}) at index ${bad}`);
  if (isConstant(x)) return fail(`constant series: every value of ${name} is ${x[0]}`);
  return null;
}

/** Accurate mean: sum/n followed by one correction pass (corrected two-pass). */
export function accurateMean(x: ArrayLike<number>, from = 0, to: number = x.length): number {
  const n = to - from;
  let s = 0;
  for (let i = from; i < to; i++) s += x[i];
  const m = s / n;
  let c = 0;
  for (let i = from; i < to; i++) c += x[i] - m;
  return m + c / n;
}
