/**
 * Coalesces the bar traffic of a busy feed into UI-sized events. Between two flushes any number
 * of ticks and bar closes collapse into: each closed or revised bar once (the latest version),
 * and the in-progress bars of the symbols that traded. At 20 k ticks/s and a 20 Hz flush that
 * is ~1000× fewer messages than one per tick.
 */
import type { Bar } from '../market/types';

export interface BarBatch {
  closed: Bar[];
  inProgress: Bar[];
  /** Symbols with at least one accepted tick since the previous flush. */
  symbols: string[];
}

export class BarEventBatcher {
  private readonly closed = new Map<string, Bar>();
  private readonly dirty = new Set<string>();

  /** A bar became final or was revised; a later version of the same bar replaces it. */
  barFinal(bar: Bar): void {
    this.closed.set(`${bar.symbol}\u0000${bar.timeframeMs}\u0000${bar.startMs}`, bar);
  }

  /** A tick of `symbol` moved its in-progress bars. O(1), no allocation after the first. */
  touched(symbol: string): void {
    this.dirty.add(symbol);
  }

  get isEmpty(): boolean {
    return this.closed.size === 0 && this.dirty.size === 0;
  }

  /**
   * Empties the batch. `openBarsOf(symbol)` supplies the current in-progress bars of a touched
   * symbol. Returns null when nothing happened since the last flush.
   */
  flush(openBarsOf: (symbol: string) => Bar[]): BarBatch | null {
    if (this.isEmpty) return null;
    const closed = [...this.closed.values()].sort(
      (a, b) => a.startMs - b.startMs || a.timeframeMs - b.timeframeMs,
    );
    const symbols = [...this.dirty];
    const inProgress: Bar[] = [];
    for (const symbol of symbols) inProgress.push(...openBarsOf(symbol));
    this.closed.clear();
    this.dirty.clear();
    return { closed, inProgress, symbols };
  }
}
