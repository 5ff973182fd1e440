/**
 * Market-data value types shared by every layer. Units: times are epoch milliseconds UTC,
 * prices in quote currency (USDT), quantities in base currency.
 */

/** Binance trade stream a tick came from. */
export type TradeStream = 'aggTrade' | 'trade';

/**
 * Futures trade type (`X`). Only MARKET trades belong in bars; insurance-fund and ADL fills are
 * stored but kept out of bars. aggTrade and spot trades are always MARKET.
 */
export type TradeType = 'MARKET' | 'INSURANCE_FUND' | 'ADL';

/** One validated trade. */
export interface Tick {
  /** Upper-case symbol, e.g. `BTCUSDT`. */
  symbol: string;
  /** aggTrade `a` or trade `t`; unique and increasing per symbol and stream. */
  tradeId: number;
  /** Trade time `T` (ms). Bars are bucketed by this. */
  timeMs: number;
  /** Event time `E` (ms); equals timeMs when the payload has none. Drives the feed clock. */
  eventTimeMs: number;
  /** `p` parsed to the nearest double. */
  price: number;
  /** `q` parsed to the nearest double. */
  qty: number;
  /** `p` exactly as received: storage keeps full decimal precision. */
  priceText: string;
  /** `q` exactly as received. */
  qtyText: string;
  /** `m`: true when the buyer was the maker, i.e. the seller was the aggressor. */
  isBuyerMaker: boolean;
  stream: TradeStream;
  tradeType: TradeType;
}

/** Bar timeframes the product exposes; any multiple of 1 s works in the aggregator. */
export type Timeframe = '1s' | '1m' | '5m';

export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  '1s': 1_000,
  '1m': 60_000,
  '5m': 300_000,
};

export const TIMEFRAMES: readonly Timeframe[] = ['1s', '1m', '5m'];

/** OHLCV bar over [startMs, startMs + timeframeMs). Intervals without trades have no bar. */
export interface Bar {
  symbol: string;
  timeframeMs: number;
  /** Interval start, UTC-aligned: startMs % timeframeMs === 0. */
  startMs: number;
  /** Price of the first trade by (timeMs, tradeId). */
  open: number;
  high: number;
  low: number;
  /** Price of the last trade by (timeMs, tradeId). */
  close: number;
  /** Σ qty (base units). */
  volume: number;
  /** Σ price·qty (quote units). */
  quoteVolume: number;
  /** Number of trades (aggTrade messages count one each). */
  trades: number;
  /** Σ qty of trades where the buyer was the taker (isBuyerMaker = false). */
  takerBuyVolume: number;
  /** quoteVolume / volume. */
  vwap: number;
}

/** Why an input was rejected; every rejection is counted under one of these. */
export type RejectReason =
  | 'malformed_json'
  | 'unknown_message'
  | 'missing_field'
  | 'bad_price'
  | 'bad_qty'
  | 'bad_trade_id'
  | 'unknown_symbol'
  | 'implausible_time'
  | 'duplicate'
  | 'too_late';

/** A rejected input with a message a person can act on. */
export interface Rejection {
  reason: RejectReason;
  /** The offending field, e.g. `p`, when one is to blame. */
  field?: string;
  /** Plain-words explanation, e.g. `price "-1" is not a finite number > 0`. */
  message: string;
}
