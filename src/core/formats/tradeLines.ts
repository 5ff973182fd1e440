/**
 * Shared tail of the aggTrades and trades readers: turn parsed columns into a `Tick` (same object
 * shape as the NDJSON decoder's) and run the value checks of `TickValidator`, whose `p`/`q`/`T`/
 * `a`/`t` fields are renamed to the CSV column names.
 */
import type { Tick, TradeStream } from '../market/types';
import { DEFAULT_MAX_AHEAD_MS, TickValidator } from '../validation/tickValidator';
import {
  badDecimalMessage,
  MAX_TIME_MS,
  parseDecimalText,
  parseIdField,
  rejectLine,
  type LineResult,
} from './common';

/** One trade read from a CSV line. */
export interface TradeRow {
  /** eventTimeMs = timeMs (the files carry no event time); tradeType MARKET. */
  tick: Tick;
  /** The exact trade time when the file gives microseconds (tick.timeMs is it truncated to ms). */
  timeUs?: number;
  /** aggTrades only: the range of underlying trade ids. */
  firstTradeId?: number;
  lastTradeId?: number;
  /** Spot files only: `is_best_match`. */
  isBestMatch?: boolean;
}

export interface TradeReaderOptions {
  /** Upper-case symbol of the file (from `symbolFromFileName`, or asked for). */
  symbol: string;
  /**
   * The validator to use; by default one of its own, with a fixed clock at 2100 so reading a file
   * is deterministic (archives are history: "ahead of the local clock" is the importer's call).
   */
  validator?: TickValidator;
}

export function defaultValidator(symbol: string): TickValidator {
  return new TickValidator({ symbols: [symbol], now: () => MAX_TIME_MS - DEFAULT_MAX_AHEAD_MS });
}

/** The first three columns of a trades / aggTrades line. */
export interface IdPriceQty {
  id: number;
  price: number;
  qty: number;
}

/** Parses `f[0..2]` as id, price, qty (named by `columns`); the values or the line's rejection. */
export function parseIdPriceQty(
  f: readonly string[],
  lineNo: number,
  columns: { id: string; price: string; qty: string },
): IdPriceQty | LineResult<TradeRow> {
  const id = parseIdField<TradeRow>(f[0], columns.id, lineNo);
  if (typeof id !== 'number') return id;
  const price = parseDecimalText(f[1]);
  if (Number.isNaN(price)) {
    return rejectLine('bad_price', columns.price, lineNo, badDecimalMessage(columns.price, f[1]));
  }
  const qty = parseDecimalText(f[2]);
  if (Number.isNaN(qty)) {
    return rejectLine('bad_qty', columns.qty, lineNo, badDecimalMessage(columns.qty, f[2]));
  }
  return { id, price, qty };
}

export function makeTick(
  symbol: string,
  tradeId: number,
  timeMs: number,
  price: number,
  qty: number,
  priceText: string,
  qtyText: string,
  isBuyerMaker: boolean,
  stream: TradeStream,
): Tick {
  return {
    symbol,
    tradeId,
    timeMs,
    eventTimeMs: timeMs,
    price,
    qty,
    priceText,
    qtyText,
    isBuyerMaker,
    stream,
    tradeType: 'MARKET',
  };
}

/** Validates `row.tick`; the row, or the validator's rejection under CSV column names. */
export function validateRow(
  validator: TickValidator,
  row: TradeRow,
  lineNo: number,
  columns: { id: string; price: string; qty: string; time: string },
): LineResult<TradeRow> {
  const r = validator.validate(row.tick);
  if (r === null) return { kind: 'item', item: row };
  let field: string | undefined;
  switch (r.field) {
    case 'p':
      field = columns.price;
      break;
    case 'q':
      field = columns.qty;
      break;
    case 'T':
    case 'E':
      field = columns.time;
      break;
    case 'a':
    case 't':
      field = columns.id;
      break;
    case 's':
      field = 'symbol';
      break;
    default:
      field = r.field;
  }
  return rejectLine(r.reason, field, lineNo, r.message);
}
