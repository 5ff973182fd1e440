/**
 * A running replay's progress as `transfer` events (kind 'replay'): bytes of the files read,
 * lines, lines/s over the last 2 s, fraction and ETA at the current speed — at most every 200 ms
 * (≤ 5 Hz) and only when something changed, plus one final event with the outcome in words.
 */
import { performance } from 'node:perf_hooks';
import type { JobState, TransferProgress } from '../../core/contract/files';
import type { ReplayProgress } from '../feedserver/sources/replaySource';

const INTERVAL_MS = 200;
/** Window of the lines/s rate. */
const RATE_WINDOW_MS = 2_000;

interface Sample {
  atMs: number;
  lines: number;
  bytes: number;
}

/**
 * ETA in ms. Paced: the data time still to play at the current speed, the data time to come
 * estimated from the share of bytes read, remaining = played × (1 − f) / f, ETA = remaining /
 * speed. Unpaced (speed 0 or ∞): bytes left over the recent byte rate. null when unknown.
 */
export function replayEtaMs(p: ReplayProgress, bytesPerSec: number): number | null {
  if (p.bytesTotal <= 0 || p.bytesDone <= 0) return null;
  const f = Math.min(1, p.bytesDone / p.bytesTotal);
  if (f >= 1) return 0;
  const unpaced = p.speed === 0 || p.speed === Infinity;
  if (unpaced) {
    return bytesPerSec > 0 ? ((p.bytesTotal - p.bytesDone) / bytesPerSec) * 1000 : null;
  }
  if (p.firstEventMs === null || p.dataTimeMs === null) return null;
  const played = p.dataTimeMs - p.firstEventMs;
  return (played * (1 - f)) / f / p.speed;
}

export class ReplayProgressReporter {
  private readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last = '';
  private finished = false;

  constructor(
    private readonly base: { jobId: string; label: string; datasetId: number },
    private readonly read: () => ReplayProgress,
    private readonly emit: (progress: TransferProgress) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(), INTERVAL_MS);
    this.timer.unref();
  }

  /** Emits now if anything changed (e.g. right after a pause, so the bar says so at once). */
  tick(): void {
    if (this.finished) return;
    const p = this.read();
    if (!p.started) return;
    const event = this.event(p, p.paused ? 'paused' : 'running', null);
    const key = `${event.lines}|${event.bytesDone}|${event.state}|${p.speed}`;
    if (key === this.last) return;
    this.last = key;
    this.emit(event);
  }

  /** The last event: the outcome and its message; no event after it. */
  finish(state: Extract<JobState, 'done' | 'cancelled' | 'failed'>, message: string): void {
    if (this.finished) return;
    this.finished = true;
    clearInterval(this.timer);
    const p = this.read();
    const event = this.event(p, state, message);
    if (state === 'done') {
      event.fraction = 1;
      event.etaMs = 0;
    }
    this.emit(event);
  }

  private event(p: ReplayProgress, state: JobState, message: string | null): TransferProgress {
    const now = performance.now();
    this.samples.push({ atMs: now, lines: p.lines, bytes: p.bytesDone });
    while (this.samples.length > 2 && now - this.samples[0].atMs > RATE_WINDOW_MS) {
      this.samples.shift();
    }
    const first = this.samples[0];
    const dt = (now - first.atMs) / 1000;
    const linesPerSec = dt > 0 ? (p.lines - first.lines) / dt : 0;
    const bytesPerSec = dt > 0 ? (p.bytesDone - first.bytes) / dt : 0;
    return {
      jobId: this.base.jobId,
      kind: 'replay',
      label: this.base.label,
      state,
      bytesDone: p.bytesDone,
      bytesTotal: p.bytesTotal,
      lines: p.lines,
      linesPerSec,
      fraction: p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : null,
      etaMs: replayEtaMs(p, bytesPerSec),
      datasetId: this.base.datasetId,
      message,
    };
  }
}
