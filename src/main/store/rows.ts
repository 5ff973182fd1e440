import type { Bar, Tick, TradeStream, TradeType } from '../../core/market/types';

/** Row shapes exactly as SQLite returns them (column names as selected). */
export interface TickRow {
  symbol: string;
  trade_id: number;
  time_ms: number;
  event_time_ms: number;
  price: string;
  qty: string;
  is_buyer_maker: number;
  stream: number;
  trade_type: number;
}

/**
 * A bar row in raw (array) mode, columns in BAR_COLUMNS order. Bars are read as arrays, not
 * objects: better-sqlite3 builds a keyed object per row through N-API, which made reading 100 k
 * bars take ~500 ms against ~200 ms as arrays (SQLite itself needs ~10 ms).
 */
export type BarTuple = [
  symbol: string,
  timeframeMs: number,
  startMs: number,
  open: number | null,
  high: number | null,
  low: number | null,
  close: number | null,
  volume: number | null,
  quoteVolume: number | null,
  trades: number,
  takerBuyVolume: number | null,
  vwap: number | null,
];

export interface DatasetRow {
  id: number;
  kind: string;
  label: string;
  source: string | null;
  created_ms: number;
  tick_count: number;
  bar_count: number;
  first_ms: number | null;
  last_ms: number | null;
  /** Schema v3; NULL for rows written before it (then the kind says the origin). */
  origin: string | null;
  bars_only_tf_ms: number | null;
}

// Integer codes keep the WITHOUT ROWID rows short (0 and 1 take no payload bytes at all).
const STREAMS: readonly TradeStream[] = ['aggTrade', 'trade'];
const TRADE_TYPES: readonly TradeType[] = ['MARKET', 'INSURANCE_FUND', 'ADL'];

export function streamCode(s: TradeStream): number {
  return s === 'trade' ? 1 : 0;
}

export function streamOf(code: number): TradeStream {
  return STREAMS[code] ?? 'aggTrade';
}

export function tradeTypeCode(t: TradeType): number {
  return t === 'MARKET' ? 0 : t === 'INSURANCE_FUND' ? 1 : 2;
}

export function rowToTick(r: TickRow): Tick {
  return {
    symbol: r.symbol,
    tradeId: r.trade_id,
    timeMs: r.time_ms,
    eventTimeMs: r.event_time_ms,
    price: Number(r.price),
    qty: Number(r.qty),
    priceText: r.price,
    qtyText: r.qty,
    isBuyerMaker: r.is_buyer_maker !== 0,
    stream: STREAMS[r.stream] ?? 'aggTrade',
    tradeType: TRADE_TYPES[r.trade_type] ?? 'MARKET',
  };
}

/** NULL (a NaN when written) reads back as NaN. */
const num = (v: number | null): number => (v === null ? NaN : v);

export function tupleToBar(r: BarTuple): Bar {
  return {
    symbol: r[0],
    timeframeMs: r[1],
    startMs: r[2],
    open: num(r[3]),
    high: num(r[4]),
    low: num(r[5]),
    close: num(r[6]),
    volume: num(r[7]),
    quoteVolume: num(r[8]),
    trades: r[9],
    takerBuyVolume: num(r[10]),
    vwap: num(r[11]),
  };
}
