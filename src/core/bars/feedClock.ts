/**
 * The feed's clock: exchange event time, carried forward by the local monotonic clock while the
 * feed is quiet. Bars are closed by this clock, not by wall time, so a replay of any date at any
 * speed closes bars exactly as the live feed did, and local wall-clock skew never matters.
 *
 * Units: all times in milliseconds. `eventTimeMs` is exchange epoch time (Binance `E`);
 * `localNowMs` is a local MONOTONIC clock (e.g. performance.now()), only its differences are used.
 *
 * End of a source: once {@link FeedClock.end} is called (the replay ended, ingestion stopped) the
 * clock no longer runs on local time; `now()` is +∞ = "every interval is final, no event will
 * come". Consumers already read +∞ as the end: the aggregator closes every bar, the live aligner
 * finishes at the last interval in which a leg traded. Carrying the clock forward after the end
 * would invent quiet intervals (one forward-filled row per wall-clock second) that the source
 * never had.
 */
export class FeedClock {
  private lastEventMs = Number.NEGATIVE_INFINITY;
  private localAtLastEventMs = 0;
  /** Highest value returned so far: the clock never goes backwards. */
  private floorMs = Number.NEGATIVE_INFINITY;
  private endedFlag = false;

  /**
   * Records an exchange event seen at local time `localNowMs`. Only a newer event time re-anchors
   * the clock; older ones (out-of-order streams) are ignored.
   */
  observe(eventTimeMs: number, localNowMs: number): void {
    if (this.endedFlag) return;
    if (eventTimeMs >= this.lastEventMs) {
      this.lastEventMs = eventTimeMs;
      this.localAtLastEventMs = localNowMs;
    }
  }

  /**
   * Feed time now (ms) = lastEventTime + (localNowMs − localNowAtLastEvent), clamped so it never
   * decreases (a new event behind the carried-forward value holds the clock until it catches up).
   * −Infinity before the first observed event; +Infinity once the source ended ({@link end}).
   */
  now(localNowMs: number): number {
    if (this.endedFlag) return Number.POSITIVE_INFINITY;
    const elapsed = localNowMs - this.localAtLastEventMs;
    const t = this.lastEventMs + (elapsed > 0 ? elapsed : 0);
    if (t > this.floorMs) this.floorMs = t;
    return this.floorMs;
  }

  /**
   * The source is finished: from now on `now()` is +∞ and later events are ignored. Idempotent.
   */
  end(): void {
    this.endedFlag = true;
    this.floorMs = Number.POSITIVE_INFINITY;
  }

  /** Whether {@link end} was called. */
  get ended(): boolean {
    return this.endedFlag;
  }

  /** Latest observed exchange event time (ms), −Infinity before the first. */
  get lastEventTimeMs(): number {
    return this.lastEventMs;
  }
}
