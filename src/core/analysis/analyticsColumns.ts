/**
 * Column-wise pair analytics as typed arrays (NaN = not defined), the form the analytics worker
 * keeps and transfers; `toAnalyticsColumns` turns them into the contract's `AnalyticsColumns`
 * (null instead of NaN, so nothing undefined ever reaches a screen as NaN). Pure.
 */
import { ANALYTICS_COLUMNS, type AnalyticsColumns } from '../contract/contract';

export const COLUMN_NAMES = ANALYTICS_COLUMNS;

export type ColumnName = (typeof COLUMN_NAMES)[number];

/** One Float64Array per column, same length; NaN = not defined at that bar. */
export type ColumnBuffers = Record<ColumnName, Float64Array>;

export function emptyColumnBuffers(length = 0): ColumnBuffers {
  const out = {} as ColumnBuffers;
  for (const name of COLUMN_NAMES) out[name] = new Float64Array(length);
  return out;
}

export function columnLength(c: ColumnBuffers): number {
  return c.startMs.length;
}

/** Every underlying buffer once (for a postMessage transfer list). */
export function columnTransferList(c: ColumnBuffers): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const name of COLUMN_NAMES) seen.add(c[name].buffer as ArrayBuffer);
  return [...seen];
}

/** Concatenates column chunks in order. */
export function concatColumnBuffers(chunks: readonly ColumnBuffers[]): ColumnBuffers {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += columnLength(c);
  const out = emptyColumnBuffers(n);
  for (const name of COLUMN_NAMES) {
    let at = 0;
    for (const c of chunks) {
      out[name].set(c[name], at);
      at += c[name].length;
    }
  }
  return out;
}

function nullable(x: Float64Array): (number | null)[] {
  const out = new Array<number | null>(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = Number.isFinite(v) ? v : null;
  }
  return out;
}

function plain(x: Float64Array): number[] {
  return Array.from(x);
}

/** Contract form: null for every non-finite value. */
export function toAnalyticsColumns(c: ColumnBuffers): AnalyticsColumns {
  return {
    startMs: plain(c.startMs),
    closeA: plain(c.closeA),
    closeB: plain(c.closeB),
    hedgeRatio: nullable(c.hedgeRatio),
    spread: nullable(c.spread),
    spreadMean: nullable(c.spreadMean),
    spreadStd: nullable(c.spreadStd),
    zscore: nullable(c.zscore),
    correlation: nullable(c.correlation),
    betaRolling: nullable(c.betaRolling),
    betaKalman: nullable(c.betaKalman),
    volA: nullable(c.volA),
    volB: nullable(c.volB),
  };
}
