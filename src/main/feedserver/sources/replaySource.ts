/**
 * Replay of trade files at the original pace × speed: NDJSON captures (plain or gzip, detected
 * by magic bytes; combined envelopes or bare payloads) sent unmodified, and aggTrades / trades
 * CSV (plain, .gz, .zip members) sent as the exchange's payloads (replayPlan.ts). Several inputs
 * (e.g. the BTCUSDT and ETHUSDT archives of a day) are merged by time, k-way: each input holds
 * only its next message, and the earliest goes out next (ties in input order), so memory stays
 * bounded whatever the file sizes.
 *
 * Pacing follows the data's event time E (T when there is none): the wall time of a message is
 * anchor + (E − anchorE) / speed, where E only ever grows (captures interleave symbols, so a line
 * whose E is earlier than one already sent goes out at once). Pause, resume and a speed change
 * re-anchor at the data time reached so far, so nothing bursts and nothing is skipped. Payloads
 * go to the subscribers of their stream name. Nothing is derived: a capture without aggTrade
 * lines gives `@aggTrade` subscribers nothing.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import type { CaptureMessage } from './capture';
import { detectContainer } from '../../files/input/detect';
import type { DiskProgress } from './replayInput';
import {
  inputMessages,
  newInputCounters,
  type InputCounters,
  type ReplayInput,
} from './replayPlan';
import type { FeedSink, FeedSource } from './source';

export interface ReplaySourceOptions {
  /** The (first) file replayed: named in the handshake header and the description. */
  file: string;
  /**
   * Every input, planned (planReplay): formats, zip members, symbols. Default: `file` as an
   * NDJSON capture.
   */
  inputs?: readonly ReplayInput[];
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
  /** Lines that were neither a payload nor an envelope, or rejected CSV rows (over-long included). */
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
  /** true when stop() ended it early; error set when reading failed (the first input's error). */
  aborted: boolean;
  error: string | null;
}

/** Where a running replay is, for progress bars. */
export interface ReplayProgress {
  /** Bytes of the files on disk read so far (compressed for .gz / .zip) and their total. */
  bytesDone: number;
  bytesTotal: number;
  /** Lines read, all inputs. */
  lines: number;
  messages: number;
  /** E of the first message and the data time reached (the latest E sent); null before. */
  firstEventMs: number | null;
  dataTimeMs: number | null;
  speed: number;
  paused: boolean;
  started: boolean;
  done: boolean;
}

/** Messages sent back to back before handing the event loop to I/O. */
const YIELD_EVERY = 1_000;

/** One input being merged: its next message and its counters. */
interface Lane {
  name: string;
  messages: AsyncGenerator<CaptureMessage>;
  head: CaptureMessage | null;
  disk: DiskProgress;
  counters: InputCounters;
  sizeBytes: number;
}

function checkSpeed(speed: number): void {
  if (!(speed >= 0) || Number.isNaN(speed)) {
    throw new RangeError(`replay speed must be ≥ 0 (0 or Infinity = unpaced), got ${speed}`);
  }
}

function isUnpacedSpeed(speed: number): boolean {
  return speed === 0 || speed === Infinity;
}

export class ReplaySource implements FeedSource {
  readonly kind = 'replay' as const;
  readonly done: Promise<ReplayReport>;
  private resolveDone!: (report: ReplayReport) => void;
  private started = false;
  private finished = false;
  private stopped = false;
  private speedValue: number;
  private pausedFlag = false;
  private lanes: Lane[] = [];
  private messages = 0;
  /** Pacing: wall time (performance.now) and data time of the anchor; latest E sent. */
  private anchorWall = 0;
  private anchorData: number | null = null;
  private sentMaxE: number | null = null;
  private firstE: number | null = null;
  /** Data time reached when paused (the position resumed from). */
  private pausedAt: number | null = null;
  /** Ends the current wait early (a control or stop). */
  private wake: (() => void) | null = null;

  constructor(readonly options: ReplaySourceOptions) {
    this.speedValue = options.speed ?? 1;
    checkSpeed(this.speedValue);
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  get speed(): number {
    return this.speedValue;
  }

  get paused(): boolean {
    return this.pausedFlag;
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
    const n = this.options.inputs?.length ?? 1;
    const what =
      n > 1 ? `${this.options.file} and ${n - 1} more input(s), merged by time` : this.options.file;
    return (
      `replaying ${what} ${pace}${when} ` +
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
    this.wakeUp();
    if (!this.started) {
      this.started = true;
      this.finished = true;
      this.resolveDone(this.emptyReport(true, null));
    }
  }

  /** Holds the next message until `resume`; the data time reached is kept. */
  pause(): void {
    if (this.pausedFlag) return;
    this.pausedAt = this.position(performance.now());
    this.pausedFlag = true;
    this.wakeUp();
  }

  /** Goes on from the data time reached at the pause, paced from now. */
  resume(): void {
    if (!this.pausedFlag) return;
    this.pausedFlag = false;
    this.reanchor(this.pausedAt);
    this.pausedAt = null;
    this.wakeUp();
  }

  /** A new pace from now on, from the data time reached: no burst, nothing skipped. */
  setSpeed(speed: number): void {
    checkSpeed(speed);
    const at = this.pausedFlag ? this.pausedAt : this.position(performance.now());
    this.speedValue = speed;
    if (this.pausedFlag) this.pausedAt = at;
    else this.reanchor(at);
    this.wakeUp();
  }

  progress(): ReplayProgress {
    let bytesDone = 0;
    let bytesTotal = 0;
    let lines = 0;
    for (const lane of this.lanes) {
      bytesDone += Math.min(lane.disk.bytesRead, lane.sizeBytes);
      bytesTotal += lane.sizeBytes;
      lines += lane.counters.lines;
    }
    return {
      bytesDone,
      bytesTotal,
      lines,
      messages: this.messages,
      firstEventMs: this.firstE,
      dataTimeMs: this.sentMaxE,
      speed: this.speedValue,
      paused: this.pausedFlag,
      started: this.started,
      done: this.finished,
    };
  }

  private isUnpaced(): boolean {
    return isUnpacedSpeed(this.speedValue);
  }

  /** Data time the pacing has reached at wall time `now`: never past the latest E sent. */
  private position(now: number): number | null {
    if (this.anchorData === null || this.sentMaxE === null) return this.sentMaxE;
    if (this.isUnpaced()) return this.sentMaxE;
    const paced = this.anchorData + (now - this.anchorWall) * this.speedValue;
    return Math.min(Math.max(paced, this.anchorData), this.sentMaxE);
  }

  private reanchor(dataTime: number | null): void {
    this.anchorWall = performance.now();
    if (dataTime !== null) this.anchorData = dataTime;
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Waits `ms`, or less when a control or stop wakes the loop. */
  private waitOrWake(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
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

  private async defaultInputs(): Promise<ReplayInput[]> {
    const file = this.options.file;
    const container = await detectContainer(file);
    return [
      {
        file,
        name: basename(file),
        // Without a plan the file is a capture; a zip is then read as bytes and skipped as such.
        container: container === 'zip' ? 'plain' : container,
        member: null,
        format: 'ndjson',
        symbol: null,
        symbols: [],
        tradeStream: 'aggTrade',
      },
    ];
  }

  /** Moves a lane to its next message; a read error ends the lane (recorded in `errors`). */
  private async advance(lane: Lane, errors: string[]): Promise<void> {
    try {
      const next = await lane.messages.next();
      lane.head = next.done ? null : next.value;
    } catch (error) {
      lane.head = null;
      if (!this.stopped) errors.push(`${lane.name}: ${(error as Error).message}`);
    }
  }

  /** The lane whose message comes next: the earliest time (none = at once), ties by order. */
  private static earliest(lanes: readonly Lane[]): Lane | null {
    let best: Lane | null = null;
    let bestTime = Infinity;
    for (const lane of lanes) {
      if (lane.head === null) continue;
      const t = lane.head.eventTimeMs ?? -Infinity;
      if (best === null || t < bestTime) {
        best = lane;
        bestTime = t;
      }
    }
    return best;
  }

  private async run(sink: FeedSink): Promise<void> {
    const report = this.emptyReport(false, null);
    const wallStart = performance.now();
    const perStream = new Map<string, number>();
    const delivered = new Map<string, number>();
    const errors: string[] = [];
    try {
      const inputs = this.options.inputs ?? (await this.defaultInputs());
      for (const input of inputs) {
        const disk: DiskProgress = { bytesRead: 0 };
        const counters = newInputCounters();
        this.lanes.push({
          name: input.name,
          messages: inputMessages(input, disk, counters),
          head: null,
          disk,
          counters,
          sizeBytes: (await stat(input.file)).size,
        });
      }
      for (const lane of this.lanes) await this.advance(lane, errors);
      let sinceYield = 0;
      for (;;) {
        if (this.stopped) break;
        const lane = ReplaySource.earliest(this.lanes);
        if (lane === null) break;
        const msg = lane.head as CaptureMessage;
        const e = msg.eventTimeMs;
        let slept = false;
        let due = -1;
        for (;;) {
          if (this.stopped) break;
          if (this.pausedFlag) {
            await this.waitOrWake(60_000);
            slept = true;
            continue;
          }
          if (this.isUnpaced()) {
            if (!sink.congested()) break;
            await sleep(2);
            slept = true;
            continue;
          }
          if (e === null || this.anchorData === null || e <= (this.sentMaxE ?? -Infinity)) break;
          due = this.anchorWall + (e - this.anchorData) / this.speedValue;
          const wait = due - performance.now();
          if (wait < 1) break;
          await this.waitOrWake(wait);
          slept = true;
        }
        if (this.stopped) break;
        if (e !== null) {
          if (this.firstE === null) {
            this.firstE = e;
            report.firstEventMs = e;
            this.anchorData = e;
            this.anchorWall = performance.now();
          }
          if (e > (this.sentMaxE ?? -Infinity)) this.sentMaxE = e;
          report.lastEventMs = this.sentMaxE;
        }
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
        this.messages++;
        report.messages++;
        perStream.set(msg.stream, (perStream.get(msg.stream) ?? 0) + 1);
        if (n > 0) delivered.set(msg.stream, (delivered.get(msg.stream) ?? 0) + n);
        await this.advance(lane, errors);
      }
    } catch (error) {
      if (!this.stopped) errors.push((error as Error).message);
    }
    for (const lane of this.lanes) {
      await lane.messages.return(undefined).catch(() => undefined);
      report.overlongLines += lane.counters.overlong;
      report.skippedLines += lane.counters.skipped + lane.counters.overlong;
    }
    report.error = errors.length === 0 ? null : errors.join('; ');
    report.aborted = this.stopped;
    report.speed = this.speedValue;
    report.perStream = Object.fromEntries(perStream);
    report.deliveredPerStream = Object.fromEntries(delivered);
    report.wallMs = performance.now() - wallStart;
    this.finished = true;
    this.resolveDone(report);
  }
}
