/**
 * A monotonic clock (ms) that stands still while paused: performance.now() minus the time spent
 * paused. A paused replay hands it to its ingestion pipeline so the feed clock, which carries the
 * last event time forward on local time, does not run on while nothing is sent — otherwise a
 * long pause would close bars early and make the ticks after it look hours late.
 */
import { performance } from 'node:perf_hooks';

export class PausableClock {
  private pausedTotalMs = 0;
  private pausedAtMs: number | null = null;

  constructor(private readonly wall: () => number = () => performance.now()) {}

  /** ms: the wall clock less every pause (frozen at the pause's start while paused). */
  now(): number {
    const at = this.pausedAtMs ?? this.wall();
    return at - this.pausedTotalMs;
  }

  get paused(): boolean {
    return this.pausedAtMs !== null;
  }

  pause(): void {
    this.pausedAtMs ??= this.wall();
  }

  resume(): void {
    if (this.pausedAtMs === null) return;
    this.pausedTotalMs += this.wall() - this.pausedAtMs;
    this.pausedAtMs = null;
  }
}
