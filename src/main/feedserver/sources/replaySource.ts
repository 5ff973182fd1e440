/**
 * Replay of an NDJSON capture (plain or gzip, detected by magic bytes; combined envelopes or
 * bare payloads) at the original pace × speed. Pacing follows the data's event time E relative
 * to the first message; lines whose E is earlier than one already sent (captures interleave
 * symbols, so E is not monotonic) go out at once. Payloads are sent unmodified, in file order,
 * to the subscribers of the line's stream name. Nothing is derived: a capture without aggTrade
 * lines gives `@aggTrade` subscribers nothing.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { parseCaptureLine } from './capture';
import { boundedLines, newLineCounters } from './lines';
import type { FeedSink, FeedSource } from './source';

export interface ReplaySourceOptions {
  /** Path of the capture (NDJSON, optionally gzip-compressed). */
  file: string;
  /** Pace multiplier; Infinity or 0 = as fast as the subscribers read (default 1). */
  speed?: number;
  /** Start when the first connection subscribes to anything (default true) instead of at once. */
  startOnFirstSubscriber?: boolean;
}

export interface ReplayReport {
  file: string;
  speed: number;
  /** Messages replayed (published), all streams. */
  messages: number;
  /** Messages replayed per stream name, e.g. `{"btcusdt@trade": 10701, …}`. */
  perStream: Record<string, number>;
  /** Frames actually delivered to clients per stream (0 when nobody listened or silent). */
  deliveredPerStream: Record<string, number>;
  /** Lines that were neither a payload nor an envelope (over-long ones included). */
  skippedLines: number;
  /** Lines longer than 1 MiB (after decompression), skipped without being held whole. */
  overlongLines: number;
  /** E of the first and last message (null for an empty file). */
  firstEventMs: number | null;
  lastEventMs: number | null;
  /** Wall-clock duration of the replay in ms. */
  wallMs: number;
  /** Paced replay: the largest delay of a message behind its schedule, ms (0 when unpaced). */
  maxLatenessMs: number;
  /** true when stop() ended it early; error set when reading failed. */
  aborted: boolean;
  error: string | null;
}

/** Messages sent back to back before handing the event loop to I/O. */
const YIELD_EVERY = 1_000;

export class ReplaySource implements FeedSource {
  readonly kind = 'replay' as const;
  readonly done: Promise<ReplayReport>;
  private resolveDone!: (report: ReplayReport) => void;
  private started = false;
  private stopped = false;
  private input: Readable | null = null;

  constructor(readonly options: ReplaySourceOptions) {
    const speed = options.speed ?? 1;
    if (!(speed >= 0) || Number.isNaN(speed)) {
      throw new RangeError(`replay speed must be ≥ 0 (0 or Infinity = unpaced), got ${speed}`);
    }
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  get speed(): number {
    return this.options.speed ?? 1;
  }

  get startOnFirstSubscriber(): boolean {
    return this.options.startOnFirstSubscriber ?? true;
  }

  get isStarted(): boolean {
    return this.started;
  }

  describe(): string {
    const pace = this.isUnpaced() ? 'as fast as possible' : `at ×${this.speed}`;
    const when = this.startOnFirstSubscriber ? ' from the first subscription' : '';
    return (
      `replaying ${this.options.file} ${pace}${when} ` +
      `(payloads unmodified, only the streams in the file; nothing derived)`
    );
  }

  start(sink: FeedSink): void {
    if (this.started) return;
    this.started = true;
    void this.run(sink);
  }

  stop(): void {
    this.stopped = true;
    this.input?.destroy();
    if (!this.started) {
      this.started = true;
      this.resolveDone(this.emptyReport(true, null));
    }
  }

  private isUnpaced(): boolean {
    return this.speed === 0 || this.speed === Infinity;
  }

  private emptyReport(aborted: boolean, error: string | null): ReplayReport {
    return {
      file: this.options.file,
      speed: this.speed,
      messages: 0,
      perStream: {},
      deliveredPerStream: {},
      skippedLines: 0,
      overlongLines: 0,
      firstEventMs: null,
      lastEventMs: null,
      wallMs: 0,
      maxLatenessMs: 0,
      aborted,
      error,
    };
  }

  private async run(sink: FeedSink): Promise<void> {
    const report = this.emptyReport(false, null);
    const wallStart = performance.now();
    const perStream = new Map<string, number>();
    const delivered = new Map<string, number>();
    const counters = newLineCounters();
    try {
      const gz = await isGzip(this.options.file);
      const fileStream = createReadStream(this.options.file);
      const input: Readable = gz ? fileStream.pipe(createGunzip()) : fileStream;
      if (gz) fileStream.on('error', (err) => input.destroy(err));
      this.input = input;
      const unpaced = this.isUnpaced();
      let anchor = 0;
      let firstE: number | null = null;
      let maxE = -Infinity;
      let sinceYield = 0;
      for await (const line of boundedLines(input, counters)) {
        if (this.stopped) break;
        const parsed = parseCaptureLine(line);
        if (parsed.kind === 'blank') continue;
        if (parsed.kind === 'invalid') {
          report.skippedLines++;
          continue;
        }
        const msg = parsed.message;
        const e = msg.eventTimeMs;
        if (e !== null) {
          if (firstE === null) {
            firstE = e;
            anchor = performance.now();
            report.firstEventMs = e;
          }
          if (e > maxE) maxE = e;
          report.lastEventMs = maxE;
        }
        let slept = false;
        let due = -1;
        if (unpaced) {
          while (sink.congested() && !this.stopped) {
            await sleep(2);
            slept = true;
          }
        } else if (firstE !== null) {
          due = anchor + (maxE - firstE) / this.speed;
          const wait = due - performance.now();
          if (wait >= 1) {
            await sleep(wait);
            slept = true;
          }
        }
        if (this.stopped) break;
        if (slept) sinceYield = 0;
        else if (++sinceYield >= YIELD_EVERY) {
          sinceYield = 0;
          await yieldToLoop();
          if (this.stopped) break;
        }
        if (due >= 0) {
          const late = performance.now() - due;
          if (late > report.maxLatenessMs) report.maxLatenessMs = late;
        }
        const n = sink.publish(msg.stream, msg.raw);
        report.messages++;
        perStream.set(msg.stream, (perStream.get(msg.stream) ?? 0) + 1);
        if (n > 0) delivered.set(msg.stream, (delivered.get(msg.stream) ?? 0) + n);
      }
      input.destroy();
    } catch (error) {
      if (!this.stopped) report.error = (error as Error).message;
    }
    this.input = null;
    report.overlongLines = counters.overlong;
    report.skippedLines += counters.overlong;
    report.aborted = this.stopped;
    report.perStream = Object.fromEntries(perStream);
    report.deliveredPerStream = Object.fromEntries(delivered);
    report.wallMs = performance.now() - wallStart;
    this.resolveDone(report);
  }
}

/** True when the file starts with the gzip magic bytes, whatever its name. */
export async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
