/**
 * Counts rejections by reason and keeps the most recent ones with enough context to answer
 * "which line, which field, why".
 */
import type { RejectReason, Rejection } from '../market/types';
import { clip, MAX_MESSAGE_CHARS } from './clip';

/** Every reason once; typed as a Record so adding a RejectReason without listing it fails tsc. */
const REASON_KEYS: Readonly<Record<RejectReason, true>> = {
  malformed_json: true,
  unknown_message: true,
  missing_field: true,
  bad_price: true,
  bad_qty: true,
  bad_trade_id: true,
  unknown_symbol: true,
  implausible_time: true,
  duplicate: true,
  too_late: true,
};

/** All reject reasons, in a fixed order (for tables and reports). */
export const REJECT_REASONS: readonly RejectReason[] = Object.keys(REASON_KEYS) as RejectReason[];

/** Where a rejected input came from. */
export interface RejectContext {
  /** Input label, e.g. a file name or `live:btcusdt@aggTrade`. */
  source?: string;
  /** 1-based line number within `source`, when known. */
  line?: number;
  /** The offending input; stored truncated to `excerptChars`. */
  raw?: string;
}

/** One remembered rejection. */
export interface RejectRecord extends Rejection {
  /** 1-based position among all rejections counted (so gaps show how many were dropped). */
  seq: number;
  source?: string;
  line?: number;
  excerpt?: string;
}

function zeroCounts(): Record<RejectReason, number> {
  const out = {} as Record<RejectReason, number>;
  for (const r of REJECT_REASONS) out[r] = 0;
  return out;
}

export class RejectCounter {
  private counts: Record<RejectReason, number> = zeroCounts();
  private count = 0;
  /** Ring buffer of the last `keepLast` records; `next` is the slot to overwrite. */
  private readonly ring: RejectRecord[] = [];
  private next = 0;

  /**
   * @param keepLast how many recent rejections to keep (≥ 0)
   * @param excerptChars max characters of `raw` kept per record
   */
  constructor(
    private readonly keepLast = 20,
    private readonly excerptChars = 200,
  ) {
    if (!Number.isInteger(keepLast) || keepLast < 0) {
      throw new RangeError(`keepLast must be an integer >= 0, got ${keepLast}`);
    }
  }

  /** Counts `rejection` and remembers it with `context`. */
  add(rejection: Rejection, context?: RejectContext): void {
    this.counts[rejection.reason]++;
    this.count++;
    if (this.keepLast === 0) return;
    // Kept records hold detached, bounded copies: a record must not pin a huge input frame.
    const rec: RejectRecord = {
      seq: this.count,
      ...rejection,
      message: clip(rejection.message, MAX_MESSAGE_CHARS),
    };
    if (context?.source !== undefined) rec.source = context.source;
    if (context?.line !== undefined) rec.line = context.line;
    if (context?.raw !== undefined) {
      rec.excerpt = clip(context.raw, this.excerptChars);
    }
    if (this.ring.length < this.keepLast) {
      this.ring.push(rec);
    } else {
      this.ring[this.next] = rec;
    }
    this.next = (this.next + 1) % this.keepLast;
  }

  /** Rejections counted under `reason`. */
  countOf(reason: RejectReason): number {
    return this.counts[reason];
  }

  /** Rejections counted in all. */
  get total(): number {
    return this.count;
  }

  /** Counts per reason (every reason present, zeros included); a copy. */
  snapshot(): Record<RejectReason, number> {
    return { ...this.counts };
  }

  /** The remembered rejections, oldest first; a copy. */
  recent(): RejectRecord[] {
    if (this.ring.length < this.keepLast) return this.ring.slice();
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  /** Forgets all counts and records. */
  reset(): void {
    this.counts = zeroCounts();
    this.count = 0;
    this.ring.length = 0;
    this.next = 0;
  }
}
