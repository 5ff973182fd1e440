/**
 * Running imports and exports (#10): each job has an id the renderer sees (in `transfer` events
 * and results) and an AbortController that `files.cancel` fires; its progress reaches the
 * renderer coalesced to at most 5 events per second, the last one always sent.
 */
import { randomBytes } from 'node:crypto';
import type { TransferProgress } from '../../core/contract/files';

/** Least time between two `transfer` events of one job (200 ms = 5 Hz). */
export const TRANSFER_INTERVAL_MS = 200;

export interface Job {
  id: string;
  kind: TransferProgress['kind'];
  controller: AbortController;
}

/** The jobs running now, by id. */
export class JobTable {
  private readonly jobs = new Map<string, Job>();

  /** A new job with a fresh unguessable id, registered until `finish`. */
  start(kind: TransferProgress['kind']): Job {
    const job: Job = {
      id: `${kind}-${randomBytes(9).toString('base64url')}`,
      kind,
      controller: new AbortController(),
    };
    this.jobs.set(job.id, job);
    return job;
  }

  /** Aborts a running job; false when no job has that id (unknown or already ended). */
  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || job.controller.signal.aborted) return false;
    job.controller.abort();
    return true;
  }

  finish(id: string): void {
    this.jobs.delete(id);
  }

  /** Aborts every running job (shutdown). */
  cancelAll(): void {
    for (const job of this.jobs.values()) job.controller.abort();
  }

  get size(): number {
    return this.jobs.size;
  }
}

/**
 * Coalesces one job's progress: the first report goes out at once, later ones at most every
 * `intervalMs` (the newest wins; a pending one is sent when the interval is over), and `end`
 * sends the final report at once, dropping anything pending.
 */
export class ProgressRelay {
  private lastSentMs = Number.NEGATIVE_INFINITY;
  private pending: TransferProgress | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly send: (progress: TransferProgress) => void,
    private readonly intervalMs = TRANSFER_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The newest report so far (sent or pending), for building the final one. */
  latest: TransferProgress | null = null;

  push(progress: TransferProgress): void {
    if (this.ended) return;
    this.latest = progress;
    const wait = this.lastSentMs + this.intervalMs - this.now();
    if (wait <= 0 && this.timer === null) {
      this.emit(progress);
      return;
    }
    this.pending = progress;
    if (this.timer === null) {
      this.timer = setTimeout(
        () => {
          this.timer = null;
          const next = this.pending;
          this.pending = null;
          if (next && !this.ended) this.emit(next);
        },
        Math.max(0, wait),
      );
      this.timer.unref();
    }
  }

  /** Sends the last report of the job now; later pushes are ignored. */
  end(progress: TransferProgress): void {
    if (this.ended) return;
    this.ended = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    this.latest = progress;
    this.emit(progress);
  }

  private emit(progress: TransferProgress): void {
    this.lastSentMs = this.now();
    this.send(progress);
  }
}
