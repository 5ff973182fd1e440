/**
 * Progress of an import as `TransferProgress` events: at most one per {@link PROGRESS_INTERVAL_MS}
 * (the contract's ≤ 5 Hz) plus a final one. Rate = lines/s over the last second (from the samples
 * of earlier emissions); fraction = bytes of the files on disk read / their total; ETA = bytes to
 * go at the average byte rate so far (the recent rate jumps between files of different
 * compression, the average does not).
 */
import type { JobState, TransferProgress } from '../../../core/contract/files';

export const PROGRESS_INTERVAL_MS = 200;
const RATE_WINDOW_MS = 1_000;

export interface ProgressMeterOptions {
  jobId: string;
  label: string;
  bytesTotal: number;
  onProgress?: (p: TransferProgress) => void;
  now: () => number;
}

export class ProgressMeter {
  bytesDone = 0;
  lines = 0;
  /** The dataset being written, once created: running events carry it so it counts as active. */
  datasetId: number | null = null;
  private readonly startMs: number;
  private lastEmitMs = Number.NEGATIVE_INFINITY;
  /** (time, lines) at recent emissions, oldest first, for the rate. */
  private readonly samples: { t: number; lines: number }[] = [];

  constructor(private readonly o: ProgressMeterOptions) {
    this.startMs = o.now();
    this.samples.push({ t: this.startMs, lines: 0 });
  }

  /** Emits a `running` event when the last one is at least 200 ms old. */
  tick(): void {
    if (this.o.onProgress === undefined) return;
    const t = this.o.now();
    if (t - this.lastEmitMs < PROGRESS_INTERVAL_MS) return;
    this.emit(t, 'running', this.datasetId, null);
  }

  /** The last event of the job. */
  final(state: JobState, datasetId: number | null, message: string): void {
    if (this.o.onProgress === undefined) return;
    this.emit(this.o.now(), state, datasetId, message);
  }

  private emit(t: number, state: JobState, datasetId: number | null, message: string | null) {
    this.lastEmitMs = t;
    this.samples.push({ t, lines: this.lines });
    while (this.samples.length > 2 && t - this.samples[1].t >= RATE_WINDOW_MS) {
      this.samples.shift();
    }
    const base = this.samples[0];
    const dt = t - base.t;
    const linesPerSec = dt > 0 ? ((this.lines - base.lines) * 1000) / dt : 0;
    const total = this.o.bytesTotal;
    const done = state === 'done';
    const fraction = done ? 1 : total > 0 ? Math.min(1, this.bytesDone / total) : null;
    const elapsed = t - this.startMs;
    const etaMs = done
      ? 0
      : fraction !== null && fraction > 0 && elapsed > 0
        ? Math.max(0, Math.round((elapsed * (1 - fraction)) / fraction))
        : null;
    this.o.onProgress?.({
      jobId: this.o.jobId,
      kind: 'import',
      label: this.o.label,
      state,
      bytesDone: done ? Math.max(this.bytesDone, total) : this.bytesDone,
      bytesTotal: total,
      lines: this.lines,
      linesPerSec: Math.round(linesPerSec),
      fraction,
      etaMs,
      datasetId,
      message,
    });
  }
}
