/**
 * Incremental version of `alignCloses` (src/core/stats/align.ts) for the live analytics engine.
 *
 * Grid: every tf interval from the first interval in which BOTH legs have a bar; each leg's close
 * is the close of its last bar in the interval (by bar start, later arrival wins on ties), forward
 * filled. A row is emitted only once it is FINAL for both legs: a leg's interval [t, t + tf) is
 * final once that leg delivered a bar ending at or after t + tf (bars of one symbol close in time
 * order) or once the feed clock passed t + tf + grace (the aggregator's rule for quiet symbols; it
 * has closed every such bar by then). So quiet intervals still produce forward-filled rows, and a
 * row never uses a bar that started after it (no look-ahead).
 *
 * Fed the same bars, `finish()` emits exactly the rows of `alignCloses`: the grid ends at the last
 * interval in which either leg traded. `advance(feedNow)` may emit further forward-filled rows
 * past that (the feed clock says those intervals were quiet), which `alignCloses` would produce
 * too once a later bar exists.
 *
 * Gaps (`maxFillRows`, default unlimited; the live engine passes its lookback N): at most N rows
 * in a row are produced in which NEITHER leg has a bar of its own. The row after such a run is
 * not produced: if a later bar exists, the grid RESTARTS there, exactly as if the data began
 * after the gap — forward-fill values are dropped, the new grid starts at the first interval from
 * then on in which both legs have a bar, each leg filled from its last bar before that start —
 * and the owner is told (`onRestart`) so it can restart its windows too; without a later bar the
 * grid waits at that row for data. Rationale: a run longer than the lookback is all copies of one
 * close; producing it (e.g. a tick dated 2017 followed by live ticks: 3·10⁸ rows at 1 s) costs
 * memory and minutes of CPU for rows no window could keep. Gaps up to N rows are filled as
 * before, so gap-free data (and any data without such a gap) gives exactly `alignCloses`' rows.
 *
 * A bar for an interval that was already emitted is a revision (a late tick changed a final bar,
 * or a late bar arrived for an interval that had been forward-filled): `add` returns it so the
 * owner can correct its history; the forward-fill state is updated as if the bar had been on time.
 * Pure: no Node, Electron or DOM.
 */

/** 0 = leg A, 1 = leg B. */
export type Leg = 0 | 1;

/** A bar for an interval that had already been emitted. */
export interface AlignerRevision {
  leg: Leg;
  /** Interval start (grid time) of the revised row. */
  startMs: number;
  close: number;
}

/**
 * Receives final rows in time order: interval start, both closes, and whether each leg had its
 * own bar in the interval (false = forward-filled).
 */
export type RowSink = (startMs: number, a: number, b: number, ownA: boolean, ownB: boolean) => void;

/**
 * The grid restarted after a gap of more than `maxFillRows` rows without bars: rows from
 * `gapFromMs` on were not produced; the next bar is in interval `resumeMs`. Rows emitted before
 * belong to the old grid (the owner drops them and its rolling state).
 */
export type RestartSink = (gapFromMs: number, resumeMs: number) => void;

interface Pending {
  /** Start of the bar that set `close` (finer bars: the last one in the interval wins). */
  barStart: number;
  close: number;
}

class LegState {
  /** Bars of intervals not emitted yet, keyed by interval start. */
  readonly pending = new Map<number, Pending>();
  /** Smallest interval with a bar (before the grid starts), +∞ without bars. */
  first = Number.POSITIVE_INFINITY;
  /** Largest interval with a bar, −∞ without bars. */
  last = Number.NEGATIVE_INFINITY;
  /** Bars cover this leg up to here (max bar end). */
  knownThrough = Number.NEGATIVE_INFINITY;
  /** Forward-fill value: the close of the last emitted own bar. */
  close = NaN;
  /** Interval of that bar, and its bar start. */
  closeInterval = Number.NEGATIVE_INFINITY;
  closeBarStart = Number.NEGATIVE_INFINITY;
  bars = 0;

  reset(): void {
    this.pending.clear();
    this.first = Number.POSITIVE_INFINITY;
    this.last = Number.NEGATIVE_INFINITY;
    this.knownThrough = Number.NEGATIVE_INFINITY;
    this.close = NaN;
    this.closeInterval = Number.NEGATIVE_INFINITY;
    this.closeBarStart = Number.NEGATIVE_INFINITY;
    this.bars = 0;
  }
}

export interface LiveAlignerOptions {
  /**
   * Before the grid starts (one leg has no bar yet) the other leg's bars are kept; beyond this
   * many the oldest are dropped (only the last one before the grid start matters). Default 100k.
   */
  maxPending?: number;
  /**
   * Most consecutive rows with no bar of either leg (forward-filled on both); a longer gap
   * restarts the grid at the next bar (see the module comment). Default unlimited.
   */
  maxFillRows?: number;
}

export class LiveAligner {
  readonly tfMs: number;
  private readonly legs: [LegState, LegState] = [new LegState(), new LegState()];
  private readonly maxPending: number;
  private readonly maxFillRows: number;
  /** Next row to emit; NaN until the grid has started. */
  private next = NaN;
  private emitted = 0;
  /** Latest emitted row in which either leg had its own bar (the grid start counts). */
  private lastOwn = Number.NEGATIVE_INFINITY;
  private restartCount = 0;

  constructor(tfMs: number, options: LiveAlignerOptions = {}) {
    if (!(tfMs > 0) || !Number.isFinite(tfMs)) {
      throw new RangeError(`timeframe must be a positive number of ms, got ${tfMs}`);
    }
    this.tfMs = tfMs;
    this.maxPending = options.maxPending ?? 100_000;
    const maxFill = options.maxFillRows ?? Number.POSITIVE_INFINITY;
    if (!(maxFill >= 0)) throw new RangeError(`maxFillRows must be ≥ 0, got ${maxFill}`);
    this.maxFillRows = maxFill;
  }

  /** Times the grid restarted after a gap longer than `maxFillRows`. */
  get restarts(): number {
    return this.restartCount;
  }

  /** True once the first row has been emitted. */
  get started(): boolean {
    return !Number.isNaN(this.next);
  }

  /** Rows emitted so far. */
  get rows(): number {
    return this.emitted;
  }

  /** Start of the next row to emit (NaN before the grid starts). */
  get nextStartMs(): number {
    return this.next;
  }

  /** Bars received for a leg. */
  barCount(leg: Leg): number {
    return this.legs[leg].bars;
  }

  /** First interval with a bar of each leg (+∞ without bars); the grid starts at the later one. */
  firstInterval(leg: Leg): number {
    return this.legs[leg].first;
  }

  /**
   * A closed (or revised) bar of one leg: interval start `startMs`, its duration `barTfMs`
   * (default tf; finer bars are resampled) and its close. Non-finite input is ignored. Returns a
   * revision when the bar falls in an interval already emitted, else null.
   */
  add(leg: Leg, startMs: number, close: number, barTfMs = this.tfMs): AlignerRevision | null {
    if (!Number.isFinite(startMs) || !Number.isFinite(close)) return null;
    const s = this.legs[leg];
    const tf = this.tfMs;
    const interval = Math.floor(startMs / tf) * tf;
    s.bars++;
    const end = startMs + (barTfMs > 0 ? barTfMs : tf);
    if (end > s.knownThrough) s.knownThrough = end;
    if (this.started && interval < this.next) {
      // Already emitted: a revision. Keep the forward-fill value consistent with on-time data.
      if (
        interval > s.closeInterval ||
        (interval === s.closeInterval && startMs >= s.closeBarStart)
      ) {
        s.close = close;
        s.closeInterval = interval;
        s.closeBarStart = startMs;
      }
      return { leg, startMs: interval, close };
    }
    const prev = s.pending.get(interval);
    if (prev === undefined) s.pending.set(interval, { barStart: startMs, close });
    else if (startMs >= prev.barStart) {
      prev.barStart = startMs;
      prev.close = close;
    }
    if (interval < s.first) s.first = interval;
    if (interval > s.last) s.last = interval;
    if (!this.started && s.pending.size > 2 * this.maxPending) this.prune(s);
    return null;
  }

  /**
   * Emits every row that is final at feed time `feedNowMs` (rows with t + tf + graceMs ≤ feedNow
   * even without bars). A non-finite feed time (e.g. +∞ at the end of a source) is `finish()`.
   */
  advance(
    feedNowMs: number | null,
    graceMs: number,
    sink: RowSink,
    onRestart?: RestartSink,
  ): number {
    if (feedNowMs !== null && !Number.isFinite(feedNowMs)) return this.finish(sink, onRestart);
    const clock = feedNowMs === null ? Number.NEGATIVE_INFINITY : feedNowMs - graceMs;
    const a = this.legs[0];
    const b = this.legs[1];
    const through = Math.min(Math.max(a.knownThrough, clock), Math.max(b.knownThrough, clock));
    return this.emitThrough(through, sink, onRestart);
  }

  /** Emits every remaining row up to the last interval in which either leg has a bar. */
  finish(sink: RowSink, onRestart?: RestartSink): number {
    const last = Math.max(this.legs[0].last, this.legs[1].last);
    if (!Number.isFinite(last)) return 0;
    return this.emitThrough(last + this.tfMs, sink, onRestart);
  }

  /** Forgets everything. */
  reset(): void {
    this.legs[0].reset();
    this.legs[1].reset();
    this.next = NaN;
    this.emitted = 0;
    this.lastOwn = Number.NEGATIVE_INFINITY;
    this.restartCount = 0;
  }

  /** Emits rows t with t + tf ≤ through (jumping gaps longer than maxFillRows). */
  private emitThrough(through: number, sink: RowSink, onRestart?: RestartSink): number {
    const tf = this.tfMs;
    const [a, b] = this.legs;
    const fillLimit = this.maxFillRows * tf;
    let n = 0;
    for (;;) {
      if (!this.started) {
        if (!Number.isFinite(a.first) || !Number.isFinite(b.first)) break;
        const start = Math.max(a.first, b.first);
        if (start + tf > through) break;
        this.begin(a, start);
        this.begin(b, start);
        this.next = start;
        this.lastOwn = start;
      }
      let t = this.next;
      let gap = false;
      while (t + tf <= through) {
        if (t - this.lastOwn > fillLimit && !a.pending.has(t) && !b.pending.has(t)) {
          gap = true;
          break;
        }
        const ownA = this.take(a, t);
        const ownB = this.take(b, t);
        if (ownA || ownB) this.lastOwn = t;
        sink(t, a.close, b.close, ownA, ownB);
        n++;
        t += tf;
      }
      this.next = t;
      if (!gap) break;
      const resume = Math.min(minKey(a.pending), minKey(b.pending));
      // No bar after the gap yet: the grid waits here (the clock alone cannot restart it).
      if (!Number.isFinite(resume)) break;
      this.restart();
      onRestart?.(t, resume);
    }
    this.emitted += n;
    return n;
  }

  /** Drops the grid and the forward-fill values; pending bars (all after the gap) stay. */
  private restart(): void {
    this.restartCount++;
    this.next = NaN;
    this.lastOwn = Number.NEGATIVE_INFINITY;
    for (const s of this.legs) {
      s.close = NaN;
      s.closeInterval = Number.NEGATIVE_INFINITY;
      s.closeBarStart = Number.NEGATIVE_INFINITY;
      s.first = minKey(s.pending);
    }
  }

  /** At the grid start: the forward-fill value is the last bar before `start`; older bars go. */
  private begin(s: LegState, start: number): void {
    let best = Number.NEGATIVE_INFINITY;
    for (const [interval, p] of s.pending) {
      if (interval < start) {
        if (interval > best) {
          best = interval;
          s.close = p.close;
          s.closeInterval = interval;
          s.closeBarStart = p.barStart;
        }
        s.pending.delete(interval);
      }
    }
  }

  private take(s: LegState, t: number): boolean {
    if (s.pending.size === 0) return false;
    const p = s.pending.get(t);
    if (p === undefined) return false;
    s.pending.delete(t);
    s.close = p.close;
    s.closeInterval = t;
    s.closeBarStart = p.barStart;
    return true;
  }

  /** Keeps the newest `maxPending` bars of a leg while the grid has not started. */
  private prune(s: LegState): void {
    const keys = [...s.pending.keys()].sort((x, y) => x - y);
    const drop = keys.length - this.maxPending;
    for (let i = 0; i < drop; i++) s.pending.delete(keys[i]);
    s.first = keys[drop];
  }
}

/** Smallest key of a pending map, +∞ when empty (O(size): only at a grid restart). */
function minKey(m: Map<number, Pending>): number {
  let min = Number.POSITIVE_INFINITY;
  for (const k of m.keys()) if (k < min) min = k;
  return min;
}
