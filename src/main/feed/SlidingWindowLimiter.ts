/**
 * Strict sliding-window rate limiter: at most `limit` events in any window of `windowMs`.
 * Used per connection for outgoing control frames; pongs are recorded too because Binance counts
 * them against the same 10 messages/s incoming limit.
 */
export class SlidingWindowLimiter {
  private readonly times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1_000,
  ) {
    if (!(limit >= 1)) throw new RangeError(`rate limit must be >= 1, got ${limit}`);
  }

  /** Records an event (sent message or pong) at `now`. */
  record(now: number): void {
    this.times.push(now);
    this.prune(now);
  }

  /** Milliseconds until one more event may be recorded (0 = now). */
  waitMs(now: number): number {
    this.prune(now);
    if (this.times.length < this.limit) return 0;
    // The oldest event in the window must leave it; +1 keeps the window strictly below limit.
    const oldest = this.times[this.times.length - this.limit];
    return Math.max(0, oldest + this.windowMs - now + 1);
  }

  /** Events counted in the window ending at `now`. */
  count(now: number): number {
    this.prune(now);
    return this.times.length;
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.times.length && this.times[drop] <= cutoff) drop++;
    if (drop > 0) this.times.splice(0, drop);
  }
}
