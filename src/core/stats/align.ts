/**
 * Aligned close series of a pair.
 *
 * Definition (the contract): for pair A/B at timeframe tf, the aligned series is a regular grid of
 * every interval from the first interval in which BOTH symbols have traded to the last interval in
 * which EITHER traded; each symbol's close is forward-filled. This is pandas'
 *
 *   a = A.resample(tf).last().ffill(); b = B.resample(tf).last().ffill()
 *   pd.concat([a, b], axis=1).ffill().dropna()
 *
 * with UTC epoch-aligned, left-closed, left-labelled bins (pandas' default origin for the
 * product timeframes, which divide a day). The value at an interval uses only bars that started in
 * or before it: no look-ahead. Bars finer than tf are resampled: the close of an interval is the
 * close of the last bar (by startMs, then input order) whose start falls in it.
 */
import type { Bar } from '../market/types';

/** Closes of A and B on a common regular grid (same length). */
export interface AlignedCloses {
  /** Interval starts (ms, UTC), strictly increasing by tfMs. */
  startMs: Float64Array;
  a: Float64Array;
  b: Float64Array;
}

type BarLike = Pick<Bar, 'startMs' | 'close'>;

/** Largest aligned grid built (rows): 10 M is 116 days at 1 s, about 240 MB of closes. */
export const MAX_ALIGNED_ROWS = 10_000_000;

/** Last close per interval, ascending by interval. */
function resampleLast(
  bars: readonly BarLike[],
  tfMs: number,
): { t: Float64Array; c: Float64Array } {
  const valid: BarLike[] = [];
  for (const bar of bars) {
    if (Number.isFinite(bar.startMs) && Number.isFinite(bar.close)) valid.push(bar);
  }
  let sorted = true;
  for (let i = 1; i < valid.length; i++) {
    if (valid[i].startMs < valid[i - 1].startMs) {
      sorted = false;
      break;
    }
  }
  // Array.prototype.sort is stable: equal starts keep input order, the later one wins.
  const list = sorted ? valid : [...valid].sort((x, y) => x.startMs - y.startMs);
  const t: number[] = [];
  const c: number[] = [];
  for (const bar of list) {
    const bucket = Math.floor(bar.startMs / tfMs) * tfMs;
    if (t.length > 0 && t[t.length - 1] === bucket) c[c.length - 1] = bar.close;
    else {
      t.push(bucket);
      c.push(bar.close);
    }
  }
  return { t: Float64Array.from(t), c: Float64Array.from(c) };
}

/**
 * Aligns two symbols' bars on the regular tf grid (see module doc). Returns empty arrays when
 * either symbol has no usable bar. Bars with a non-finite start or close are ignored.
 */
export function alignCloses(
  barsA: readonly BarLike[],
  barsB: readonly BarLike[],
  tfMs: number,
): AlignedCloses {
  if (!(tfMs > 0) || !Number.isFinite(tfMs)) {
    throw new RangeError(`timeframe must be a positive number of ms, got ${tfMs}`);
  }
  const A = resampleLast(barsA, tfMs);
  const B = resampleLast(barsB, tfMs);
  if (A.t.length === 0 || B.t.length === 0) {
    return { startMs: new Float64Array(0), a: new Float64Array(0), b: new Float64Array(0) };
  }
  const start = Math.max(A.t[0], B.t[0]);
  const end = Math.max(A.t[A.t.length - 1], B.t[B.t.length - 1]);
  const n = Math.round((end - start) / tfMs) + 1;
  if (n > MAX_ALIGNED_ROWS) {
    // A stray tick far from the rest (a 2017 timestamp in a 2024 capture) would otherwise make
    // the grid forward-fill every interval in between: gigabytes, then a crash (issue #13).
    throw new RangeError(
      `the aligned grid from ${new Date(start).toISOString()} to ${new Date(end).toISOString()} ` +
        `would have ${n} rows of ${tfMs} ms, more than ${MAX_ALIGNED_ROWS}; ` +
        'the input spans too long a time for this timeframe (a stray timestamp?)',
    );
  }
  const startMs = new Float64Array(n);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < n; i++) {
    const t = start + i * tfMs;
    while (ia + 1 < A.t.length && A.t[ia + 1] <= t) ia++;
    while (ib + 1 < B.t.length && B.t[ib + 1] <= t) ib++;
    startMs[i] = t;
    a[i] = A.c[ia];
    b[i] = B.c[ib];
  }
  return { startMs, a, b };
}
