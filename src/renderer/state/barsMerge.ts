/**
 * Pure merge rules of live bars into a series (oldest first; the last bar may be in progress).
 * Arrays are mutated in place — a series may hold 100 k bars — and each function returns the
 * index of the first element it changed (or -1), so charts can update only the tail.
 */
import type { Bar, Timeframe } from '../../core/market/types';
import { TIMEFRAME_MS } from '../../core/market/types';

/** Index of the first bar with startMs >= t (binary search; bars sorted by startMs). */
export function lowerBound(bars: readonly Bar[], t: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid].startMs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A closed (or revised) bar replaces the bar with the same startMs, else is inserted in order. */
export function mergeClosed(bars: Bar[], bar: Bar): number {
  const atTail = mergeInProgress(bars, bar);
  if (atTail >= 0) return atTail;
  const n = bars.length;
  const i = lowerBound(bars, bar.startMs);
  if (i < n && bars[i].startMs === bar.startMs) bars[i] = bar;
  else bars.splice(i, 0, bar);
  return i;
}

/**
 * The in-progress bar updates the last candle when it is the same interval, or opens a new one.
 * An in-progress bar older than the last one is stale (its interval already closed): ignored
 * (returns -1). mergeClosed starts with the same tail step.
 */
export function mergeInProgress(bars: Bar[], bar: Bar): number {
  const n = bars.length;
  if (n === 0 || bars[n - 1].startMs < bar.startMs) {
    bars.push(bar);
    return n;
  }
  if (bars[n - 1].startMs === bar.startMs) {
    bars[n - 1] = bar;
    return n - 1;
  }
  return -1;
}

const TIMEFRAME_BY_MS = new Map<number, Timeframe>(
  (Object.entries(TIMEFRAME_MS) as [Timeframe, number][]).map(([tf, ms]) => [ms, tf]),
);

/** The product timeframe of a bar, or null for a width the UI does not show. */
export function timeframeOfMs(timeframeMs: number): Timeframe | null {
  return TIMEFRAME_BY_MS.get(timeframeMs) ?? null;
}

export function seriesKey(symbol: string, timeframe: Timeframe): string {
  return `${symbol}@${timeframe}`;
}
