/**
 * Detects missing trade ids per (symbol, stream) so a REST backfill can fetch them
 * (`GET /fapi/v1/aggTrades?fromId=<fromId>` for aggTrade). Binance ids are contiguous per symbol
 * and stream, so any skip is a loss — typically a reconnect.
 */
import type { Tick, TradeStream } from '../market/types';

/** Ids fromId … toId (inclusive) of `symbol`/`stream` were not observed. count = toId − fromId + 1. */
export interface TradeIdGap {
  symbol: string;
  stream: TradeStream;
  fromId: number;
  toId: number;
  count: number;
}

interface LastIds {
  aggTrade: number;
  trade: number;
}

export class TradeIdGapTracker {
  private readonly last = new Map<string, LastIds>();

  /**
   * Notes `tick.tradeId` (feed validated ticks only). Returns the gap between the highest id seen
   * so far and this one when ids were skipped, else null. An id at or below the highest seen (late
   * or repeated) returns null and does not move the high-water mark, so a late arrival never
   * creates a false gap. The first id of a (symbol, stream) is its baseline: no gap.
   */
  observe(tick: Tick): TradeIdGap | null {
    let ids = this.last.get(tick.symbol);
    if (ids === undefined) {
      ids = { aggTrade: -1, trade: -1 };
      this.last.set(tick.symbol, ids);
    }
    const prev = ids[tick.stream];
    const id = tick.tradeId;
    if (id <= prev) return null;
    ids[tick.stream] = id;
    if (prev < 0 || id === prev + 1) return null;
    return {
      symbol: tick.symbol,
      stream: tick.stream,
      fromId: prev + 1,
      toId: id - 1,
      count: id - prev - 1,
    };
  }

  /**
   * Highest id seen for `symbol` on `stream`; without `stream`, aggTrade if that stream was seen,
   * else trade. Undefined when none was seen.
   */
  lastId(symbol: string, stream?: TradeStream): number | undefined {
    const ids = this.last.get(symbol);
    if (ids === undefined) return undefined;
    const v = stream !== undefined ? ids[stream] : ids.aggTrade >= 0 ? ids.aggTrade : ids.trade;
    return v >= 0 ? v : undefined;
  }

  /** Sets the baseline, e.g. from storage at startup, so the first live id can reveal a gap. */
  seed(symbol: string, stream: TradeStream, lastId: number): void {
    let ids = this.last.get(symbol);
    if (ids === undefined) {
      ids = { aggTrade: -1, trade: -1 };
      this.last.set(symbol, ids);
    }
    ids[stream] = lastId;
  }
}
