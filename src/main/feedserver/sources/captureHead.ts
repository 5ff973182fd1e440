/**
 * What a capture's head says about it (replay plan and the app's source session): which trade
 * stream and symbols its first lines carry, and how much of it such a sniff reads.
 */
import type { LineCounters } from './lines';

/** Lines of a capture's head the sniff reads at most. */
export const CAPTURE_HEAD_LINES = 2_000;
/**
 * Decompressed bytes the sniff reads at most: 2 000 Binance lines are < 1 MB, so a head without
 * trades in 16 MiB is not a capture (an endless line, a gzip bomb) and is refused quickly.
 */
export const CAPTURE_HEAD_MAX_BYTES = 16 << 20;

/** Counts the aggTrade / trade messages of a capture's lines and the symbols they name. */
export class CaptureHeadTally {
  agg = 0;
  trade = 0;
  private readonly symbolSet = new Set<string>();

  /** Counts one line (raw `{"e":…}` or combined `{"stream":"…@aggTrade",…}`); others are ignored. */
  add(line: string): void {
    const stream = /"stream"\s*:\s*"([a-z0-9]+)@(aggTrade|trade)"/.exec(line);
    const event = /"e"\s*:\s*"(aggTrade|trade)"/.exec(line);
    const symbol = /"s"\s*:\s*"([A-Z0-9]+)"/.exec(line);
    const kind = stream?.[2] ?? event?.[1];
    if (kind === undefined) return;
    if (kind === 'aggTrade') this.agg++;
    else this.trade++;
    const s = stream?.[1]?.toUpperCase() ?? symbol?.[1];
    if (s) this.symbolSet.add(s);
  }

  /** The symbols seen, sorted. */
  symbols(): string[] {
    return [...this.symbolSet].sort();
  }

  /** The stream the capture carries: the more frequent one, aggTrade on a tie. */
  tradeStream(): 'aggTrade' | 'trade' {
    return this.agg >= this.trade ? 'aggTrade' : 'trade';
  }
}

/** "its first N lines" / "its first 16 MiB", plus the over-long lines skipped, for messages. */
export function captureHeadText(counters: LineCounters): string {
  const head =
    counters.bytes >= CAPTURE_HEAD_MAX_BYTES
      ? 'its first 16 MiB'
      : `its first ${CAPTURE_HEAD_LINES} lines`;
  const n = counters.overlong;
  return n > 0 ? `${head} (${n} line${n === 1 ? '' : 's'} longer than 1 MiB skipped)` : head;
}
