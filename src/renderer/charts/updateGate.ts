/**
 * Chart update scheduling.
 *
 * UpdateGate paces updates by their cost: an update that fits in a frame (`cheapMs`) runs at
 * once; a costly one (a chart re-processing 100 k bars) holds the next one back `factor` × its
 * cost, so such a chart refreshes a few times a second instead of spending every frame on its
 * data. Requests made meanwhile collapse into one trailing update.
 *
 * FrameShare spreads the charts' updates over animation frames: an update runs at once while the
 * current frame has budget left, else in the next frame (once, however often it was asked for),
 * so two charts updating together do not make one long frame.
 *
 * Clocks, timers and frames are injectable (tests).
 */
import { animationFrameScheduler, type FrameScheduler } from '../state/frameCoalescer';

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

export interface GateOptions {
  factor: number;
  maxDelayMs: number;
  /** Updates whose (smoothed) cost is at most this are not paced. Default 0. */
  cheapMs?: number;
}

/** Charts: updates that fit in a frame run as soon as data arrives; costly ones are spaced. */
export const CHART_GATE: GateOptions = { factor: 3, maxDelayMs: 1500, cheapMs: 16 };

export class UpdateGate {
  private lastRunAt = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;
  /** Smoothed cost of one update, ms. */
  costMs = 0;

  constructor(
    private readonly run: () => void,
    private readonly options: GateOptions = CHART_GATE,
    private readonly clock: GateClock = realClock,
  ) {}

  /** Minimum spacing between two updates, ms. */
  get intervalMs(): number {
    if (this.costMs <= (this.options.cheapMs ?? 0)) return 0;
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

export class FrameShare {
  /** Main-thread ms spent by tasks since the current frame began. */
  private usedMs = 0;
  /** Tasks waiting for a later frame, in request order; each at most once. */
  private readonly waiting = new Set<() => void>();
  private armed = false;

  constructor(
    /** Tasks start while less than this was spent in the frame (the first always runs). */
    private readonly budgetMs = 6,
    private readonly nextFrame: FrameScheduler = animationFrameScheduler,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Runs `task` now when the frame has budget left and nothing is waiting, else later. */
  run(task: () => void): void {
    if (this.waiting.size === 0 && this.usedMs < this.budgetMs) this.exec(task);
    else this.waiting.add(task);
    this.arm();
  }

  /** Forgets a waiting task (its chart is gone). */
  cancel(task: () => void): void {
    this.waiting.delete(task);
  }

  /** Tasks waiting for a later frame (tests). */
  get pending(): number {
    return this.waiting.size;
  }

  private exec(task: () => void): void {
    const startedAt = this.now();
    try {
      task();
    } finally {
      this.usedMs += this.now() - startedAt;
    }
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    this.nextFrame(() => {
      this.armed = false;
      this.usedMs = 0;
      const tasks = [...this.waiting];
      this.waiting.clear();
      for (const task of tasks) {
        if (this.usedMs < this.budgetMs) this.exec(task);
        else this.waiting.add(task);
      }
      if (this.waiting.size > 0 || this.usedMs > 0) this.arm();
    });
  }
}

/** The candle charts' shared frame budget. */
export const chartFrames = new FrameShare();
