/**
 * What `decodeMessage` turns one Binance WebSocket text frame into. Decoding never throws: every
 * input maps to exactly one of these variants.
 */
import type { Rejection, Tick } from '../market/types';

/** Best bid/ask update (`bookTicker`). Prices in quote currency, quantities in base currency. */
export interface BookTicker {
  /** Upper-case symbol. */
  symbol: string;
  /** Order-book update id `u`; increases per symbol. */
  updateId: number;
  /** Best bid price `b`. */
  bidPrice: number;
  /** Best bid quantity `B`. */
  bidQty: number;
  /** Best ask price `a`. */
  askPrice: number;
  /** Best ask quantity `A`. */
  askQty: number;
  /** Event time `E` (ms); futures only — spot bookTicker has none. */
  eventTimeMs?: number;
  /** Transaction time `T` (ms); futures only. */
  txTimeMs?: number;
}

/** A trade (`aggTrade` or `trade`), decoded but not yet validated (see `TickValidator`). */
export interface TradeMessage {
  kind: 'trade';
  tick: Tick;
  /** Combined-stream name, e.g. `btcusdt@aggTrade`; undefined for a raw-stream message. */
  streamName: string | undefined;
}

export interface BookTickerMessage {
  kind: 'bookTicker';
  book: BookTicker;
  /** Combined-stream name, e.g. `btcusdt@bookTicker`; undefined for a raw-stream message. */
  streamName: string | undefined;
}

/** Reply to SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS / *_PROPERTY: `{"result":…,"id":…}`. */
export interface SubscriptionReplyMessage {
  kind: 'subscriptionReply';
  id: number;
  /** `null` for (un)subscribe, an array for LIST_SUBSCRIPTIONS, a value for GET_PROPERTY. */
  result: unknown;
}

/** Control-request error: `{"code":2,"msg":"Invalid request: …","id":1}`. */
export interface ErrorReplyMessage {
  kind: 'errorReply';
  code: number;
  msg: string;
  /** Request id, when the server echoed one. */
  id?: number;
}

/** The input could not be decoded; `rejection` says which field and why. */
export interface RejectedMessage {
  kind: 'rejected';
  rejection: Rejection;
}

export type DecodedMessage =
  TradeMessage | BookTickerMessage | SubscriptionReplyMessage | ErrorReplyMessage | RejectedMessage;
