/**
 * Binance WebSocket message decoding: raw-stream payloads and combined-stream envelopes
 * (`{"stream":"btcusdt@aggTrade","data":{…}}`) for futures `aggTrade`, futures and spot `trade`,
 * futures and spot `bookTicker`, control replies `{"result":…,"id":…}` and errors
 * `{"code":…,"msg":…}`.
 *
 * Division of labour with `TickValidator`: the decoder checks representation — JSON syntax, the
 * event type, presence and JSON type of each field, the decimal grammar of prices/quantities,
 * integer-ness of ids and times. The validator checks values — price/qty > 0, trade id ≥ 0, known
 * symbol, plausible time, duplicates. So `"p":"-1"` decodes (price −1) and the validator rejects
 * it; `"p":"1e5"` or `"p":1.5` is rejected here. BookTickers are not validated further, so a
 * `"0.00000000"` empty-side quote passes through.
 *
 * Two paths, same results:
 * - `decodeMessageSlow`: `JSON.parse` and field-by-field checks; handles any key order,
 *   whitespace, escapes and extra keys (Binance adds fields over time, e.g. `nq`).
 * - fast path (inside `decodeMessage`): for aggTrade/trade in Binance's exact field order it walks
 *   the string once with `charCodeAt`, no `JSON.parse`. It consumes the text from
 *   start to end against a fixed layout — it never searches for a key — so a key-like string
 *   inside a value cannot confuse it. It accepts only a strict subset of JSON (digits-only
 *   integers of ≤ 15 digits without leading zeros, `[A-Z0-9]+` symbols, decimal-grammar
 *   price/qty strings, printable-ASCII stream names without `\`) and only messages the slow path
 *   accepts; anything else — including every would-be rejection — returns null and goes to the
 *   slow path, which alone produces rejections. Tests compare both paths on real captures and on
 *   fuzzed variants.
 */
import type { RejectReason, Tick, TradeStream, TradeType } from '../market/types';
import { POW10, EXACT_DIGITS, parseDecimal } from './decimal';
import type { BookTicker, DecodedMessage, RejectedMessage, TradeMessage } from './messages';

/** Decodes one text frame. Never throws; failures come back as `{ kind: 'rejected' }`. */
export function decodeMessage(raw: string): DecodedMessage {
  const fast = decodeTradeFast(raw);
  return fast !== null ? fast : decodeMessageSlow(raw);
}

// ---------------------------------------------------------------------------------------------
// Shared construction (one object shape for both paths keeps call sites monomorphic).

function makeTick(
  symbol: string,
  tradeId: number,
  timeMs: number,
  eventTimeMs: number,
  price: number,
  qty: number,
  priceText: string,
  qtyText: string,
  isBuyerMaker: boolean,
  stream: TradeStream,
  tradeType: TradeType,
): Tick {
  return {
    symbol,
    tradeId,
    timeMs,
    eventTimeMs,
    price,
    qty,
    priceText,
    qtyText,
    isBuyerMaker,
    stream,
    tradeType,
  };
}

function tradeMessage(tick: Tick, streamName: string | undefined): TradeMessage {
  return { kind: 'trade', tick, streamName };
}

function reject(reason: RejectReason, field: string | undefined, message: string): RejectedMessage {
  return {
    kind: 'rejected',
    rejection: field === undefined ? { reason, message } : { reason, field, message },
  };
}

// ---------------------------------------------------------------------------------------------
// Slow path: JSON.parse + explicit checks.

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Short printable form of a bad value for messages: `"abc"`, `1.5`, `null`, `missing`. */
function show(v: unknown): string {
  if (v === undefined) return 'missing';
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const TRADE_TYPES: ReadonlySet<string> = new Set<TradeType>(['MARKET', 'INSURANCE_FUND', 'ADL']);

/** Full decoder; exported so tests can compare it with the fast path. */
export function decodeMessageSlow(raw: string): DecodedMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    // V8's message may quote the input; keep it short.
    const why = err instanceof Error ? err.message : String(err);
    return reject(
      'malformed_json',
      undefined,
      `not valid JSON (${why.length > 120 ? `${why.slice(0, 117)}...` : why})`,
    );
  }
  if (!isObject(parsed)) {
    return reject('unknown_message', undefined, `expected a JSON object, got ${jsonKind(parsed)}`);
  }

  let payload: JsonObject = parsed;
  let streamName: string | undefined;
  if (typeof parsed.stream === 'string' && 'data' in parsed) {
    if (!isObject(parsed.data)) {
      return reject(
        'unknown_message',
        'data',
        `combined-stream envelope "data" must be an object, got ${jsonKind(parsed.data)}`,
      );
    }
    payload = parsed.data;
    streamName = parsed.stream;
  }

  const e = payload.e;
  if (e === 'aggTrade') return decodeTradeObject(payload, 'aggTrade', streamName);
  if (e === 'trade') return decodeTradeObject(payload, 'trade', streamName);
  if (e === 'bookTicker' || (e === undefined && 'u' in payload && 'b' in payload)) {
    return decodeBookObject(payload, streamName);
  }
  if (e !== undefined) {
    return reject(
      'unknown_message',
      'e',
      typeof e === 'string'
        ? `event type ${show(e)} is not one this decoder handles (aggTrade, trade, bookTicker)`
        : `event type e must be a string, got ${show(e)}`,
    );
  }
  if (streamName === undefined) {
    if ('result' in payload && 'id' in payload) {
      const id = payload.id;
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
        return reject('unknown_message', 'id', `reply id must be an integer, got ${show(id)}`);
      }
      return { kind: 'subscriptionReply', id, result: payload.result };
    }
    // Errors come flat (`{"code","msg","id"}`) or nested (`{"error":{"code","msg"},"id"}`).
    const err = isObject(payload.error) ? payload.error : payload;
    if ('code' in err && 'msg' in err) {
      const code = err.code;
      const msg = err.msg;
      if (typeof code !== 'number' || typeof msg !== 'string') {
        return reject(
          'unknown_message',
          typeof code !== 'number' ? 'code' : 'msg',
          `error reply needs a numeric code and a string msg, got code ${show(code)}, msg ${show(msg)}`,
        );
      }
      const id = payload.id;
      return typeof id === 'number' && Number.isSafeInteger(id)
        ? { kind: 'errorReply', code, msg, id }
        : { kind: 'errorReply', code, msg };
    }
  }
  return reject(
    'unknown_message',
    undefined,
    'not a Binance trade, bookTicker, subscription reply or error (no "e", "result"/"id" or "code"/"msg")',
  );
}

function requireString(
  d: JsonObject,
  key: string,
  what: string,
): { ok: true; value: string } | { ok: false; msg: RejectedMessage } {
  const v = d[key];
  if (typeof v === 'string') return { ok: true, value: v };
  return v === undefined
    ? { ok: false, msg: reject('missing_field', key, `${what} ${key} is missing`) }
    : {
        ok: false,
        msg: reject('missing_field', key, `${what} ${key} must be a string, got ${show(v)}`),
      };
}

/** Decimal string field → number, or a rejection naming the field. */
function decimalField(
  d: JsonObject,
  key: string,
  what: string,
  reason: 'bad_price' | 'bad_qty',
): number | RejectedMessage {
  const v = d[key];
  if (v === undefined) return reject('missing_field', key, `${what} ${key} is missing`);
  if (typeof v !== 'string') {
    return reject(
      reason,
      key,
      `${what} ${key} must be a decimal string, got ${jsonKind(v)} ${show(v)}`,
    );
  }
  const n = parseDecimal(v);
  if (Number.isNaN(n)) {
    return reject(reason, key, `${what} ${key} ${show(v)} is not a plain decimal like "123.45"`);
  }
  return n;
}

/** Integer time field (ms) → number, or a rejection. */
function timeField(d: JsonObject, key: string, what: string): number | RejectedMessage {
  const v = d[key];
  if (v === undefined) return reject('missing_field', key, `${what} ${key} is missing`);
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    return reject(
      'implausible_time',
      key,
      `${what} ${key} must be integer milliseconds, got ${show(v)}`,
    );
  }
  return v;
}

function decodeTradeObject(
  d: JsonObject,
  stream: TradeStream,
  streamName: string | undefined,
): DecodedMessage {
  const s = requireString(d, 's', 'symbol');
  if (!s.ok) return s.msg;

  const idKey = stream === 'aggTrade' ? 'a' : 't';
  const id = d[idKey];
  if (id === undefined) return reject('missing_field', idKey, `trade id ${idKey} is missing`);
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    return reject('bad_trade_id', idKey, `trade id ${idKey} must be an integer, got ${show(id)}`);
  }

  const price = decimalField(d, 'p', 'price', 'bad_price');
  if (typeof price !== 'number') return price;
  const qty = decimalField(d, 'q', 'quantity', 'bad_qty');
  if (typeof qty !== 'number') return qty;

  const timeMs = timeField(d, 'T', 'trade time');
  if (typeof timeMs !== 'number') return timeMs;
  let eventTimeMs = timeMs;
  if (d.E !== undefined) {
    const ev = timeField(d, 'E', 'event time');
    if (typeof ev !== 'number') return ev;
    eventTimeMs = ev;
  }

  const m = d.m;
  if (typeof m !== 'boolean') {
    return reject(
      'missing_field',
      'm',
      m === undefined
        ? 'buyer-is-maker flag m is missing'
        : `buyer-is-maker flag m must be true or false, got ${show(m)}`,
    );
  }

  let tradeType: TradeType = 'MARKET';
  if (stream === 'trade') {
    const x = d.X;
    if (x === undefined) {
      // Spot trades have no X but carry M; a trade with neither is not a layout we know.
      if (!('M' in d)) {
        return reject(
          'missing_field',
          'X',
          'trade type X is missing (futures trades carry X, spot trades carry M)',
        );
      }
    } else if (typeof x === 'string' && TRADE_TYPES.has(x)) {
      tradeType = x as TradeType;
    } else {
      return reject(
        'unknown_message',
        'X',
        `trade type X ${show(x)} is not MARKET, INSURANCE_FUND or ADL; cannot tell whether it belongs in bars`,
      );
    }
  }

  const p = d.p as string;
  const q = d.q as string;
  return tradeMessage(
    makeTick(
      s.value.toUpperCase(),
      id,
      timeMs,
      eventTimeMs,
      price,
      qty,
      p,
      q,
      m,
      stream,
      tradeType,
    ),
    streamName,
  );
}

function decodeBookObject(d: JsonObject, streamName: string | undefined): DecodedMessage {
  const s = requireString(d, 's', 'symbol');
  if (!s.ok) return s.msg;
  const u = d.u;
  if (u === undefined) return reject('missing_field', 'u', 'book update id u is missing');
  if (typeof u !== 'number' || !Number.isSafeInteger(u) || u < 0) {
    return reject(
      'bad_trade_id',
      'u',
      `book update id u must be a non-negative integer, got ${show(u)}`,
    );
  }
  const bidPrice = decimalField(d, 'b', 'best bid price', 'bad_price');
  if (typeof bidPrice !== 'number') return bidPrice;
  const bidQty = decimalField(d, 'B', 'best bid quantity', 'bad_qty');
  if (typeof bidQty !== 'number') return bidQty;
  const askPrice = decimalField(d, 'a', 'best ask price', 'bad_price');
  if (typeof askPrice !== 'number') return askPrice;
  const askQty = decimalField(d, 'A', 'best ask quantity', 'bad_qty');
  if (typeof askQty !== 'number') return askQty;

  const book: BookTicker = {
    symbol: s.value.toUpperCase(),
    updateId: u,
    bidPrice,
    bidQty,
    askPrice,
    askQty,
  };
  // Spot bookTicker has no E/T; when present they must be integer ms.
  if (d.E !== undefined) {
    const ev = timeField(d, 'E', 'event time');
    if (typeof ev !== 'number') return ev;
    book.eventTimeMs = ev;
  }
  if (d.T !== undefined) {
    const tx = timeField(d, 'T', 'transaction time');
    if (typeof tx !== 'number') return tx;
    book.txTimeMs = tx;
  }
  return { kind: 'bookTicker', book, streamName };
}

// ---------------------------------------------------------------------------------------------
// Fast path: exact Binance layouts, single forward scan. Returns null to defer to the slow path.

const QUOTE = 34;
const BACKSLASH = 92;
const CH_0 = 48;
const CH_9 = 57;
const CH_DOT = 46;
const CH_A = 65;
const CH_Z = 90;
const CLOSE_BRACE = 125;
const COMMA = 44;
const COLON = 58;

// Scanner "return registers": the helpers return the next index (or -1) and leave the value
// here, so the hot path allocates no tuples. Single-threaded JS makes this safe.
let scanValue = 0;
let scanFlag = false;

/**
 * Unsigned JSON integer at `i`: `0` or `[1-9][0-9]*`, at most 15 digits (< 2^53, so the
 * digit-by-digit sum is exact and equals JSON.parse's value). Returns the index after it or −1.
 */
function scanUint(raw: string, i: number): number {
  let c = raw.charCodeAt(i);
  if (!(c >= CH_0 && c <= CH_9)) return -1;
  const start = i;
  let v = c - CH_0;
  i++;
  c = raw.charCodeAt(i);
  if (v === 0) {
    if (c >= CH_0 && c <= CH_9) return -1; // leading zero: invalid JSON
    scanValue = 0;
    return i;
  }
  while (c >= CH_0 && c <= CH_9) {
    v = v * 10 + (c - CH_0);
    i++;
    c = raw.charCodeAt(i);
  }
  if (i - start > EXACT_DIGITS) return -1;
  scanValue = v;
  return i;
}

/**
 * Decimal string body at `i` (just after the opening quote), grammar `[0-9]+(\.[0-9]+)?` then `"`.
 * No minus sign: negative prices are left to the slow path (which decodes them for the validator
 * to reject). Leaves the value in `scanValue`, or −1 when the digits exceed the exact range and
 * the caller must use `Number(text)`. Returns the index of the closing quote or −1.
 */
function scanDecimalBody(raw: string, i: number): number {
  let mantissa = 0;
  let digits = 0;
  let c = raw.charCodeAt(i);
  while (c >= CH_0 && c <= CH_9) {
    mantissa = mantissa * 10 + (c - CH_0);
    digits++;
    i++;
    c = raw.charCodeAt(i);
  }
  if (digits === 0) return -1;
  let scale = 0;
  if (c === CH_DOT) {
    i++;
    c = raw.charCodeAt(i);
    while (c >= CH_0 && c <= CH_9) {
      mantissa = mantissa * 10 + (c - CH_0);
      scale++;
      i++;
      c = raw.charCodeAt(i);
    }
    if (scale === 0) return -1;
    digits += scale;
  }
  if (c !== QUOTE) return -1;
  // Same formula as parseDecimal; see decimal.ts for why integer / 10^k is correctly rounded.
  scanValue = digits > EXACT_DIGITS ? -1 : scale === 0 ? mantissa : mantissa / POW10[scale];
  return i;
}

/** Symbol body `[A-Z0-9]+` then `"`; returns the index of the closing quote or −1. */
function scanSymbolBody(raw: string, i: number): number {
  const start = i;
  let c = raw.charCodeAt(i);
  while ((c >= CH_A && c <= CH_Z) || (c >= CH_0 && c <= CH_9)) {
    i++;
    c = raw.charCodeAt(i);
  }
  return c === QUOTE && i > start ? i : -1;
}

/** `true` / `false` at `i` → `scanFlag`; returns the index after it or −1. */
function scanBool(raw: string, i: number): number {
  const c = raw.charCodeAt(i);
  if (
    c === 116 && // t
    raw.charCodeAt(i + 1) === 114 && // r
    raw.charCodeAt(i + 2) === 117 && // u
    raw.charCodeAt(i + 3) === 101 // e
  ) {
    scanFlag = true;
    return i + 4;
  }
  if (c === 102 && raw.slice(i + 1, i + 5) === 'alse') {
    scanFlag = false;
    return i + 5;
  }
  return -1;
}

// Literal checks. `String.prototype.startsWith` is a runtime call in V8 (~3 ns/char here);
// inlined `charCodeAt` compares are ~1 ns/char, and for long literals a slice + `===` (memcmp)
// beats both. Every literal character is still verified.

/** `,"<k>":` at `i`, where `k` is a one-character key's char code. */
function isKey(raw: string, i: number, k: number): boolean {
  return (
    raw.charCodeAt(i) === COMMA &&
    raw.charCodeAt(i + 1) === QUOTE &&
    raw.charCodeAt(i + 2) === k &&
    raw.charCodeAt(i + 3) === QUOTE &&
    raw.charCodeAt(i + 4) === COLON
  );
}

/** `,"<k>":"` at `i`: a one-character key followed by the opening quote of a string value. */
function isStrKey(raw: string, i: number, k: number): boolean {
  return isKey(raw, i, k) && raw.charCodeAt(i + 5) === QUOTE;
}

/** Long literal `lit` at `i` (slice + memcmp). */
function isLit(raw: string, i: number, lit: string): boolean {
  return raw.slice(i, i + lit.length) === lit;
}

const K_T = 84; // T
const K_s = 115;
const K_a = 97;
const K_t = 116;
const K_p = 112;
const K_q = 113;
const K_f = 102;
const K_l = 108;
const K_m = 109;
const K_X = 88;
const K_M = 77;
const K_n = 110;

/**
 * Fast decoder for aggTrade / trade in Binance's exact field order, raw or in a combined
 * envelope. Returns null (→ slow path) for any deviation. Layouts (after `{"e":"…","E":<int>`):
 * - futures aggTrade: `,"s":"S","a":N,"p":"D","q":"D"[,"nq":"D"],"f":N,"l":N,"T":N,"m":B}`
 * - futures trade:    `,"T":N,"s":"S","t":N,"p":"D","q":"D","X":"TYPE","m":B}`
 * - spot trade:       `,"s":"S","t":N,"p":"D","q":"D","T":N,"m":B,"M":B}`
 */
export function decodeTradeFast(raw: string): TradeMessage | null {
  let end = raw.length;
  let i = 0;
  let nameStart = -1;
  let nameEnd = -1;
  if (raw.charCodeAt(1) === QUOTE && raw.charCodeAt(2) === K_s) {
    if (!isLit(raw, 0, '{"stream":"')) return null;
    i = 11;
    nameStart = i;
    let c = raw.charCodeAt(i);
    // Printable ASCII except `"` and `\`: exactly the characters JSON takes verbatim.
    while (c !== QUOTE) {
      if (!(c >= 0x20 && c <= 0x7e) || c === BACKSLASH) return null;
      i++;
      c = raw.charCodeAt(i);
    }
    nameEnd = i;
    if (!isLit(raw, i, '","data":')) return null;
    i += 9;
    if (raw.charCodeAt(end - 1) !== CLOSE_BRACE) return null;
    end -= 1; // payload must close exactly before the envelope's final brace
  }

  let stream: TradeStream;
  if (isLit(raw, i, '{"e":"aggTrade","E":')) {
    stream = 'aggTrade';
    i += 20;
  } else if (isLit(raw, i, '{"e":"trade","E":')) {
    stream = 'trade';
    i += 17;
  } else {
    return null;
  }

  i = scanUint(raw, i);
  if (i < 0) return null;
  const eventTimeMs = scanValue;

  let timeMs = -1;
  let tradeType: TradeType = 'MARKET';
  let spot = false;
  if (stream === 'trade') {
    if (isKey(raw, i, K_T)) {
      i = scanUint(raw, i + 5);
      if (i < 0) return null;
      timeMs = scanValue;
    } else {
      spot = true;
    }
  }

  if (!isStrKey(raw, i, K_s)) return null;
  const symStart = i + 6;
  i = scanSymbolBody(raw, symStart);
  if (i < 0) return null;
  const symEnd = i;

  // Closing quote of the symbol, then the id key: `"a"` for aggTrade, `"t"` for trade.
  if (!isKey(raw, i + 1, stream === 'aggTrade' ? K_a : K_t)) return null;
  i = scanUint(raw, i + 6);
  if (i < 0) return null;
  const tradeId = scanValue;

  if (!isStrKey(raw, i, K_p)) return null;
  const pStart = i + 6;
  i = scanDecimalBody(raw, pStart);
  if (i < 0) return null;
  const pEnd = i;
  let price = scanValue;

  if (!isStrKey(raw, i + 1, K_q)) return null;
  const qStart = i + 7;
  i = scanDecimalBody(raw, qStart);
  if (i < 0) return null;
  const qEnd = i;
  let qty = scanValue;
  i++; // closing quote of q

  if (stream === 'aggTrade') {
    // Optional `,"nq":"D"` (added by Binance in 2025).
    if (
      raw.charCodeAt(i + 2) === K_n &&
      raw.charCodeAt(i) === COMMA &&
      raw.charCodeAt(i + 1) === QUOTE &&
      raw.charCodeAt(i + 3) === K_q &&
      raw.charCodeAt(i + 4) === QUOTE &&
      raw.charCodeAt(i + 5) === COLON &&
      raw.charCodeAt(i + 6) === QUOTE
    ) {
      i = scanDecimalBody(raw, i + 7);
      if (i < 0) return null;
      i++;
    }
    if (!isKey(raw, i, K_f)) return null;
    i = scanUint(raw, i + 5);
    if (i < 0 || !isKey(raw, i, K_l)) return null;
    i = scanUint(raw, i + 5);
    if (i < 0 || !isKey(raw, i, K_T)) return null;
    i = scanUint(raw, i + 5);
    if (i < 0) return null;
    timeMs = scanValue;
    if (!isKey(raw, i, K_m)) return null;
    i = scanBool(raw, i + 5);
    if (i < 0) return null;
  } else if (!spot) {
    if (!isStrKey(raw, i, K_X)) return null;
    i += 6;
    if (isLit(raw, i, 'MARKET"')) {
      i += 7;
    } else if (isLit(raw, i, 'INSURANCE_FUND"')) {
      tradeType = 'INSURANCE_FUND';
      i += 15;
    } else if (isLit(raw, i, 'ADL"')) {
      tradeType = 'ADL';
      i += 4;
    } else {
      return null;
    }
    if (!isKey(raw, i, K_m)) return null;
    i = scanBool(raw, i + 5);
    if (i < 0) return null;
  } else {
    if (!isKey(raw, i, K_T)) return null;
    i = scanUint(raw, i + 5);
    if (i < 0) return null;
    timeMs = scanValue;
    if (!isKey(raw, i, K_m)) return null;
    i = scanBool(raw, i + 5);
    if (i < 0) return null;
    const m = scanFlag;
    if (!isKey(raw, i, K_M)) return null;
    i = scanBool(raw, i + 5);
    if (i < 0) return null;
    scanFlag = m;
  }
  const isBuyerMaker = scanFlag;
  if (raw.charCodeAt(i) !== CLOSE_BRACE || i + 1 !== end) return null;

  const priceText = raw.slice(pStart, pEnd);
  const qtyText = raw.slice(qStart, qEnd);
  if (price < 0) price = Number(priceText);
  if (qty < 0) qty = Number(qtyText);
  return tradeMessage(
    makeTick(
      raw.slice(symStart, symEnd),
      tradeId,
      timeMs,
      eventTimeMs,
      price,
      qty,
      priceText,
      qtyText,
      isBuyerMaker,
      stream,
      tradeType,
    ),
    nameStart < 0 ? undefined : raw.slice(nameStart, nameEnd),
  );
}
