/**
 * OS-notification throttle (issue #9): at most one notification per rule key (e.g.
 * `${pair}|${timeframe}|${rule}`) per interval (NOTIFY_INTERVAL_MS = 60 s). Events inside the
 * interval are not shown but counted, so the next notification — or a summary flushed once the
 * interval has passed — can say "3 more breaches since …". Every event still goes to the alert
 * history; this only limits what pops up on the desktop. Time is injected (no clock in core).
 */
import { NOTIFY_INTERVAL_MS } from './types';

export type ThrottleDecision = { notify: true; grouped: number } | { notify: false };

/** A key whose suppressed events are due for a grouped summary. */
export interface PendingGroup {
  key: string;
  /** Events suppressed since the key's last notification. */
  grouped: number;
  /** Wall-clock ms of that last notification. */
  sinceMs: number;
}

interface KeyState {
  lastNotifiedMs: number;
  suppressed: number;
}

export class NotificationThrottle {
  private readonly keys = new Map<string, KeyState>();

  /** @param intervalMs minimum ms between two notifications of one key (default 60 000). */
  constructor(private readonly intervalMs: number = NOTIFY_INTERVAL_MS) {
    if (!(intervalMs >= 0) || !Number.isFinite(intervalMs)) {
      throw new RangeError(`intervalMs must be a finite number ≥ 0, got ${intervalMs}`);
    }
  }

  /**
   * One event of `key` at `nowMs`: notify when the key never notified or its last notification
   * is ≥ intervalMs old — `grouped` is then the count suppressed since that notification (reset
   * to 0) — else suppress and count it. A clock stepped back counts as inside the interval.
   */
  offer(key: string, nowMs: number): ThrottleDecision {
    const s = this.keys.get(key);
    if (s === undefined) {
      this.keys.set(key, { lastNotifiedMs: nowMs, suppressed: 0 });
      return { notify: true, grouped: 0 };
    }
    if (nowMs - s.lastNotifiedMs >= this.intervalMs) {
      const grouped = s.suppressed;
      s.lastNotifiedMs = nowMs;
      s.suppressed = 0;
      return { notify: true, grouped };
    }
    s.suppressed++;
    return { notify: false };
  }

  /**
   * Keys with suppressed events whose interval has passed at `nowMs` (a grouped summary may be
   * shown for them now). Read-only; see flush.
   */
  pending(nowMs: number): PendingGroup[] {
    const out: PendingGroup[] = [];
    for (const [key, s] of this.keys) {
      if (s.suppressed > 0 && nowMs - s.lastNotifiedMs >= this.intervalMs) {
        out.push({ key, grouped: s.suppressed, sinceMs: s.lastNotifiedMs });
      }
    }
    return out;
  }

  /**
   * pending(nowMs), and marks each as notified at `nowMs` (count reset): the caller shows one
   * grouped notification per returned key, which then starts a new interval for it.
   */
  flush(nowMs: number): PendingGroup[] {
    const due = this.pending(nowMs);
    for (const g of due) {
      const s = this.keys.get(g.key);
      if (s !== undefined) {
        s.lastNotifiedMs = nowMs;
        s.suppressed = 0;
      }
    }
    return due;
  }

  /** Forgets a key (e.g. its pair was closed): its next event notifies at once. */
  forget(key: string): void {
    this.keys.delete(key);
  }
}
