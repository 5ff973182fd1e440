/**
 * Trade rows of a file (aggTrades / trades CSV, PairDesk tick exports) as the WebSocket payloads
 * Binance USD-M futures sends, in its exact field order (as src/core/sim/payloads.ts writes them), so a replayed
 * CSV takes the same feed path as a capture. The files carry no event time: E = T. aggTrade
 * payloads leave out `nq` (Binance added it in 2025; the files do not have it), trade payloads
 * carry X "MARKET" (the archives hold market trades only).
 */
import type { Tick } from '../../../core/market/types';
import type { CaptureMessage } from './capture';

/** One trade with what the payload needs beyond the tick. */
export interface TradeForPayload {
  tick: Tick;
  /** aggTrades: the range of underlying trade ids; a tick export has none (then f = l = a). */
  firstTradeId?: number;
  lastTradeId?: number;
}

/**
 * The stream name and payload text of a trade, as the exchange would publish it. Symbols are
 * validated upper-case alphanumerics and the decimal texts digits and a point (the readers
 * checked them), so plain concatenation is valid JSON.
 */
export function tradeMessage(row: TradeForPayload, stream: 'aggTrade' | 'trade'): CaptureMessage {
  const t = row.tick;
  const streamName = `${t.symbol.toLowerCase()}@${stream}`;
  const raw =
    stream === 'trade'
      ? `{"e":"trade","E":${t.timeMs},"T":${t.timeMs},"s":"${t.symbol}","t":${t.tradeId},` +
        `"p":"${t.priceText}","q":"${t.qtyText}","X":"MARKET","m":${t.isBuyerMaker}}`
      : `{"e":"aggTrade","E":${t.timeMs},"s":"${t.symbol}","a":${t.tradeId},"p":"${t.priceText}",` +
        `"q":"${t.qtyText}","f":${row.firstTradeId ?? t.tradeId},"l":${row.lastTradeId ?? t.tradeId},` +
        `"T":${t.timeMs},"m":${t.isBuyerMaker}}`;
  return { stream: streamName, raw, eventTimeMs: t.timeMs };
}
