/**
 * Batches bursty events so that each panel's store is updated at most once per animation frame:
 * `push(panel, event)` buffers; one scheduled flush hands every panel its events, in arrival
 * order, in a single `apply(panel, events)` call. The scheduler is injectable so the logic is
 * testable without a browser.
 */

/** Schedules `run` once (e.g. on the next animation frame); returns a cancel function. */
export type FrameScheduler = (run: () => void) => () => void;

export class FrameCoalescer<P extends string, E> {
  private readonly buffers = new Map<P, E[]>();
  private cancel: (() => void) | null = null;
  private scheduled = false;
  private disposed = false;
  /** Number of flushes so far (diagnostics and tests). */
  flushes = 0;

  constructor(
    private readonly scheduler: FrameScheduler,
    private readonly apply: (panel: P, events: E[]) => void,
    /** Panels applied first, in this order, whatever order their events came in. */
    private readonly order: readonly P[] = [],
  ) {}

  push(panel: P, event: E): void {
    if (this.disposed) return;
    let buffer = this.buffers.get(panel);
    if (!buffer) {
      buffer = [];
      this.buffers.set(panel, buffer);
    }
    buffer.push(event);
    if (!this.scheduled) {
      this.scheduled = true;
      const cancel = this.scheduler(() => this.flush());
      // A synchronous scheduler has already flushed; nothing is left to cancel.
      if (this.scheduled) this.cancel = cancel;
    }
  }

  /** Events waiting for the next flush (all panels). */
  get pending(): number {
    let n = 0;
    for (const buffer of this.buffers.values()) n += buffer.length;
    return n;
  }

  /** Applies everything buffered now (also what the scheduled frame does). */
  flush(): void {
    this.scheduled = false;
    if (this.cancel) {
      const cancel = this.cancel;
      this.cancel = null;
      cancel();
    }
    if (this.buffers.size === 0) return;
    const batches = [...this.buffers];
    this.buffers.clear();
    if (this.order.length > 0) {
      const rank = (panel: P) => {
        const i = this.order.indexOf(panel);
        return i < 0 ? this.order.length : i;
      };
      batches.sort((a, b) => rank(a[0]) - rank(b[0]));
    }
    this.flushes += 1;
    for (const [panel, events] of batches) this.apply(panel, events);
  }

  /** Drops buffered events and stops scheduling. */
  dispose(): void {
    this.disposed = true;
    this.buffers.clear();
    this.scheduled = false;
    if (this.cancel) {
      this.cancel();
      this.cancel = null;
    }
  }
}

/**
 * The browser scheduler: the next animation frame, with a timer fallback because hidden windows
 * get no animation frames and the buffers must not grow without bound.
 */
export const animationFrameScheduler: FrameScheduler = (run) => {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    run();
  };
  const frame = requestAnimationFrame(once);
  const timer = setTimeout(once, 250);
  return () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
};

/** Applies at once (tests and non-browser use). */
export const immediateScheduler: FrameScheduler = (run) => {
  run();
  return () => {};
};
