/**
 * Live pair analytics of one selection (pair, timeframe, W, lookback N, hedge method): the state
 * the analytics worker keeps. Pure (no Node, Electron or DOM) so it is tested without a thread.
 *
 * Data flow: closed/revised bars → LiveAligner (final, forward-filled rows) → one O(1) update
 * per row → a ring of the last N rows of every AnalyticsColumns column.
 *
 * Definitions (the same as `analyzePair` / `computePairAnalytics`; the tests pin them to 1e-9):
 * - `load()` (a selection change or a source switch) aligns the stored bars and keeps the last N
 *   rows; every rolling state starts fresh inside them (analyzePair's lookback). Live rows then
 *   continue the same states, so after k live rows the columns equal analyzePair over the
 *   N + k rows since the load (only the last N are kept).
 * - betaRolling: OLS β of A on B over the last W rows (window ends at the row).
 * - betaKalman: Chan's (2013) filter, PRIOR β at the row (bars before it only), θ₀ = 0, null for
 *   the first W rows after the load (warm-up), with the selection's δ and Ve.
 * - hedgeRatio by method:
 *   - rolling: betaRolling;
 *   - kalman: betaKalman;
 *   - static ("live static"): ONE β for the whole series, the OLS β of A on B over the retained
 *     last N rows. It is estimated at the load and re-estimated every max(`staticRefitBars`, N/100) new rows
 *     (and before every stationarity run); a changed β redraws hedge ratio, spread and z over all
 *     retained rows and the series is re-sent whole (reset = true). Between re-estimates new rows
 *     use the last β, so nothing already drawn changes under the user without a reset.
 * - spread A − h·B; spreadMean / spreadStd / zscore over W spreads (pandas rolling(W), ddof 1;
 *   a window containing an undefined spread is undefined);
 * - correlation of the log returns over W; volA / volB = rolling std (ddof 1) of the log returns
 *   over W, annualised with a 365-day year.
 * - Gaps: the aligner produces at most N consecutive rows without a bar of either leg; after a
 *   longer gap it restarts at the next bar (LiveAligner's rule) and so does this state: retained
 *   rows and every rolling state are dropped, as if the data began after the gap (reset). So
 *   neither a load nor a live advance ever produces more than ~N rows per gap, whatever the
 *   timestamps (a tick dated 2017 followed by live ticks no longer means 3·10⁸ rows).
 * - A late revision of an already emitted row corrects that row (and the rows forward-filled from
 *   it) and recomputes the whole retained series from its first row, like a new load (reset).
 * Undefined values are NaN here and null in the contract; nothing throws on data.
 */
import type { AnalyticsSelection } from '../contract/contract';
import { KalmanHedge, type KalmanStep } from '../stats/kalman';
import { olsAB } from '../stats/ols';
import { RollingCoMoments, RollingMoments } from '../stats/rolling';
import { RollingReturnStats } from '../stats/rollingReturns';
import { COLUMN_NAMES, emptyColumnBuffers, type ColumnBuffers } from './analyticsColumns';
import { LiveAligner, type Leg } from './liveAligner';

/** Default grace after an interval's end before the feed clock closes it (the aggregator's). */
export const DEFAULT_ALIGN_GRACE_MS = 250;
/** Default: live static β re-estimated every 20 new rows. */
export const DEFAULT_STATIC_REFIT_BARS = 20;

export interface LiveAnalyticsConfig {
  selection: AnalyticsSelection;
  /** Timeframe in ms (the selection's timeframe). */
  tfMs: number;
  /** Feed-clock grace (ms) before a quiet interval is final. Default 250. */
  graceMs?: number;
  /** Live static β re-estimated every this many new rows. Default 20. */
  staticRefitBars?: number;
}

/** Bars of one leg as columns (interval starts and closes), any order. */
export interface BarColumns {
  startMs: ArrayLike<number>;
  close: ArrayLike<number>;
  /** Duration of these bars (default: the selection timeframe). */
  barTfMs?: number;
}

/** What changed since the previous `take()`. */
export interface AnalyticsUpdate {
  reset: boolean;
  columns: ColumnBuffers;
}

/** Retained rows for the stationarity tests (copies). */
export interface TestInput {
  startMs: Float64Array;
  a: Float64Array;
  b: Float64Array;
  /** Spread of the selected method, NaN where undefined. */
  spread: Float64Array;
}

const C = {
  startMs: 0,
  closeA: 1,
  closeB: 2,
  hedgeRatio: 3,
  spread: 4,
  spreadMean: 5,
  spreadStd: 6,
  zscore: 7,
  correlation: 8,
  betaRolling: 9,
  betaKalman: 10,
  volA: 11,
  volB: 12,
} as const satisfies Record<(typeof COLUMN_NAMES)[number], number>;
const NCOL = COLUMN_NAMES.length;

/** Fixed-capacity ring of rows, one Float64Array per column. */
class RowRing {
  readonly cols: Float64Array[];
  readonly ownA: Uint8Array;
  readonly ownB: Uint8Array;
  head = 0;
  size = 0;

  constructor(readonly capacity: number) {
    this.cols = Array.from({ length: NCOL }, () => new Float64Array(capacity));
    this.ownA = new Uint8Array(capacity);
    this.ownB = new Uint8Array(capacity);
  }

  /** Physical slot of logical row i (0 = oldest). */
  slot(i: number): number {
    const j = this.head + i;
    return j >= this.capacity ? j - this.capacity : j;
  }

  /** Slot for a new row (evicts the oldest when full). */
  append(): number {
    if (this.size < this.capacity) return this.slot(this.size++);
    const s = this.head;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    return s;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }

  /** Logical rows [from, from + n) of every column. */
  copy(from: number, n: number): ColumnBuffers {
    const out = emptyColumnBuffers(n);
    for (let k = 0; k < NCOL; k++) {
      const src = this.cols[k];
      const dst = out[COLUMN_NAMES[k]];
      const s0 = this.slot(from);
      const first = Math.min(n, this.capacity - s0);
      dst.set(src.subarray(s0, s0 + first), 0);
      if (first < n) dst.set(src.subarray(0, n - first), first);
    }
    return out;
  }

  column(k: number): Float64Array {
    const out = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.cols[k][this.slot(i)];
    return out;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export class LivePairAnalytics {
  readonly selection: AnalyticsSelection;
  readonly tfMs: number;
  readonly window: number;
  readonly lookback: number;
  private readonly graceMs: number;
  private readonly refitBars: number;
  private readonly aligner: LiveAligner;
  private readonly ring: RowRing;
  // Incremental state (one row at a time).
  private readonly prices: RollingCoMoments; // x = B, y = A
  private readonly spreads: RollingMoments;
  private readonly returns: RollingReturnStats;
  private readonly kalman: KalmanHedge;
  /** Static method: co-moments of (B, A) over the lookback, so a re-estimate is O(1). */
  private readonly lookbackMoments: RollingCoMoments | null;
  private readonly step: KalmanStep = {
    priorBeta: 0,
    priorAlpha: 0,
    beta: 0,
    alpha: 0,
    e: 0,
    sqrtQ: 0,
  };
  /** Rows since the last load/rebuild (stream index of the next row). */
  private stream = 0;
  private staticBeta = NaN;
  private rowsSinceRefit = 0;
  // Output bookkeeping.
  private resetPending = true;
  private appended = 0;
  private revisionPending = false;
  private totalRows = 0;
  private readonly sinkRow = (t: number, a: number, b: number, oa: boolean, ob: boolean): void =>
    this.pushRow(t, a, b, oa, ob);
  /** The aligner restarted after a gap longer than the lookback: so does everything here. */
  private readonly restartSink = (): void => {
    this.resetState();
    if (this.selection.hedgeMethod === 'static') this.staticBeta = NaN;
    this.revisionPending = false;
    this.resetPending = true;
    this.appended = 0;
  };

  constructor(config: LiveAnalyticsConfig) {
    const sel = config.selection;
    if (!Number.isInteger(sel.rollingWindow) || sel.rollingWindow < 2) {
      throw new RangeError(`rolling window must be an integer ≥ 2, got ${sel.rollingWindow}`);
    }
    if (!Number.isInteger(sel.lookback) || sel.lookback < 1) {
      throw new RangeError(`lookback must be an integer ≥ 1, got ${sel.lookback}`);
    }
    this.selection = { ...sel };
    this.tfMs = config.tfMs;
    this.window = sel.rollingWindow;
    this.lookback = sel.lookback;
    this.graceMs = config.graceMs ?? DEFAULT_ALIGN_GRACE_MS;
    // Re-estimate every `staticRefitBars` rows or 1 % of the lookback, whichever is longer: k new
    // rows move an N-row OLS β by about k/N of the window's turnover, so a long lookback's β
    // barely changes in 20 rows, while each re-estimate redraws all N rows (amortised O(N/k)).
    this.refitBars = Math.max(
      1,
      config.staticRefitBars ?? DEFAULT_STATIC_REFIT_BARS,
      Math.ceil(sel.lookback / 100),
    );
    // A run of more than N rows without any bar could not be kept anyway: restart instead.
    this.aligner = new LiveAligner(config.tfMs, { maxFillRows: sel.lookback });
    this.ring = new RowRing(sel.lookback);
    this.prices = new RollingCoMoments(this.window);
    this.spreads = new RollingMoments(this.window);
    this.returns = new RollingReturnStats(this.window, config.tfMs);
    this.kalman = new KalmanHedge({ delta: sel.kalmanDelta, ve: sel.kalmanVe });
    this.lookbackMoments =
      sel.hedgeMethod === 'static' ? new RollingCoMoments(Math.max(2, sel.lookback)) : null;
  }

  /** Retained rows (≤ lookback). */
  get size(): number {
    return this.ring.size;
  }

  /** Rows produced since construction (loads included). */
  get rowsProduced(): number {
    return this.totalRows;
  }

  /** The static β in use (NaN when undefined or another method). */
  get staticHedgeRatio(): number {
    return this.staticBeta;
  }

  /**
   * Recomputes from stored bars: aligns them (the rows final at feed time `feedNowMs`; null =
   * the rows closed by bars of both legs), keeps the last N rows and runs the analytics over them
   * from scratch. The next `take()` is a reset. The aligned rows go straight into the N-row ring
   * (a gap restart empties it), so memory never exceeds the lookback whatever the bars' times.
   */
  load(barsA: BarColumns, barsB: BarColumns, feedNowMs: number | null): void {
    this.aligner.reset();
    this.feedLeg(0, barsA);
    this.feedLeg(1, barsB);
    const ring = this.ring;
    ring.clear();
    const cols = ring.cols;
    this.aligner.advance(
      feedNowMs,
      this.graceMs,
      (ti, ai, bi, oai, obi) => {
        const s = ring.append();
        cols[C.startMs][s] = ti;
        cols[C.closeA][s] = ai;
        cols[C.closeB][s] = bi;
        ring.ownA[s] = oai ? 1 : 0;
        ring.ownB[s] = obi ? 1 : 0;
      },
      () => ring.clear(),
    );
    const kept = ring.size;
    this.rebuildRetained();
    this.totalRows += kept;
  }

  /** A closed or revised bar of leg A (0) or B (1). */
  addBar(leg: Leg, startMs: number, close: number, barTfMs?: number): void {
    const rev = this.aligner.add(leg, startMs, close, barTfMs);
    if (rev === null || this.ring.size === 0) return;
    const first = this.ring.cols[C.startMs][this.ring.slot(0)];
    const idx = Math.round((rev.startMs - first) / this.tfMs);
    if (idx < 0 || idx >= this.ring.size) return;
    const col = this.ring.cols[leg === 0 ? C.closeA : C.closeB];
    const own = leg === 0 ? this.ring.ownA : this.ring.ownB;
    let s = this.ring.slot(idx);
    if (col[s] === rev.close && own[s] === 1) return;
    col[s] = rev.close;
    own[s] = 1;
    for (let i = idx + 1; i < this.ring.size; i++) {
      s = this.ring.slot(i);
      if (own[s] === 1) break;
      col[s] = rev.close;
    }
    this.revisionPending = true;
  }

  /**
   * Emits the rows final at feed time `feedNowMs` (null: only rows closed by bars of both legs)
   * and applies pending revisions / the static re-estimate. Returns the rows appended.
   */
  advance(feedNowMs: number | null): number {
    const n = this.aligner.advance(feedNowMs, this.graceMs, this.sinkRow, this.restartSink);
    this.totalRows += n;
    if (this.revisionPending) this.rebuildRetained();
    else if (this.selection.hedgeMethod === 'static' && this.rowsSinceRefit > 0) {
      if (this.rowsSinceRefit >= this.refitBars || !Number.isFinite(this.staticBeta)) {
        this.refitStatic();
      }
    }
    return n;
  }

  /**
   * Re-estimates the live static β over the retained rows; when it changed, redraws hedge ratio,
   * spread and z for every retained row (next take() is a reset). Returns whether it changed.
   */
  refitStatic(): boolean {
    if (this.selection.hedgeMethod !== 'static') return false;
    this.rowsSinceRefit = 0;
    // OLS β of A on B over the retained rows, from the running co-moments (olsAB's conditions:
    // ≥ 3 rows, neither leg constant); equal to olsAB to rounding.
    const m = this.lookbackMoments;
    let beta = NaN;
    if (m && m.count >= 3 && m.syyCentered() > 0) beta = m.slopeYonX();
    if (!Number.isFinite(beta)) beta = NaN;
    if (Object.is(beta, this.staticBeta)) return false;
    this.staticBeta = beta;
    this.spreads.clear();
    const cols = this.ring.cols;
    for (let i = 0; i < this.ring.size; i++) {
      const s = this.ring.slot(i);
      this.writeSpread(s, beta, cols[C.closeA][s], cols[C.closeB][s]);
    }
    this.resetPending = true;
    return true;
  }

  /** Output since the previous take: the whole series after a reset, else the new rows. */
  take(): AnalyticsUpdate | null {
    if (this.resetPending || this.appended > this.ring.size) {
      this.resetPending = false;
      this.appended = 0;
      return { reset: true, columns: this.ring.copy(0, this.ring.size) };
    }
    if (this.appended === 0) return null;
    const n = this.appended;
    this.appended = 0;
    return { reset: false, columns: this.ring.copy(this.ring.size - n, n) };
  }

  /** The last `limit` retained rows. */
  series(limit: number): ColumnBuffers {
    const n = Math.max(0, Math.min(Math.floor(limit), this.ring.size));
    return this.ring.copy(this.ring.size - n, n);
  }

  /** Retained rows and the spread of the selected method, for ADF / Engle–Granger. */
  testInput(): TestInput {
    return {
      startMs: this.ring.column(C.startMs),
      a: this.ring.column(C.closeA),
      b: this.ring.column(C.closeB),
      spread: this.ring.column(C.spread),
    };
  }

  /** Aligned rows the z-score needs before its first value, for the selected method. */
  rowsNeeded(): number {
    const W = this.window;
    switch (this.selection.hedgeMethod) {
      case 'rolling':
        return 2 * W - 1;
      case 'kalman':
        return 2 * W;
      default:
        return Math.max(W, 3);
    }
  }

  /**
   * Plain-words reason when the latest row has no z-score (not enough bars, a leg that did not
   * move), else null. E.g. "waiting for 12 more 1m bars of ETHUSDT".
   */
  warmup(): string | null {
    const { pairA, pairB, timeframe } = this.selection;
    const need = this.rowsNeeded();
    const zNote = `(z-score needs ${plural(need, 'aligned bar')} at W = ${this.window})`;
    if (this.ring.size === 0) {
      const noA = this.aligner.barCount(0) === 0;
      const noB = this.aligner.barCount(1) === 0;
      const who = noA && noB ? `${pairA} and ${pairB}` : noA ? pairA : noB ? pairB : null;
      if (who !== null) return `waiting for ${plural(need, `${timeframe} bar`)} of ${who} ${zNote}`;
      return `waiting for the first ${timeframe} interval in which both ${pairA} and ${pairB} have closed ${zNote}`;
    }
    if (this.ring.size < need && this.stream < need) {
      const fa = this.aligner.firstInterval(0);
      const fb = this.aligner.firstInterval(1);
      const who = fa === fb ? `${pairA} and ${pairB}` : fa > fb ? pairA : pairB;
      const more = need - this.stream;
      return `waiting for ${more} more ${timeframe} bar${more === 1 ? '' : 's'} of ${who} ${zNote}`;
    }
    const last = this.ring.slot(this.ring.size - 1);
    if (Number.isFinite(this.ring.cols[C.zscore][last])) return null;
    const W = this.window;
    const span = this.selection.hedgeMethod === 'static' ? this.ring.size : W;
    const where =
      this.selection.hedgeMethod === 'static'
        ? `over the ${plural(span, `${timeframe} bar`)} of the lookback`
        : `over the last ${plural(span, `${timeframe} bar`)}`;
    if (this.flatOver(C.closeB, span)) return `constant series: ${pairB} did not move ${where}`;
    if (this.flatOver(C.closeA, span)) return `constant series: ${pairA} did not move ${where}`;
    if (this.flatOver(C.spread, W)) {
      return `constant spread: ${pairA} − β·${pairB} did not move over the last ${plural(W, `${timeframe} bar`)}`;
    }
    return `the z-score is undefined at the last bar (the spread is not defined over the last ${plural(W, `${timeframe} bar`)})`;
  }

  // ---- internals ----------------------------------------------------------------------------

  private feedLeg(leg: Leg, bars: BarColumns): void {
    const n = Math.min(bars.startMs.length, bars.close.length);
    for (let i = 0; i < n; i++) this.aligner.add(leg, bars.startMs[i], bars.close[i], bars.barTfMs);
  }

  /** Last `span` retained values of column k all equal (and finite)? */
  private flatOver(k: number, span: number): boolean {
    const n = Math.min(span, this.ring.size);
    if (n < 2) return false;
    const col = this.ring.cols[k];
    const v0 = col[this.ring.slot(this.ring.size - 1)];
    if (!Number.isFinite(v0)) return false;
    for (let i = this.ring.size - n; i < this.ring.size; i++) {
      if (col[this.ring.slot(i)] !== v0) return false;
    }
    return true;
  }

  private resetState(): void {
    this.prices.clear();
    this.spreads.clear();
    this.returns.reset();
    this.kalman.reset();
    this.lookbackMoments?.clear();
    this.stream = 0;
    this.rowsSinceRefit = 0;
    this.ring.clear();
  }

  /** Runs the analytics from scratch over the given rows (≤ lookback). */
  private rebuildFrom(
    t: Float64Array,
    a: Float64Array,
    b: Float64Array,
    ownA: ArrayLike<boolean | number>,
    ownB: ArrayLike<boolean | number>,
  ): void {
    this.resetState();
    if (this.selection.hedgeMethod === 'static') {
      const fit = olsAB(a, b);
      this.staticBeta = fit.ok && Number.isFinite(fit.beta) ? fit.beta : NaN;
    }
    for (let i = 0; i < t.length; i++) this.pushRow(t[i], a[i], b[i], !!ownA[i], !!ownB[i]);
    this.rowsSinceRefit = 0;
    this.revisionPending = false;
    this.resetPending = true;
    this.appended = 0;
  }

  private rebuildRetained(): void {
    const r = this.ring;
    const oa = new Uint8Array(r.size);
    const ob = new Uint8Array(r.size);
    for (let i = 0; i < r.size; i++) {
      oa[i] = r.ownA[r.slot(i)];
      ob[i] = r.ownB[r.slot(i)];
    }
    this.rebuildFrom(r.column(C.startMs), r.column(C.closeA), r.column(C.closeB), oa, ob);
  }

  /** Hedge ratio, spread and spread moments of the row in slot s (pushes the spread window). */
  private writeSpread(s: number, h: number, a: number, b: number): void {
    const cols = this.ring.cols;
    let spread = NaN;
    let mean = NaN;
    let std = NaN;
    let z = NaN;
    if (Number.isFinite(h)) {
      spread = a - h * b;
      this.spreads.push(spread);
      if (this.spreads.ready) {
        mean = this.spreads.mean();
        std = this.spreads.std();
        z = this.spreads.zscoreOf(spread);
      }
    } else {
      this.spreads.clear();
    }
    cols[C.hedgeRatio][s] = h;
    cols[C.spread][s] = spread;
    cols[C.spreadMean][s] = mean;
    cols[C.spreadStd][s] = std;
    cols[C.zscore][s] = z;
  }

  /** One aligned row: O(1) amortised. */
  private pushRow(t: number, a: number, b: number, ownA: boolean, ownB: boolean): void {
    const index = this.stream++;
    const W = this.window;
    this.prices.push(b, a);
    this.lookbackMoments?.push(b, a);
    const betaRolling = this.prices.ready ? this.prices.slopeYonX() : NaN;
    const k = this.kalman.update(a, b, this.step);
    const betaKalman = index >= W ? k.priorBeta : NaN;
    const method = this.selection.hedgeMethod;
    const h =
      method === 'rolling' ? betaRolling : method === 'kalman' ? betaKalman : this.staticBeta;

    this.returns.push(a, b);

    const s = this.ring.append();
    const cols = this.ring.cols;
    cols[C.startMs][s] = t;
    cols[C.closeA][s] = a;
    cols[C.closeB][s] = b;
    this.ring.ownA[s] = ownA ? 1 : 0;
    this.ring.ownB[s] = ownB ? 1 : 0;
    this.writeSpread(s, h, a, b);
    cols[C.correlation][s] = this.returns.correlation;
    cols[C.betaRolling][s] = betaRolling;
    cols[C.betaKalman][s] = betaKalman;
    cols[C.volA][s] = this.returns.volA;
    cols[C.volB][s] = this.returns.volB;
    this.appended++;
    this.rowsSinceRefit++;
  }
}
