/**
 * Value checks for decoded ticks (the decoder has already checked representation): price and
 * quantity finite and > 0, known symbol, plausible trade/event times, integer trade id ≥ 0, and
 * no duplicate (symbol, stream, trade id).
 */
import type { Rejection, Tick, TradeStream } from '../market/types';
import { clip, quoteClipped } from './clip';

/** 2017-01-01T00:00:00Z in ms: before Binance launched, so any earlier trade time is wrong. */
export const DEFAULT_MIN_TIME_MS = Date.UTC(2017, 0, 1);
/** 24 h: a trade time further ahead of the local wall clock is not a clock skew, it is bad data. */
export const DEFAULT_MAX_AHEAD_MS = 24 * 60 * 60 * 1000;
/** Default dedup window: the last 2^16 ids below each (symbol, stream) high-water mark. */
export const DEFAULT_DEDUP_WINDOW = 1 << 16;

/** Syntax accepted for any symbol when no symbol list is in use. */
export const SYMBOL_PATTERN = /^[A-Z0-9]{2,30}$/;

export interface TickValidatorOptions {
  /**
   * Known symbols (upper-cased). When absent or empty, any symbol matching `SYMBOL_PATTERN` is
   * accepted until `addSymbol` is first called; from then on only listed symbols are.
   */
  symbols?: Iterable<string>;
  /** Earliest plausible trade/event time, ms UTC. Default 2017-01-01. */
  minTimeMs?: number;
  /** How far (ms) a trade/event time may lie ahead of `now()`. Default 24 h. */
  maxAheadMs?: number;
  /** Wall clock, ms UTC. Default `Date.now`. */
  now?: () => number;
  /**
   * Ids remembered per (symbol, stream) below the highest id seen; a power of two ≥ 32.
   * Memory: window/8 bytes per (symbol, stream) — 8 KiB at the default.
   */
  dedupWindow?: number;
}

/** Only plain market trades belong in OHLCV bars; insurance-fund and ADL fills are stored only. */
export function isBarEligible(tick: Tick): boolean {
  return tick.tradeType === 'MARKET';
}

/** Outcomes of `IdWindow.observe`. */
const SEEN_NEW = 0;
const SEEN_DUPLICATE = 1;
const SEEN_TOO_LATE = 2;
type Seen = typeof SEEN_NEW | typeof SEEN_DUPLICATE | typeof SEEN_TOO_LATE;

/**
 * Exact duplicate detection with bounded memory for one (symbol, stream): the highest id seen
 * (`max`) plus a ring bitmap of the ids in (max − size, max]. An id in the window is a duplicate
 * iff its bit is set. An id ≤ max − size is older than the window: we can no longer tell whether
 * it was seen, and accepting it could double-count, so it is reported as too late.
 */
class IdWindow {
  private max = -1;
  private readonly bits: Uint32Array;
  private readonly size: number;

  constructor(size: number) {
    this.size = size;
    this.bits = new Uint32Array(size >>> 5);
  }

  /** Records `id` (a safe integer ≥ 0) and says whether it was new. */
  observe(id: number): Seen {
    const max = this.max;
    if (id > max) {
      if (max < 0 || id - max >= this.size) {
        this.bits.fill(0);
      } else {
        // Slots of ids max+1 … id−1 held ids that just fell out of the window: clear them.
        for (let k = max + 1; k < id; k++) this.clear(k);
      }
      this.set(id);
      this.max = id;
      return SEEN_NEW;
    }
    if (max - id >= this.size) return SEEN_TOO_LATE;
    // ToUint32 reduces modulo 2^32 exactly and size divides 2^32, so this is id mod size.
    const slot = (id >>> 0) & (this.size - 1);
    const word = slot >>> 5;
    const mask = 1 << (slot & 31);
    if ((this.bits[word] & mask) !== 0) return SEEN_DUPLICATE;
    this.bits[word] |= mask;
    return SEEN_NEW;
  }

  private set(id: number): void {
    const slot = (id >>> 0) & (this.size - 1);
    this.bits[slot >>> 5] |= 1 << (slot & 31);
  }

  private clear(id: number): void {
    const slot = (id >>> 0) & (this.size - 1);
    this.bits[slot >>> 5] &= ~(1 << (slot & 31));
  }
}

interface SymbolDedup {
  aggTrade: IdWindow | null;
  trade: IdWindow | null;
}

/** Bound on the cache of pattern-checked symbols in open mode, so junk symbols cannot grow it. */
const MAX_CACHED_SYMBOLS = 4096;

function isoOrRaw(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : `${ms} (${d.toISOString()})`;
}

export class TickValidator {
  private readonly known = new Set<string>();
  private restricted: boolean;
  private readonly patternOk = new Set<string>();
  private readonly minTimeMs: number;
  private readonly maxAheadMs: number;
  private readonly now: () => number;
  private readonly windowSize: number;
  private readonly dedup = new Map<string, SymbolDedup>();
  /**
   * `now() + maxAheadMs` at the last clock reading. The clock is read only when a time exceeds
   * it (saves a `Date.now()` per tick): for a non-decreasing clock the cached limit is ≤ the
   * current one, so accepting below it is exact, and every rejection re-reads the clock. A clock
   * stepped backwards keeps the older, later limit until a time exceeds it.
   */
  private aheadLimit = -Infinity;

  constructor(options: TickValidatorOptions = {}) {
    if (options.symbols !== undefined) {
      for (const s of options.symbols) this.known.add(s.toUpperCase());
    }
    this.restricted = this.known.size > 0;
    this.minTimeMs = options.minTimeMs ?? DEFAULT_MIN_TIME_MS;
    this.maxAheadMs = options.maxAheadMs ?? DEFAULT_MAX_AHEAD_MS;
    this.now = options.now ?? Date.now;
    const w = options.dedupWindow ?? DEFAULT_DEDUP_WINDOW;
    if (!Number.isInteger(w) || w < 32 || w > 2 ** 30 || (w & (w - 1)) !== 0) {
      throw new RangeError(`dedupWindow must be a power of two in [32, 2^30], got ${w}`);
    }
    this.windowSize = w;
  }

  /** Starts accepting `symbol` (live subscribe). Switches the validator to list mode. */
  addSymbol(symbol: string): void {
    this.known.add(symbol.toUpperCase());
    this.restricted = true;
  }

  /**
   * Stops accepting `symbol` (live unsubscribe). Its dedup state is kept, so a re-subscribe that
   * replays recent trades still catches the duplicates.
   */
  removeSymbol(symbol: string): void {
    this.known.delete(symbol.toUpperCase());
  }

  /** Whether ticks for `symbol` would pass the symbol check. */
  acceptsSymbol(symbol: string): boolean {
    if (this.restricted) return this.known.has(symbol);
    if (this.patternOk.has(symbol)) return true;
    if (!SYMBOL_PATTERN.test(symbol)) return false;
    if (this.patternOk.size < MAX_CACHED_SYMBOLS) this.patternOk.add(symbol);
    return true;
  }

  /**
   * Checks `tick`; returns null when it is valid (and records its id for dedup), else the first
   * failed check. A rejected tick does not mark its id as seen.
   */
  validate(tick: Tick): Rejection | null {
    const price = tick.price;
    if (!(price > 0 && price < Infinity)) {
      return {
        reason: 'bad_price',
        field: 'p',
        message: `price "${clip(tick.priceText)}" is not a finite number > 0`,
      };
    }
    const qty = tick.qty;
    if (!(qty > 0 && qty < Infinity)) {
      return {
        reason: 'bad_qty',
        field: 'q',
        message: `quantity "${clip(tick.qtyText)}" is not a finite number > 0`,
      };
    }
    const symbol = tick.symbol;
    if (!this.acceptsSymbol(symbol)) {
      return {
        reason: 'unknown_symbol',
        field: 's',
        message: this.restricted
          ? `symbol ${quoteClipped(symbol)} is not subscribed`
          : `symbol ${quoteClipped(symbol)} is not 2-30 upper-case letters/digits`,
      };
    }
    const t = tick.timeMs;
    const e = tick.eventTimeMs;
    if (!(Number.isSafeInteger(t) && t >= this.minTimeMs)) {
      return this.tooEarly(t, 'T', 'trade time');
    }
    if (!(Number.isSafeInteger(e) && e >= this.minTimeMs)) {
      return this.tooEarly(e, 'E', 'event time');
    }
    if (t > this.aheadLimit || e > this.aheadLimit) {
      // Cached limit exceeded: consult the clock (rejections always use a fresh reading).
      const nowMs = this.now();
      this.aheadLimit = nowMs + this.maxAheadMs;
      if (t > this.aheadLimit) return this.tooFarAhead(t, nowMs, 'T', 'trade time');
      if (e > this.aheadLimit) return this.tooFarAhead(e, nowMs, 'E', 'event time');
    }

    const id = tick.tradeId;
    const idField = tick.stream === 'aggTrade' ? 'a' : 't';
    if (!(Number.isSafeInteger(id) && id >= 0)) {
      return {
        reason: 'bad_trade_id',
        field: idField,
        message: `trade id ${id} is not an integer >= 0`,
      };
    }

    const seen = this.window(symbol, tick.stream).observe(id);
    if (seen === SEEN_NEW) return null;
    return seen === SEEN_DUPLICATE
      ? {
          reason: 'duplicate',
          field: idField,
          message: `${symbol} ${tick.stream} id ${id} was already received`,
        }
      : {
          reason: 'too_late',
          field: idField,
          message: `${symbol} ${tick.stream} id ${id} is more than ${this.windowSize} ids behind the newest; cannot rule out a duplicate`,
        };
  }

  private tooEarly(t: number, field: 'T' | 'E', what: string): Rejection {
    return {
      reason: 'implausible_time',
      field,
      message: Number.isSafeInteger(t)
        ? `${what} ${isoOrRaw(t)} is before ${isoOrRaw(this.minTimeMs)}`
        : `${what} ${t} is not integer milliseconds`,
    };
  }

  private tooFarAhead(t: number, nowMs: number, field: 'T' | 'E', what: string): Rejection {
    return {
      reason: 'implausible_time',
      field,
      message: `${what} ${isoOrRaw(t)} is more than ${this.maxAheadMs} ms ahead of the local clock ${isoOrRaw(nowMs)}`,
    };
  }

  private window(symbol: string, stream: TradeStream): IdWindow {
    let state = this.dedup.get(symbol);
    if (state === undefined) {
      state = { aggTrade: null, trade: null };
      this.dedup.set(symbol, state);
    }
    let w = state[stream];
    if (w === null) {
      w = new IdWindow(this.windowSize);
      state[stream] = w;
    }
    return w;
  }
}
