/**
 * Exact roll-up of bars to a coarser timeframe (#10: bars-only imports are viewed at their own
 * timeframe and coarser ones). For each interval [s, s + T) of the target T (a multiple of the
 * source timeframe t, UTC-aligned):
 *   open = open of the earliest bar, close = close of the latest, high = max, low = min,
 *   trades = Σ trades, volume / quoteVolume / takerBuyVolume = Σ of the bars' values,
 *   vwap = Σ(vwap·volume) / Σ volume over the bars with volume > 0, NaN when that volume is 0
 *   (or a bar with volume has no vwap, as OHLC files have none),
 * each Σ the correctly rounded exact sum of the bars' doubles (`ExactSum`, products exact too),
 * so the result does not depend on order or grouping.
 *
 * Against `BarAggregator`'s own coarse bars of the same ticks: open/high/low/close/trades are
 * identical; the volumes here are exact sums of the fine bars' ROUNDED volumes, the aggregator's
 * the rounded exact sum of the ticks, so they can differ in the last bits: with ε = 2⁻⁵², a
 * volume by at most 1.5ε relative (≤ 3 ulp; none when the coarse bar holds one fine bar) and vwap
 * by at most 4.5ε (≤ 9 ulp) — derived in tests/core/formats/rollup.test.ts, which checks them;
 * observed on the real capture: at most 2 ulp.
 */
import { ExactSum } from '../bars/exactSum';
import type { Bar } from '../market/types';

/** Accumulator of one coarse interval. */
class RollAcc {
  open = 0;
  close = 0;
  firstStart = Infinity;
  lastStart = -Infinity;
  high = -Infinity;
  low = Infinity;
  trades = 0;
  readonly volume = new ExactSum();
  readonly quoteVolume = new ExactSum();
  readonly takerBuyVolume = new ExactSum();
  /** Σ vwap·volume and Σ volume of the bars with volume > 0. */
  readonly vwapVolume = new ExactSum();
  readonly vwapWeight = new ExactSum();
  vwapUndefined = false;

  constructor(readonly startMs: number) {}

  add(b: Bar): void {
    if (b.startMs < this.firstStart) {
      this.firstStart = b.startMs;
      this.open = b.open;
    }
    if (b.startMs > this.lastStart) {
      this.lastStart = b.startMs;
      this.close = b.close;
    }
    if (b.high > this.high) this.high = b.high;
    if (b.low < this.low) this.low = b.low;
    this.trades += b.trades;
    this.volume.add(b.volume);
    this.quoteVolume.add(b.quoteVolume);
    this.takerBuyVolume.add(b.takerBuyVolume);
    if (b.volume > 0) {
      if (Number.isFinite(b.vwap)) {
        this.vwapVolume.addProduct(b.vwap, b.volume);
        this.vwapWeight.add(b.volume);
      } else {
        this.vwapUndefined = true;
      }
    }
  }

  toBar(symbol: string, timeframeMs: number): Bar {
    const weight = this.vwapWeight.value();
    return {
      symbol,
      timeframeMs,
      startMs: this.startMs,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      volume: this.volume.value(),
      quoteVolume: this.quoteVolume.value(),
      trades: this.trades,
      takerBuyVolume: this.takerBuyVolume.value(),
      vwap: this.vwapUndefined || weight === 0 ? NaN : this.vwapVolume.value() / weight,
    };
  }
}

function alignDown(t: number, tf: number): number {
  return t - (((t % tf) + tf) % tf);
}

/**
 * `bars` (one symbol, ascending, one timeframe t) rolled up to `targetMs` (a multiple of t).
 * Returns [] for no bars; a target that is not a multiple of t returns [] too (not exact).
 */
export function rollUpBars(bars: readonly Bar[], targetMs: number): Bar[] {
  const r = new BarRollup([targetMs]);
  const out: Bar[] = [];
  for (const b of bars) out.push(...r.push(b));
  out.push(...r.finish());
  return out;
}

/** Per symbol and target: the open interval and every interval already emitted (for revisions). */
interface Level {
  targetMs: number;
  open: RollAcc | null;
  /** Emitted intervals by start: a bar arriving late for one is folded in and re-emitted. */
  emitted: Map<number, RollAcc>;
}

/**
 * Incremental roll-up over bars of any symbols, each symbol ascending: `push` returns the coarse
 * bars that closed (a bar of a later interval arrived), `finish` the rest. A bar for an interval
 * already returned (input out of order) is folded in and that interval's bar is returned again
 * with the new values — store it over the earlier one (same key). Bars whose timeframe does not
 * divide a target (or is not finer) are not rolled up to it; `skipped` counts them.
 */
export class BarRollup {
  private readonly levels = new Map<string, Level[]>();
  /** (bar, target) pairs not rolled up because the target is not a coarser multiple. */
  skipped = 0;

  /** @param targetsMs coarser timeframes wanted, e.g. [60 000, 300 000] */
  constructor(private readonly targetsMs: readonly number[]) {}

  push(bar: Bar): Bar[] {
    let levels = this.levels.get(bar.symbol);
    if (levels === undefined) {
      levels = this.targetsMs.map((targetMs) => ({ targetMs, open: null, emitted: new Map() }));
      this.levels.set(bar.symbol, levels);
    }
    const out: Bar[] = [];
    for (const lv of levels) {
      const t = lv.targetMs;
      if (t <= bar.timeframeMs || t % bar.timeframeMs !== 0) {
        this.skipped++;
        continue;
      }
      const start = alignDown(bar.startMs, t);
      const open = lv.open;
      if (open !== null && open.startMs === start) {
        open.add(bar);
      } else if (open === null || start > open.startMs) {
        if (open !== null) {
          lv.emitted.set(open.startMs, open);
          out.push(open.toBar(bar.symbol, t));
        }
        const acc = new RollAcc(start);
        acc.add(bar);
        lv.open = acc;
      } else {
        // Earlier than the open interval: revise an emitted one (or emit a new one at once).
        let acc = lv.emitted.get(start);
        if (acc === undefined) {
          acc = new RollAcc(start);
          lv.emitted.set(start, acc);
        }
        acc.add(bar);
        out.push(acc.toBar(bar.symbol, t));
      }
    }
    return out;
  }

  /** The still-open coarse bars, by symbol then target; the roll-up is empty afterwards. */
  finish(): Bar[] {
    const out: Bar[] = [];
    for (const [symbol, levels] of this.levels) {
      for (const lv of levels) if (lv.open !== null) out.push(lv.open.toBar(symbol, lv.targetMs));
    }
    this.levels.clear();
    return out;
  }
}
