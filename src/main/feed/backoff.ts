/** Exponential backoff with "full jitter" (AWS architecture blog): delay = U(0, min(max, base·f^n)). */
export interface BackoffOptions {
  /** Ceiling of the first retry's delay window (ms). Default 500. */
  initialMs: number;
  /** Largest delay window (ms). Default 30 000. */
  maxMs: number;
  /** Growth per consecutive failure. Default 2. */
  factor: number;
  /**
   * A connection that has delivered data for at least this long (ms) is "healthy": its loss
   * starts the backoff sequence again from attempt 0. Default 30 000.
   */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = {
  initialMs: 500,
  maxMs: 30_000,
  factor: 2,
  resetAfterMs: 30_000,
};

/** Upper bound of the delay window for the given 0-based consecutive-failure count. */
export function backoffCeilingMs(attempt: number, opts: BackoffOptions): number {
  const exp = opts.initialMs * Math.pow(opts.factor, Math.max(0, attempt));
  return Math.min(opts.maxMs, Number.isFinite(exp) ? exp : opts.maxMs);
}

/** Full-jitter delay; `random` returns values in [0, 1). */
export function backoffDelayMs(
  attempt: number,
  opts: BackoffOptions,
  random: () => number,
): number {
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * backoffCeilingMs(attempt, opts));
}
