/**
 * Binance USD-M futures payload text for simulated events, with the exact field order of real
 * messages (checked against the captures in tests/fixtures/binance-real):
 * - aggTrade: e, E, s, a, p, q, nq, f, l, T, m
 * - trade:    e, E, T, s, t, p, q, X, m
 * - bookTicker: e, u, s, b, B, a, A, T, E (the order of the real futures capture; the protocol
 *   notes' example lists E/T before s — JSON consumers must not depend on order either way).
 * Symbols are validated upper-case alphanumerics, so plain concatenation is valid JSON.
 */
import type { SimAggTrade, SimFill, SimQuote } from './market';

export function aggTradePayload(t: SimAggTrade, eventTimeMs: number): string {
  return (
    `{"e":"aggTrade","E":${eventTimeMs},"s":"${t.symbol}","a":${t.aggId},"p":"${t.priceText}",` +
    `"q":"${t.qtyText}","nq":"${t.qtyText}","f":${t.firstTradeId},"l":${t.lastTradeId},` +
    `"T":${t.timeMs},"m":${t.isBuyerMaker}}`
  );
}

export function tradePayload(t: SimAggTrade, fill: SimFill, eventTimeMs: number): string {
  return (
    `{"e":"trade","E":${eventTimeMs},"T":${t.timeMs},"s":"${t.symbol}","t":${fill.tradeId},` +
    `"p":"${t.priceText}","q":"${fill.qtyText}","X":"MARKET","m":${t.isBuyerMaker}}`
  );
}

export function bookTickerPayload(q: SimQuote, eventTimeMs: number): string {
  return (
    `{"e":"bookTicker","u":${q.updateId},"s":"${q.symbol}","b":"${q.bidText}",` +
    `"B":"${q.bidQtyText}","a":"${q.askText}","A":"${q.askQtyText}","T":${q.timeMs},` +
    `"E":${eventTimeMs}}`
  );
}

/** Binance stream names (`btcusdt@aggTrade`) for a symbol. */
export function simStreamNames(symbol: string): {
  aggTrade: string;
  trade: string;
  bookTicker: string;
} {
  const lower = symbol.toLowerCase();
  return {
    aggTrade: `${lower}@aggTrade`,
    trade: `${lower}@trade`,
    bookTicker: `${lower}@bookTicker`,
  };
}
