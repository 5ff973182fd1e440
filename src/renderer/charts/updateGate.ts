/**
 * Paces chart updates by their cost: the next update may start only `factor` × (the cost of
 * the last one) after it, so a chart holding 100 k bars refreshes a few times a second instead
 * of spending every frame re-processing its data, while small charts update every frame.
 * Requests made meanwhile collapse into one trailing update. Clock and timers are injectable.
 */
export interface GateClock {
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const realClock: GateClock = {
  now: () => performance.now(),
  setTimer: (run, ms) => setTimeout(run, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class UpdateGate {
  private lastRunAt = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;
  /** Smoothed cost of one update, ms. */
  costMs = 0;

  constructor(
    private readonly run: () => void,
    private readonly options: { factor: number; maxDelayMs: number } = {
      factor: 3,
      maxDelayMs: 1500,
    },
    private readonly clock: GateClock = realClock,
  ) {}

  /** Minimum spacing between two updates, ms. */
  get intervalMs(): number {
    return Math.min(this.options.maxDelayMs, this.costMs * this.options.factor);
  }

  request(): void {
    if (this.timer !== null) return;
    const wait = this.lastRunAt + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.fire();
    }, wait);
  }

  /** Reports what the last update cost (smoothed). */
  recordCost(ms: number): void {
    this.costMs = this.costMs === 0 ? ms : this.costMs * 0.6 + ms * 0.4;
  }

  dispose(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.lastRunAt = this.clock.now();
    this.run();
  }
}

/**
 * Measures how long an update blocked the page: from the update to the next animation frame
 * (ECharts renders lazily in that frame, before our callback), minus one frame of waiting.
 */
export function measureUntilNextFrame(gate: UpdateGate, startedAt: number): void {
  requestAnimationFrame(() => gate.recordCost(Math.max(0, performance.now() - startedAt - 16)));
}
