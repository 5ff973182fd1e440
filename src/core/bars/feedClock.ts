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

/**
 * Plausibility bounds of a tick's trade/event time against the clocks (see
 * {@link FeedClock.implausible}):
 * - more than 1 h BEHIND the feed clock: a stale or forged time. The aggregator's 10-min revision
 *   horizon rejects such ticks for symbols it tracks; this also covers the first tick of a symbol
 *   and, on a live feed, the very first ticks (a live exchange's clock is the wall clock);
 * - on a live feed, more than 5 min AHEAD of the local wall clock: it would drag the feed clock
 *   (and every bar's closing) into the future. 5 min, not less: a badly synchronised local clock
 *   must not make every genuine tick look forged, and it stays inside the 10-min revision horizon,
 *   so a tick just under the bound cannot make the genuine ticks after it "too late".
 */
export const MAX_BEHIND_FEED_CLOCK_MS = 60 * 60 * 1000;
export const MAX_AHEAD_OF_WALL_CLOCK_MS = 5 * 60 * 1000;

/** Why a time is implausible against the clocks (field T = trade time, E = event time). */
export interface ClockRejection {
  reason: 'implausible_time';
  field: 'T' | 'E';
  message: string;
}

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

  /**
   * Checks a tick's trade time `timeMs` and event time `eventTimeMs` before it is observed:
   * implausible when t < ref − MAX_BEHIND_FEED_CLOCK_MS, with ref = the feed time now (−∞ before
   * the first event) or, for a live feed (`wallNowMs` given), max(feed time, wall time); or, for a
   * live feed, when t > wallNowMs + MAX_AHEAD_OF_WALL_CLOCK_MS. Null when plausible. A replay
   * passes no wall time: its dates are the capture's, only its own clock judges them.
   */
  implausible(
    timeMs: number,
    eventTimeMs: number,
    localNowMs: number,
    wallNowMs?: number,
  ): ClockRejection | null {
    if (this.endedFlag) return null;
    const feed = this.now(localNowMs);
    const ref = wallNowMs === undefined ? feed : Math.max(feed, wallNowMs);
    const floor = ref - MAX_BEHIND_FEED_CLOCK_MS;
    const ceiling = wallNowMs === undefined ? Infinity : wallNowMs + MAX_AHEAD_OF_WALL_CLOCK_MS;
    for (const [t, field, what] of [
      [timeMs, 'T', 'trade time'],
      [eventTimeMs, 'E', 'event time'],
    ] as const) {
      if (t < floor) {
        return {
          reason: 'implausible_time',
          field,
          message: `${what} ${iso(t)} is more than 1 h behind the ${
            ref === feed ? 'feed clock' : 'local clock'
          } ${iso(ref)}`,
        };
      }
      if (t > ceiling) {
        return {
          reason: 'implausible_time',
          field,
          message: `${what} ${iso(t)} is more than 5 min ahead of the local clock ${iso(wallNowMs ?? NaN)}`,
        };
      }
    }
    return null;
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

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}
