/**
 * Exact roll-up of imported bars to coarser timeframes (bars-only imports, #10): a 1 s kline file
 * also gets its 1 m and 5 m bars. For each coarser timeframe T (a multiple of the source's) and
 * each interval [s, s + T): open = open of the earliest bar, close = close of the latest, high =
 * max, low = min, trades = Σ, volume / quoteVolume / takerBuyVolume = the correctly rounded exact
 * sums of the bars' values ({@link ExactSum}), vwap = quoteVolume / volume.
 *
 * TODO(#10): replace with core's `BarRollup` (src/core/formats) once it lands.
 */
import { ExactSum } from '../../../core/bars/exactSum';
import type { Bar } from '../../../core/market/types';

class RollAcc {
  open = 0;
  openStart = Number.POSITIVE_INFINITY;
  close = 0;
  closeStart = Number.NEGATIVE_INFINITY;
  high = Number.NEGATIVE_INFINITY;
  low = Number.POSITIVE_INFINITY;
  trades = 0;
  readonly volume = new ExactSum();
  readonly quoteVolume = new ExactSum();
  readonly takerBuyVolume = new ExactSum();

  add(b: Bar): void {
    if (b.startMs < this.openStart) {
      this.openStart = b.startMs;
      this.open = b.open;
    }
    if (b.startMs > this.closeStart) {
      this.closeStart = b.startMs;
      this.close = b.close;
    }
    if (b.high > this.high) this.high = b.high;
    if (b.low < this.low) this.low = b.low;
    this.trades += b.trades;
    this.volume.add(b.volume);
    this.quoteVolume.add(b.quoteVolume);
    this.takerBuyVolume.add(b.takerBuyVolume);
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
      vwap: volume > 0 ? quoteVolume / volume : this.close,
    };
  }
}

export class ImportBarRollup {
  /** `${symbol}|${tf}` → start → accumulator. */
  private readonly levels = new Map<string, Map<number, RollAcc>>();

  /** @param targetsMs the coarser timeframes wanted (e.g. 60 000 and 300 000) */
  constructor(private readonly targetsMs: readonly number[]) {}

  /** Folds `bar` into every target timeframe coarser than it and a multiple of it. */
  add(bar: Bar): void {
    for (const tf of this.targetsMs) {
      if (tf <= bar.timeframeMs || tf % bar.timeframeMs !== 0) continue;
      const key = `${bar.symbol}|${tf}`;
      let level = this.levels.get(key);
      if (level === undefined) {
        level = new Map();
        this.levels.set(key, level);
      }
      const start = Math.floor(bar.startMs / tf) * tf;
      let acc = level.get(start);
      if (acc === undefined) {
        acc = new RollAcc();
        level.set(start, acc);
      }
      acc.add(bar);
    }
  }

  /** Every rolled-up bar, by symbol, timeframe, then start. */
  finish(): Bar[] {
    const out: Bar[] = [];
    for (const [key, level] of this.levels) {
      const sep = key.lastIndexOf('|');
      const symbol = key.slice(0, sep);
      const tf = Number(key.slice(sep + 1));
      for (const start of [...level.keys()].sort((a, b) => a - b)) {
        const acc = level.get(start);
        if (acc !== undefined) out.push(acc.toBar(symbol, tf, start));
      }
    }
    this.levels.clear();
    return out;
  }
}
