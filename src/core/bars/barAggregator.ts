/**
 * Incremental OHLCV bar aggregator: ticks → base bars (1 s) → exact roll-ups (1 m, 5 m, any
 * multiple of 1 s), for many symbols, with late-tick revisions and closing by the feed clock.
 *
 * Exactness contract: every bar delivered through {@link BarSink} equals the OHLCV computed directly
 * from the set of ticks of its interval, bit for bit, whatever the arrival order:
 * open/close = price of the first/last tick by (timeMs, tradeId); high/low = max/min price;
 * volume = Σqty, quoteVolume = Σprice·qty, takerBuyVolume = Σqty over isBuyerMaker === false, each
 * the correctly rounded EXACT sum ({@link ExactSum}); vwap = quoteVolume / volume (of those rounded
 * values). Roll-ups merge the base bars' exact partials, never their rounded values.
 *
 * Closing: a bar [start, end) of a symbol closes once that symbol's watermark reaches its end,
 * watermark = max(latest trade time seen for the symbol, feedNow − graceMs). So it closes when a
 * tick of a later interval arrives, or when the feed clock passes end + graceMs (quiet symbols).
 * Closing is emitted once per (symbol, timeframe, start) via onBarClosed.
 *
 * Late ticks: a tick in an already-closed interval with timeMs ≥ watermark − horizonMs is added,
 * and every affected closed bar is re-emitted via onBarRevised (or onBarClosed if that interval had
 * no bar yet). Older ticks are rejected with reason 'too_late' and change nothing. Closed bars are
 * retained until their end ≤ watermark − horizonMs, then evicted, so memory is bounded by the
 * horizon; an idle symbol's state is dropped entirely by {@link BarAggregator.advance}.
 *
 * Duplicates are NOT detected here (a per-bar id set would cost a hash insert per tick): the
 * pipeline's validator drops duplicate trade ids first; a duplicate reaching this would be counted
 * twice. Non-MARKET trades (insurance fund, ADL) are ignored defensively (returns null, no bar).
 *
 * Pure: no Node, Electron or DOM.
 */
import type { Bar, Rejection, Tick } from '../market/types';
import { ExactSum } from './exactSum';

/**
 * Receives final bars. Called synchronously from {@link BarAggregator.add} / `advance`, base
 * timeframe first, then larger ones. Bars passed in are fresh objects the sink may keep.
 */
export interface BarSink {
  /** `bar` became final; called exactly once per (symbol, timeframeMs, startMs). */
  onBarClosed(bar: Bar): void;
  /** A late tick changed a final bar; `bar` replaces the one delivered before (same key). */
  onBarRevised(bar: Bar): void;
  /**
   * Optional per-accepted-tick hook, for "in-progress bar changed" notifications. It gets only
   * the symbol (no allocation on the 20k ticks/s path): mark the symbol dirty and pull
   * {@link BarAggregator.current} when the UI coalesces (e.g. once per animation frame).
   */
  onTick?(symbol: string): void;
}

export interface BarAggregatorOptions {
  /** How long after an interval's end the feed clock waits before closing it (ms). Default 250. */
  graceMs?: number;
  /**
   * Late-tick retention horizon (ms): ticks older than watermark − horizonMs are rejected as
   * 'too_late'; closed bars are kept this long for revisions. Default max(10 min, largest
   * timeframe); must be ≥ the largest timeframe.
   */
  horizonMs?: number;
}

/** Default timeframes: 1 s, 1 m, 5 m. */
export const DEFAULT_TIMEFRAMES_MS: readonly number[] = [1_000, 60_000, 300_000];
export const DEFAULT_GRACE_MS = 250;
export const DEFAULT_HORIZON_MS = 600_000;

/** Recycled accumulators kept per aggregator (bounded so a burst does not pin memory). */
const POOL_LIMIT = 4096;

/** Mutable accumulator of one interval; reused through a pool. */
class Acc {
  startMs = 0;
  endMs = 0;
  open = 0;
  openT = 0;
  openId = 0;
  close = 0;
  closeT = 0;
  closeId = 0;
  high = Number.NEGATIVE_INFINITY;
  low = Number.POSITIVE_INFINITY;
  trades = 0;
  closed = false;
  readonly volume = new ExactSum();
  readonly quoteVolume = new ExactSum();
  readonly takerBuyVolume = new ExactSum();

  reset(startMs: number, endMs: number): void {
    this.startMs = startMs;
    this.endMs = endMs;
    this.high = Number.NEGATIVE_INFINITY;
    this.low = Number.POSITIVE_INFINITY;
    this.trades = 0;
    this.closed = false;
    this.volume.reset();
    this.quoteVolume.reset();
    this.takerBuyVolume.reset();
  }

  /** Folds one trade in. First/last are by (timeMs, tradeId), so arrival order is irrelevant. */
  addTrade(price: number, qty: number, timeMs: number, tradeId: number, takerBuy: boolean): void {
    if (this.trades === 0) {
      this.open = this.close = this.high = this.low = price;
      this.openT = this.closeT = timeMs;
      this.openId = this.closeId = tradeId;
    } else {
      if (timeMs < this.openT || (timeMs === this.openT && tradeId < this.openId)) {
        this.open = price;
        this.openT = timeMs;
        this.openId = tradeId;
      }
      if (timeMs > this.closeT || (timeMs === this.closeT && tradeId > this.closeId)) {
        this.close = price;
        this.closeT = timeMs;
        this.closeId = tradeId;
      }
      if (price > this.high) this.high = price;
      if (price < this.low) this.low = price;
    }
    this.trades++;
    this.volume.add(qty);
    this.quoteVolume.addProduct(price, qty);
    if (takerBuy) this.takerBuyVolume.add(qty);
  }

  /** Folds another accumulator in (exact: merges partials). Interval bounds are not touched. */
  merge(o: Acc): void {
    if (o.trades === 0) return;
    if (this.trades === 0) {
      this.open = o.open;
      this.openT = o.openT;
      this.openId = o.openId;
      this.close = o.close;
      this.closeT = o.closeT;
      this.closeId = o.closeId;
      this.high = o.high;
      this.low = o.low;
    } else {
      if (o.openT < this.openT || (o.openT === this.openT && o.openId < this.openId)) {
        this.open = o.open;
        this.openT = o.openT;
        this.openId = o.openId;
      }
      if (o.closeT > this.closeT || (o.closeT === this.closeT && o.closeId > this.closeId)) {
        this.close = o.close;
        this.closeT = o.closeT;
        this.closeId = o.closeId;
      }
      if (o.high > this.high) this.high = o.high;
      if (o.low < this.low) this.low = o.low;
    }
    this.trades += o.trades;
    this.volume.addSum(o.volume);
    this.quoteVolume.addSum(o.quoteVolume);
    this.takerBuyVolume.addSum(o.takerBuyVolume);
  }

  toBar(symbol: string, timeframeMs: number, startMs: number): Bar {
    const volume = this.volume.value();
    const quoteVolume = this.quoteVolume.value();
    return {
      symbol,
      timeframeMs,
      startMs,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      volume,
      quoteVolume,
      trades: this.trades,
      takerBuyVolume: this.takerBuyVolume.value(),
      vwap: quoteVolume / volume,
    };
  }
}

/** One timeframe of one symbol. */
class LevelState {
  /**
   * The single not-yet-closed bar, or null. Invariant: it contains the symbol's latest trade
   * time, so there is at most one per level.
   */
  open: Acc | null = null;
  /** Every retained bar (open and closed) by startMs. */
  readonly bars = new Map<number, Acc>();
  /** Closed bars in closing order, for O(1) amortised eviction; live from `head`. */
  retired: Acc[] = [];
  head = 0;
}

class SymbolState {
  /** Bars with endMs ≤ wm are closed. wm = max(latest trade time, feedNow − grace); monotonic. */
  wm: number;
  /** min endMs over the levels' open bars (Infinity if none): closing work only when reached. */
  minOpenEnd = Number.POSITIVE_INFINITY;
  readonly levels: LevelState[] = [];

  constructor(
    readonly symbol: string,
    wm: number,
    levelCount: number,
  ) {
    this.wm = wm;
    for (let k = 0; k < levelCount; k++) this.levels.push(new LevelState());
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** floor(t / tf) · tf, exact for integer ms (also negative). */
function alignDown(t: number, tf: number): number {
  let r = t % tf;
  if (r < 0) r += tf;
  return t - r;
}

export class BarAggregator {
  /** Timeframes (ms) kept internally: [0] = base (gcd of the requested ones), then ascending. */
  private readonly tfs: number[];
  /** Whether level k was requested, i.e. its bars are emitted. */
  private readonly emit: boolean[];
  private readonly graceMs: number;
  private readonly horizonMs: number;
  private readonly states = new Map<string, SymbolState>();
  private readonly pool: Acc[] = [];
  private readonly onTick: ((symbol: string) => void) | undefined;
  private lastNowMs = Number.NEGATIVE_INFINITY;
  /** Two-entry cache (most recent first): a pair's ticks interleave, so one entry misses often. */
  private lastState: SymbolState | null = null;
  private prevState: SymbolState | null = null;

  /**
   * @param timeframesMs bar timeframes to emit, each a positive multiple of 1000 ms (e.g. the
   *   values of TIMEFRAME_MS). Internally ticks go to base bars of gcd(timeframes) ms; larger ones
   *   are exact merges of base bars.
   */
  constructor(
    timeframesMs: readonly number[],
    private readonly sink: BarSink,
    options: BarAggregatorOptions = {},
  ) {
    if (timeframesMs.length === 0) throw new RangeError('at least one timeframe is required');
    for (const tf of timeframesMs) {
      if (!Number.isSafeInteger(tf) || tf <= 0 || tf % 1000 !== 0) {
        throw new RangeError(`timeframe ${tf} ms is not a positive multiple of 1000 ms`);
      }
    }
    const requested = [...new Set(timeframesMs)].sort((a, b) => a - b);
    const base = requested.reduce(gcd);
    this.tfs = requested[0] === base ? requested : [base, ...requested];
    this.emit = this.tfs.map((tf) => requested.includes(tf));
    const largest = requested[requested.length - 1];
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.horizonMs = options.horizonMs ?? Math.max(DEFAULT_HORIZON_MS, largest);
    if (!(this.graceMs >= 0)) throw new RangeError(`graceMs ${this.graceMs} must be ≥ 0`);
    if (!(this.horizonMs >= largest)) {
      // A shorter horizon could reject a tick whose largest-timeframe bar is still open.
      throw new RangeError(
        `horizonMs ${this.horizonMs} must be ≥ the largest timeframe ${largest}`,
      );
    }
    this.onTick = sink.onTick?.bind(sink);
  }

  /** Emitted timeframes (ms), ascending. */
  get timeframesMs(): number[] {
    return this.tfs.filter((_, k) => this.emit[k]);
  }

  /**
   * Adds one validated trade. O(1) amortised. Returns null when accepted (or ignored because
   * tradeType !== 'MARKET'), or a 'too_late' Rejection when timeMs < watermark − horizonMs; a
   * rejected tick changes nothing, so the caller should count it and not store it.
   */
  add(tick: Tick): Rejection | null {
    if (tick.tradeType !== 'MARKET') return null;
    const st = this.stateFor(tick.symbol);
    const t = tick.timeMs;
    if (t < st.wm - this.horizonMs) {
      return {
        reason: 'too_late',
        field: 'T',
        message:
          `${tick.symbol} trade ${tick.tradeId} at ${t} is ${st.wm - t} ms behind the bar ` +
          `watermark ${st.wm}, beyond the ${this.horizonMs} ms revision horizon`,
      };
    }
    if (t > st.wm) {
      st.wm = t;
      if (t >= st.minOpenEnd) this.closeDue(st);
    }
    const lv = st.levels[0];
    const b = lv.open;
    const takerBuy = !tick.isBuyerMaker;
    // Common case first, by a range check: alignDown's `%` on ms timestamps (doubles beyond
    // int32) is a float modulo, a C call in V8.
    if (b !== null && t >= b.startMs && t < b.endMs) {
      b.addTrade(tick.price, tick.qty, t, tick.tradeId, takerBuy);
      if (this.onTick !== undefined) this.onTick(tick.symbol);
      return null;
    }
    const baseTf = this.tfs[0];
    const start = alignDown(t, baseTf);
    if (start + baseTf > st.wm) {
      // Opens the base interval containing the latest trade time (no open base bar yet).
      const nb = this.newAcc(start, start + baseTf);
      lv.bars.set(start, nb);
      lv.open = nb;
      if (nb.endMs < st.minOpenEnd) st.minOpenEnd = nb.endMs;
      nb.addTrade(tick.price, tick.qty, t, tick.tradeId, takerBuy);
    } else {
      this.addLate(st, tick);
    }
    if (this.onTick !== undefined) this.onTick(tick.symbol);
    return null;
  }

  /**
   * Moves the feed clock to `feedNowMs` (ms, FeedClock.now()) and closes every bar whose
   * end + graceMs ≤ feedNowMs, evicts bars older than the horizon and forgets idle symbols.
   * Call it periodically (e.g. every 100 ms). A non-increasing value is a no-op.
   * `advance(Infinity)` closes everything (end of a replay); later ticks are then too late.
   */
  advance(feedNowMs: number): void {
    if (!(feedNowMs > this.lastNowMs)) return;
    this.lastNowMs = feedNowMs;
    const w = feedNowMs - this.graceMs;
    for (const st of this.states.values()) {
      if (w > st.wm) {
        st.wm = w;
        if (w >= st.minOpenEnd) this.closeDue(st);
        else this.evict(st);
      }
      let retained = 0;
      for (const lv of st.levels) retained += lv.bars.size;
      if (retained === 0) {
        // Recreated on demand with wm = feedNow − grace, which is ≥ the dropped wm.
        this.states.delete(st.symbol);
        if (this.lastState === st) this.lastState = null;
        if (this.prevState === st) this.prevState = null;
      }
    }
  }

  /**
   * The in-progress (not yet closed) bar of `symbol` for `timeframeMs`, or null when there is
   * none (no trade yet in the current interval, or the timeframe is not emitted). Allocates.
   */
  current(symbol: string, timeframeMs: number): Bar | null {
    const k = this.tfs.indexOf(timeframeMs);
    const st = this.states.get(symbol);
    if (k < 0 || !this.emit[k] || st === undefined) return null;
    const baseOpen = st.levels[0].open;
    const own = st.levels[k].open;
    if (k === 0)
      return baseOpen === null ? null : baseOpen.toBar(symbol, timeframeMs, baseOpen.startMs);
    // The level's open bar holds the closed base bars (merged on close) and late ticks; the open
    // base bar is not merged yet. Both contain the latest trade time, so they nest.
    let start: number;
    if (own !== null) start = own.startMs;
    else if (baseOpen !== null) start = alignDown(baseOpen.startMs, timeframeMs);
    else return null;
    const tmp = this.newAcc(0, 0);
    if (own !== null) tmp.merge(own);
    if (baseOpen !== null) tmp.merge(baseOpen);
    const bar = tmp.toBar(symbol, timeframeMs, start);
    this.release(tmp);
    return bar;
  }

  /** All in-progress bars, of one symbol or of every symbol, emitted timeframes only. Allocates. */
  openBars(symbol?: string): Bar[] {
    const out: Bar[] = [];
    const symbols = symbol === undefined ? [...this.states.keys()] : [symbol];
    for (const s of symbols) {
      for (let k = 0; k < this.tfs.length; k++) {
        if (!this.emit[k]) continue;
        const bar = this.current(s, this.tfs[k]);
        if (bar !== null) out.push(bar);
      }
    }
    return out;
  }

  /**
   * The symbol's closing watermark (ms): bars with end ≤ it are final; ticks with
   * timeMs < watermark − horizonMs are too late. feedNow − grace for an unknown symbol.
   */
  watermarkMs(symbol: string): number {
    const st = this.states.get(symbol);
    return st === undefined ? this.lastNowMs - this.graceMs : st.wm;
  }

  /** Number of bars held in memory (open and retained closed), for one symbol or all. */
  retainedBars(symbol?: string): number {
    let n = 0;
    for (const st of this.states.values()) {
      if (symbol !== undefined && st.symbol !== symbol) continue;
      for (const lv of st.levels) n += lv.bars.size;
    }
    return n;
  }

  private stateFor(symbol: string): SymbolState {
    const c = this.lastState;
    if (c !== null && c.symbol === symbol) return c;
    const d = this.prevState;
    let st: SymbolState | undefined;
    if (d !== null && d.symbol === symbol) {
      st = d;
    } else {
      st = this.states.get(symbol);
      if (st === undefined) {
        st = new SymbolState(symbol, this.lastNowMs - this.graceMs, this.tfs.length);
        this.states.set(symbol, st);
      }
    }
    this.prevState = c;
    this.lastState = st;
    return st;
  }

  /** Closes every open bar with end ≤ st.wm (base first, merging it into larger timeframes). */
  private closeDue(st: SymbolState): void {
    const w = st.wm;
    const levels = st.levels;
    const n = levels.length;
    let minOpenEnd = Number.POSITIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const lv = levels[k];
      const b = lv.open;
      if (b === null) continue;
      if (b.endMs > w) {
        if (b.endMs < minOpenEnd) minOpenEnd = b.endMs;
        continue;
      }
      lv.open = null;
      b.closed = true;
      lv.retired.push(b);
      if (k === 0) {
        // Roll-up: merge the base bar's exact partials into each larger open bar. That bar
        // contains the same latest trade time, so it is the level's open bar or not created yet.
        for (let j = 1; j < n; j++) {
          const pl = levels[j];
          let p = pl.open;
          if (p === null) {
            const ps = alignDown(b.startMs, this.tfs[j]);
            p = this.newAcc(ps, ps + this.tfs[j]);
            pl.bars.set(ps, p);
            pl.open = p;
          }
          p.merge(b);
        }
      }
      if (this.emit[k]) this.sink.onBarClosed(b.toBar(st.symbol, this.tfs[k], b.startMs));
    }
    st.minOpenEnd = minOpenEnd;
    this.evict(st);
  }

  /**
   * A tick whose base interval is already closed (but within the horizon): added to the base bar
   * and directly to each larger bar (the closed base bar was merged into them when it closed; a
   * new one never is). Every closed bar touched is re-emitted.
   */
  private addLate(st: SymbolState, tick: Tick): void {
    const t = tick.timeMs;
    const takerBuy = !tick.isBuyerMaker;
    for (let k = 0; k < this.tfs.length; k++) {
      const tf = this.tfs[k];
      const lv = st.levels[k];
      const s = alignDown(t, tf);
      let b = lv.open !== null && lv.open.startMs === s ? lv.open : lv.bars.get(s);
      let created = false;
      if (b === undefined) {
        created = true;
        b = this.newAcc(s, s + tf);
        lv.bars.set(s, b);
        if (b.endMs <= st.wm) {
          b.closed = true;
          lv.retired.push(b);
        } else {
          lv.open = b;
          if (b.endMs < st.minOpenEnd) st.minOpenEnd = b.endMs;
        }
      }
      b.addTrade(tick.price, tick.qty, t, tick.tradeId, takerBuy);
      if (b.closed && this.emit[k]) {
        const bar = b.toBar(st.symbol, tf, s);
        if (created) this.sink.onBarClosed(bar);
        else this.sink.onBarRevised(bar);
      }
    }
  }

  /** Drops closed bars with end ≤ wm − horizon (they can no longer be revised). */
  private evict(st: SymbolState): void {
    const limit = st.wm - this.horizonMs;
    for (const lv of st.levels) {
      const r = lv.retired;
      let h = lv.head;
      while (h < r.length && r[h].endMs <= limit) {
        const b = r[h++];
        lv.bars.delete(b.startMs);
        this.release(b);
      }
      if (h > 32 && h * 2 >= r.length) {
        r.copyWithin(0, h);
        r.length -= h;
        h = 0;
      }
      lv.head = h;
    }
  }

  private newAcc(startMs: number, endMs: number): Acc {
    const a = this.pool.pop() ?? new Acc();
    a.reset(startMs, endMs);
    return a;
  }

  private release(a: Acc): void {
    if (this.pool.length < POOL_LIMIT) this.pool.push(a);
  }
}
