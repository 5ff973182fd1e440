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

export interface BarRow {
  symbol: string;
  timeframe_ms: number;
  start_ms: number;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
  quote_volume: number | null;
  trades: number;
  taker_buy_volume: number | null;
  vwap: number | null;
}

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

export function rowToBar(r: BarRow): Bar {
  return {
    symbol: r.symbol,
    timeframeMs: r.timeframe_ms,
    startMs: r.start_ms,
    open: num(r.open),
    high: num(r.high),
    low: num(r.low),
    close: num(r.close),
    volume: num(r.volume),
    quoteVolume: num(r.quote_volume),
    trades: r.trades,
    takerBuyVolume: num(r.taker_buy_volume),
    vwap: num(r.vwap),
  };
}
