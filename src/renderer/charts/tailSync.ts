/**
 * Keeps a chart's data arrays in step with a bar series without rebuilding them on every
 * update: when the series' epoch is unchanged only the last TAIL_WINDOW points of the previous
 * length are rewritten and new bars appended (see barsStore). Pure; no ECharts here.
 * Generic over the item type (bars by default; the analytics charts sync row timestamps).
 */
import type { Bar } from '../../core/market/types';
import { TAIL_WINDOW } from '../state/barsStore';

export interface SyncSource<T = Bar> {
  bars: readonly T[];
  epoch: number;
  loadId: number;
  rev: number;
}

/** What changed: nothing, the tail, everything, or everything after a new history load. */
export type SyncResult = 'none' | 'tail' | 'rebuild' | 'reset';

export type PointWriter<T = Bar> = (bar: T, index: number, bars: readonly T[]) => unknown;

export class TailSync<T = Bar> {
  /** One array per writer, index-aligned with the series. Handed to ECharts as is. */
  readonly columns: unknown[][];
  private epoch = -1;
  private loadId = -1;
  private rev = -1;
  /** Points written by the last sync (tests and diagnostics). */
  lastWritten = 0;
  /** First index the last sync rewrote. */
  lastChangedFrom = 0;

  constructor(private readonly writers: readonly PointWriter<T>[]) {
    this.columns = writers.map(() => []);
  }

  get length(): number {
    return this.columns[0]?.length ?? 0;
  }

  /** Forgets everything: the next sync rebuilds. */
  invalidate(): void {
    this.epoch = -1;
    this.rev = -1;
  }

  sync(source: SyncSource<T> | null): SyncResult {
    const bars = source?.bars ?? [];
    if (!source) {
      const had = this.length > 0;
      for (const column of this.columns) column.length = 0;
      this.epoch = this.loadId = this.rev = -1;
      return had ? 'rebuild' : 'none';
    }
    if (source.rev === this.rev && source.epoch === this.epoch) return 'none';
    const full = source.epoch !== this.epoch || source.loadId !== this.loadId;
    const reset = source.loadId !== this.loadId;
    const start = full ? 0 : Math.max(0, Math.min(this.length, bars.length) - TAIL_WINDOW);
    for (let k = 0; k < this.columns.length; k++) {
      const column = this.columns[k];
      const write = this.writers[k];
      column.length = bars.length;
      for (let i = start; i < bars.length; i++) column[i] = write(bars[i], i, bars);
    }
    this.lastWritten = bars.length - start;
    this.lastChangedFrom = start;
    this.epoch = source.epoch;
    this.loadId = source.loadId;
    this.rev = source.rev;
    return reset ? 'reset' : full ? 'rebuild' : 'tail';
  }
}

/**
 * Splits the synced points into a large, rarely touched "history" part and a small "live" tail,
 * each drawn by its own series: live updates replace only the live series' data, so ECharts
 * re-processes a few hundred points per update instead of the whole history (100 k bars).
 * When the tail grows past `maxLive` points, or a change reaches into the history, the split
 * moves to the end again ('all': both parts are handed over).
 */
export class SplitSync<T = Bar> {
  readonly full: TailSync<T>;
  hist: unknown[][];
  live: unknown[][];
  private histLength = 0;

  constructor(
    writers: readonly PointWriter<T>[],
    private readonly maxLive = 300,
    /** Points the live part repeats from the history's end (1 joins two line series). */
    private readonly overlap = 0,
  ) {
    this.full = new TailSync(writers);
    this.hist = writers.map(() => []);
    this.live = writers.map(() => []);
  }

  /** Points in the history part. */
  get historyLength(): number {
    return this.histLength;
  }

  sync(source: SyncSource<T> | null): 'none' | 'live' | 'all' {
    const result = this.full.sync(source);
    if (result === 'none') return 'none';
    const n = this.full.length;
    const tailOnly =
      result === 'tail' &&
      n - this.histLength <= this.maxLive &&
      this.historyUnchangedFrom(this.full.lastChangedFrom);
    if (!tailOnly) {
      this.histLength = Math.max(0, n - 1);
      this.hist = this.full.columns.map((c) => c.slice(0, this.histLength));
    }
    const from = Math.max(0, this.histLength - (this.histLength > 0 ? this.overlap : 0));
    this.live = this.full.columns.map((c) => c.slice(from));
    return tailOnly ? 'live' : 'all';
  }

  /** TailSync rewrites a few points before the live part; did any of them really change? */
  private historyUnchangedFrom(from: number): boolean {
    for (let k = 0; k < this.hist.length; k++) {
      const hist = this.hist[k];
      const full = this.full.columns[k];
      for (let i = from; i < this.histLength; i++) {
        if (!samePoint(hist[i], full[i])) return false;
      }
    }
    return true;
  }
}

function samePoint(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
