/**
 * Bounded line splitting for capture files. A capture is untrusted input: one endless line (a
 * file of zeros, a gzip bomb that inflates to gigabytes without a newline) must cost neither
 * unbounded memory nor a crash. A line longer than `maxLineBytes` is counted and skipped: its
 * bytes are dropped as they arrive, so at most `maxLineBytes` of it are ever held.
 * (src/main/analyze/lineReader.ts applies the same 1 MiB rule to offline analysis.)
 */
import type { Readable } from 'node:stream';

/** A Binance message is < 1 KiB; anything past 1 MiB is not a market-data line. */
export const MAX_CAPTURE_LINE_BYTES = 1 << 20;

export interface LineCounters {
  /** Lines longer than the cap, skipped. */
  overlong: number;
  /** Bytes read so far (decompressed). */
  bytes: number;
  /** Most bytes of one unfinished line held at once (never above the cap). */
  peakHeldBytes: number;
}

export function newLineCounters(): LineCounters {
  return { overlong: 0, bytes: 0, peakHeldBytes: 0 };
}

export interface BoundedLinesOptions {
  /** Longer lines are skipped and counted (default MAX_CAPTURE_LINE_BYTES). */
  maxLineBytes?: number;
  /**
   * Stop reading once this many bytes were read (default: read to the end); the unfinished line
   * at that point is dropped. Bounds the time spent on an endless line, not only the memory.
   */
  stopAfterBytes?: number;
}

/**
 * The lines of `input` (without '\n'; a final unterminated line included), skipping and
 * counting those longer than the cap. Pulls a chunk only when the previous one is used up, so a
 * paced reader reads the file at its own pace.
 */
export async function* boundedLines(
  input: Readable | AsyncIterable<Buffer>,
  counters: LineCounters = newLineCounters(),
  options: BoundedLinesOptions = {},
): AsyncGenerator<string> {
  const maxLineBytes = options.maxLineBytes ?? MAX_CAPTURE_LINE_BYTES;
  const stopAfterBytes = options.stopAfterBytes ?? Infinity;
  /** Bytes of the unfinished line carried over from earlier chunks. */
  let held: Buffer[] = [];
  let heldBytes = 0;
  /** Inside an over-long line: drop bytes until the next newline. */
  let skipping = false;

  const take = (part: Buffer): void => {
    if (skipping || part.length === 0) return;
    if (heldBytes + part.length > maxLineBytes) {
      skipping = true;
      counters.overlong++;
      held = [];
      heldBytes = 0;
      return;
    }
    // Copied: the chunk's buffer may be reused by the stream.
    held.push(Buffer.from(part));
    heldBytes += part.length;
    if (heldBytes > counters.peakHeldBytes) counters.peakHeldBytes = heldBytes;
  };

  /** Ends the carried line; returns its text, or null when it was skipped. */
  const finish = (tail: Buffer): string | null => {
    let text: string | null = null;
    if (!skipping && heldBytes + tail.length > maxLineBytes) counters.overlong++;
    else if (!skipping) {
      text =
        held.length === 0 ? tail.toString('utf8') : Buffer.concat([...held, tail]).toString('utf8');
    }
    held = [];
    heldBytes = 0;
    skipping = false;
    return text;
  };

  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw as string) : (raw as Buffer);
    counters.bytes += chunk.length;
    let start = 0;
    let nl = chunk.indexOf(10);
    if (nl >= 0 && (heldBytes > 0 || skipping)) {
      const line = finish(chunk.subarray(0, nl));
      if (line !== null) yield line;
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    while (nl >= 0) {
      if (nl - start > maxLineBytes) counters.overlong++;
      else yield chunk.toString('utf8', start, nl);
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) take(chunk.subarray(start));
    if (counters.bytes >= stopAfterBytes) return;
  }
  if (heldBytes > 0 || skipping) {
    const line = finish(Buffer.alloc(0));
    if (line !== null) yield line;
  }
}
