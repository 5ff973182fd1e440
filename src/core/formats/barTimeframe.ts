/**
 * The bar timeframe of a bars-only file (#10): inferred from bar starts when the file does not
 * state it, checked against the timeframes PairDesk analyses, and put in words for messages.
 */
import { TIMEFRAMES, TIMEFRAME_MS } from '../market/types';

/**
 * The smallest positive gap (ms) between consecutive entries of `starts` (bar starts of ONE
 * symbol, in file order), or null when there is none (fewer than two distinct starts). Missing
 * bars only widen some gaps, so the smallest gap is the timeframe as soon as two adjacent bars
 * are present; gaps ≤ 0 (out of order, repeats) are ignored here and rejected by the readers.
 */
export function inferTimeframeMs(starts: readonly number[]): number | null {
  let best = Infinity;
  for (let i = 1; i < starts.length; i++) {
    const gap = starts[i] - starts[i - 1];
    if (gap > 0 && gap < best) best = gap;
  }
  return Number.isFinite(best) ? best : null;
}

const UNITS: ReadonlyArray<[number, string]> = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'm'],
  [1000, 's'],
  [1, 'ms'],
];

/** `60000` → `1 m`, `3600000` → `1 h`, `90000` → `90 s`: the largest unit dividing it. */
export function describeTimeframe(ms: number): string {
  for (const [size, unit] of UNITS) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  }
  return `${ms} ms`;
}

/** Null when PairDesk analyses bars of `ms` (1 s, 1 m or 5 m); else why not, in plain words. */
export function unsupportedTimeframe(ms: number): string | null {
  if (TIMEFRAMES.some((tf) => TIMEFRAME_MS[tf] === ms)) return null;
  return `bars every ${describeTimeframe(ms)}; PairDesk analyses 1 s, 1 m and 5 m bars`;
}
