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
 * - fast path (inside `decodeMessage`, and `scanFastAt` for callers holding the bytes): for
 *   aggTrade/trade and futures/spot bookTicker in Binance's exact field order it walks the line's
 *   ASCII bytes once, no `JSON.parse`. It consumes them from start to end against a fixed layout
 *   — it never searches for a key — so a key-like string inside a value cannot confuse it. It
 *   accepts only a strict subset of JSON (digits-only integers of ≤ 15 digits without leading
 *   zeros, `[A-Z0-9]+` symbols, decimal-grammar price/qty strings, printable-ASCII stream names
 *   without `\`) and only messages the slow path accepts; anything else — including every
 *   would-be rejection — returns null and goes to the slow path, which alone produces
 *   rejections. Tests compare both paths on real captures and on fuzzed variants.
 */
import type { RejectReason, Tick, TradeStream, TradeType } from '../market/types';
import { POW10, EXACT_DIGITS, parseDecimal } from './decimal';
import type { BookTicker, DecodedMessage, RejectedMessage, TradeMessage } from './messages';

/** Decodes one text frame. Never throws; failures come back as `{ kind: 'rejected' }`. */
export function decodeMessage(raw: string): DecodedMessage {
  const fast = decodeFast(raw);
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
// Fast path: exact Binance layouts, single forward scan over BYTES. Returns "no" to defer to the
// slow path.
//
// Why bytes: `charCodeAt` on the sliced strings that line splitting produces costs ~2 ns a
// character in V8 (a representation dispatch per call); copying the line once with
// `TextEncoder#encodeInto` (native, ~60 ns for 150 B) and reading a Uint8Array is ~2x faster
// overall. Callers that already hold the bytes (the analyze file reader) skip the copy. Only
// pure-ASCII lines are scanned, so byte offsets equal string offsets and the text fields are
// sliced from the original string.

const QUOTE = 34;
const BACKSLASH = 92;
const CH_0 = 48;
const CH_9 = 57;
const CH_DOT = 46;
const CH_A = 65;
const CH_Z = 90;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const COMMA = 44;
const COLON = 58;

/** What {@link scanFastAt} recognised. */
export const FAST_NONE = 0;
export const FAST_TRADE = 1;
export const FAST_BOOK = 2;
export type FastKind = typeof FAST_NONE | typeof FAST_TRADE | typeof FAST_BOOK;

// Scanner "return registers": the helpers return the next index (or -1) and leave the value
// here, so the hot path allocates no tuples. Single-threaded JS makes this safe. Numbers live in
// a Float64Array: a module-level `let` holding a non-Smi number (ms times, ids, prices) boxes a
// fresh HeapNumber on every store in V8, i.e. ~10 allocations a line.
const num = new Float64Array(4);
const VALUE = 0;
const EVENT_TIME = 1;
const TIME = 2;
/** Trade id, or bookTicker update id. */
const ID = 3;
let scanFlag = false;

// Result registers of scanFastAt, read by the builders right after it. Offsets index the bytes,
// which for the accepted (ASCII) input are also the offsets in the text.
let rNameStart = -1;
let rNameEnd = -1;
let rSymStart = 0;
let rSymEnd = 0;
let rSymHash = 0;
let rStream: TradeStream = 'aggTrade';
let rTradeType: TradeType = 'MARKET';
let rBuyerMaker = false;
/** Decimal fields: value (−1 → use Number(text)) and [start, end) offsets. Trades use 0 and 1. */
const rDecValue = new Float64Array(4);
const rDecStart = [0, 0, 0, 0];
const rDecEnd = [0, 0, 0, 0];
/** bookTicker: whether the futures `T`/`E` pair is present. */
let rBookTimes = false;

/**
 * Unsigned JSON integer at `i`: `0` or `[1-9][0-9]*`, at most 15 digits (< 2^53, so the
 * digit-by-digit sum is exact and equals JSON.parse's value). Returns the index after it or −1.
 */
function scanUint(b: Uint8Array, i: number): number {
  let c = b[i];
  if (!(c >= CH_0 && c <= CH_9)) return -1;
  const start = i;
  let v = c - CH_0;
  c = b[++i];
  if (v === 0) {
    if (c >= CH_0 && c <= CH_9) return -1; // leading zero: invalid JSON
    num[VALUE] = 0;
    return i;
  }
  while (c >= CH_0 && c <= CH_9) {
    v = v * 10 + (c - CH_0);
    c = b[++i];
  }
  if (i - start > EXACT_DIGITS) return -1;
  num[VALUE] = v;
  return i;
}

/**
 * Decimal string body at `i` (just after the opening quote), grammar `[0-9]+(\.[0-9]+)?` then `"`.
 * No minus sign: negative prices are left to the slow path (which decodes them for the validator
 * to reject). Leaves the value in `num[VALUE]`, or −1 when the digits exceed the exact range and
 * the caller must use `Number(text)`. Returns the index of the closing quote or −1.
 */
function scanDecimalBody(b: Uint8Array, i: number): number {
  let mantissa = 0;
  let digits = 0;
  let c = b[i];
  while (c >= CH_0 && c <= CH_9) {
    mantissa = mantissa * 10 + (c - CH_0);
    digits++;
    c = b[++i];
  }
  if (digits === 0) return -1;
  let scale = 0;
  if (c === CH_DOT) {
    c = b[++i];
    while (c >= CH_0 && c <= CH_9) {
      mantissa = mantissa * 10 + (c - CH_0);
      scale++;
      c = b[++i];
    }
    if (scale === 0) return -1;
    digits += scale;
  }
  if (c !== QUOTE) return -1;
  // Same formula as parseDecimal; see decimal.ts for why integer / 10^k is correctly rounded.
  num[VALUE] = digits > EXACT_DIGITS ? -1 : scale === 0 ? mantissa : mantissa / POW10[scale];
  return i;
}

/** Decimal string value at `i` (the opening quote) into register `k`; returns index after it. */
function scanDecimalField(b: Uint8Array, i: number, k: number): number {
  if (b[i] !== QUOTE) return -1;
  const start = i + 1;
  const end = scanDecimalBody(b, start);
  if (end < 0) return -1;
  rDecValue[k] = num[VALUE];
  rDecStart[k] = start;
  rDecEnd[k] = end;
  return end + 1;
}

/**
 * Symbol body `[A-Z0-9]+` then `"` at `i`; sets rSymStart/rSymEnd/rSymHash and returns the index
 * of the closing quote or −1.
 */
function scanSymbolBody(b: Uint8Array, i: number): number {
  const start = i;
  let h = 0;
  let c = b[i];
  while ((c >= CH_A && c <= CH_Z) || (c >= CH_0 && c <= CH_9)) {
    h = (Math.imul(h, 31) + c) | 0;
    c = b[++i];
  }
  if (c !== QUOTE || i === start) return -1;
  rSymStart = start;
  rSymEnd = i;
  rSymHash = h;
  return i;
}

/** `true` / `false` at `i` → `scanFlag`; returns the index after it or −1. */
function scanBool(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c === 116 && b[i + 1] === 114 && b[i + 2] === 117 && b[i + 3] === 101) {
    scanFlag = true; // true
    return i + 4;
  }
  if (c === 102 && b[i + 1] === 97 && b[i + 2] === 108 && b[i + 3] === 115 && b[i + 4] === 101) {
    scanFlag = false; // false
    return i + 5;
  }
  return -1;
}

/** `,"<k>":` at `i`, where `k` is a one-character key's char code. */
function isKey(b: Uint8Array, i: number, k: number): boolean {
  return (
    b[i] === COMMA &&
    b[i + 1] === QUOTE &&
    b[i + 2] === k &&
    b[i + 3] === QUOTE &&
    b[i + 4] === COLON
  );
}

/** `,"<k>":"` at `i`: a one-character key followed by the opening quote of a string value. */
function isStrKey(b: Uint8Array, i: number, k: number): boolean {
  return isKey(b, i, k) && b[i + 5] === QUOTE;
}

/** ASCII bytes of a literal. */
function lit(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let k = 0; k < s.length; k++) out[k] = s.charCodeAt(k);
  return out;
}

/** Literal `l` at `i` (every byte verified). */
function isLit(b: Uint8Array, i: number, l: Uint8Array): boolean {
  const n = l.length;
  for (let k = 0; k < n; k++) if (b[i + k] !== l[k]) return false;
  return true;
}

const L_STREAM = lit('{"stream":"');
const L_DATA = lit('","data":');
const L_AGG = lit('aggTrade","E":'); // after `{"e":"`
const L_TRADE = lit('trade","E":');
const L_BOOK = lit('bookTicker","u":');
const L_MARKET = lit('MARKET"');
const L_INSURANCE = lit('INSURANCE_FUND"');
const L_ADL = lit('ADL"');

const K_e = 101;
const K_E = 69;
const K_T = 84;
const K_s = 115;
const K_a = 97;
const K_A = 65;
const K_b = 98;
const K_B = 66;
const K_t = 116;
const K_p = 112;
const K_q = 113;
const K_f = 102;
const K_l = 108;
const K_m = 109;
const K_X = 88;
const K_M = 77;
const K_n = 110;
const K_u = 117;

/**
 * Scans one message in `b[start, end)` against the exact Binance layouts, raw or in a combined
 * envelope (`{"stream":"…","data":{…}}`), filling the result registers. Consumes the bytes from
 * start to end against a fixed layout — it never searches for a key — so a key-like string inside
 * a value cannot confuse it; the last byte of the layout must be `end − 1`, so nothing outside
 * the range is ever accepted. Layouts (payload):
 * - futures aggTrade: `{"e":"aggTrade","E":N,"s":"S","a":N,"p":"D","q":"D"[,"nq":"D"],"f":N,"l":N,"T":N,"m":B}`
 * - futures trade:    `{"e":"trade","E":N,"T":N,"s":"S","t":N,"p":"D","q":"D","X":"TYPE","m":B}`
 * - spot trade:       `{"e":"trade","E":N,"s":"S","t":N,"p":"D","q":"D","T":N,"m":B,"M":B}`
 * - futures bookTicker: `{"e":"bookTicker","u":N,"s":"S","b":"D","B":"D","a":"D","A":"D","T":N,"E":N}`
 * - spot bookTicker:  `{"u":N,"s":"S","b":"D","B":"D","a":"D","A":"D"}`
 * with N ≤ 15-digit unsigned integers without leading zeros, D `[0-9]+(\.[0-9]+)?`, S
 * `[A-Z0-9]+`, B `true|false`, stream names printable ASCII without `"` or `\`.
 */
export function scanFastAt(b: Uint8Array, start: number, end: number): FastKind {
  let i = start;
  rNameStart = -1;
  rNameEnd = -1;
  if (b[start + 1] === QUOTE && b[start + 2] === K_s) {
    if (!isLit(b, start, L_STREAM)) return FAST_NONE;
    i = start + 11;
    rNameStart = i;
    let c = b[i];
    // Printable ASCII except `"` and `\`: exactly the characters JSON takes verbatim.
    while (c !== QUOTE) {
      if (!(c >= 0x20 && c <= 0x7e) || c === BACKSLASH) return FAST_NONE;
      c = b[++i];
    }
    rNameEnd = i;
    if (!isLit(b, i, L_DATA)) return FAST_NONE;
    i += 9;
    if (b[end - 1] !== CLOSE_BRACE) return FAST_NONE;
    end -= 1; // payload must close exactly before the envelope's final brace
  }
  if (b[i] !== OPEN_BRACE || b[i + 1] !== QUOTE) return FAST_NONE;
  const k = b[i + 2];
  if (k === K_e) {
    if (b[i + 3] !== QUOTE || b[i + 4] !== COLON || b[i + 5] !== QUOTE) return FAST_NONE;
    i += 6;
    const c = b[i];
    if (c === K_a) {
      if (!isLit(b, i, L_AGG)) return FAST_NONE;
      rStream = 'aggTrade';
      return scanTradeBody(b, i + 14, end);
    }
    if (c === K_t) {
      if (!isLit(b, i, L_TRADE)) return FAST_NONE;
      rStream = 'trade';
      return scanTradeBody(b, i + 11, end);
    }
    if (c === K_b) {
      if (!isLit(b, i, L_BOOK)) return FAST_NONE;
      return scanBookBody(b, i + 16, end, true);
    }
    return FAST_NONE;
  }
  if (k === K_u && b[i + 3] === QUOTE && b[i + 4] === COLON) {
    return scanBookBody(b, i + 5, end, false);
  }
  return FAST_NONE;
}

/** Trade payload after `"E":` (rStream set). */
function scanTradeBody(b: Uint8Array, i: number, end: number): FastKind {
  i = scanUint(b, i);
  if (i < 0) return FAST_NONE;
  num[EVENT_TIME] = num[VALUE];
  const agg = rStream === 'aggTrade';
  let spot = false;
  rTradeType = 'MARKET';
  if (!agg) {
    if (isKey(b, i, K_T)) {
      i = scanUint(b, i + 5);
      if (i < 0) return FAST_NONE;
      num[TIME] = num[VALUE];
    } else {
      spot = true;
    }
  }

  if (!isStrKey(b, i, K_s)) return FAST_NONE;
  i = scanSymbolBody(b, i + 6);
  if (i < 0) return FAST_NONE;

  // Closing quote of the symbol, then the id key: `"a"` for aggTrade, `"t"` for trade.
  if (!isKey(b, i + 1, agg ? K_a : K_t)) return FAST_NONE;
  i = scanUint(b, i + 6);
  if (i < 0) return FAST_NONE;
  num[ID] = num[VALUE];

  if (!isKey(b, i, K_p)) return FAST_NONE;
  i = scanDecimalField(b, i + 5, 0);
  if (i < 0 || !isKey(b, i, K_q)) return FAST_NONE;
  i = scanDecimalField(b, i + 5, 1);
  if (i < 0) return FAST_NONE;

  if (agg) {
    // Optional `,"nq":"D"` (added by Binance in 2025).
    if (
      b[i + 2] === K_n &&
      b[i] === COMMA &&
      b[i + 1] === QUOTE &&
      b[i + 3] === K_q &&
      b[i + 4] === QUOTE &&
      b[i + 5] === COLON &&
      b[i + 6] === QUOTE
    ) {
      i = scanDecimalBody(b, i + 7);
      if (i < 0) return FAST_NONE;
      i++;
    }
    if (!isKey(b, i, K_f)) return FAST_NONE;
    i = scanUint(b, i + 5);
    if (i < 0 || !isKey(b, i, K_l)) return FAST_NONE;
    i = scanUint(b, i + 5);
    if (i < 0 || !isKey(b, i, K_T)) return FAST_NONE;
    i = scanUint(b, i + 5);
    if (i < 0) return FAST_NONE;
    num[TIME] = num[VALUE];
    if (!isKey(b, i, K_m)) return FAST_NONE;
    i = scanBool(b, i + 5);
    if (i < 0) return FAST_NONE;
  } else if (!spot) {
    if (!isStrKey(b, i, K_X)) return FAST_NONE;
    i += 6;
    if (isLit(b, i, L_MARKET)) {
      i += 7;
    } else if (isLit(b, i, L_INSURANCE)) {
      rTradeType = 'INSURANCE_FUND';
      i += 15;
    } else if (isLit(b, i, L_ADL)) {
      rTradeType = 'ADL';
      i += 4;
    } else {
      return FAST_NONE;
    }
    if (!isKey(b, i, K_m)) return FAST_NONE;
    i = scanBool(b, i + 5);
    if (i < 0) return FAST_NONE;
  } else {
    if (!isKey(b, i, K_T)) return FAST_NONE;
    i = scanUint(b, i + 5);
    if (i < 0) return FAST_NONE;
    num[TIME] = num[VALUE];
    if (!isKey(b, i, K_m)) return FAST_NONE;
    i = scanBool(b, i + 5);
    if (i < 0) return FAST_NONE;
    const m = scanFlag;
    if (!isKey(b, i, K_M)) return FAST_NONE;
    i = scanBool(b, i + 5);
    if (i < 0) return FAST_NONE;
    scanFlag = m;
  }
  rBuyerMaker = scanFlag;
  return b[i] === CLOSE_BRACE && i + 1 === end ? FAST_TRADE : FAST_NONE;
}

/** bookTicker payload from the `u` value on (just after `"u":`). */
function scanBookBody(b: Uint8Array, i: number, end: number, futures: boolean): FastKind {
  i = scanUint(b, i);
  if (i < 0) return FAST_NONE;
  num[ID] = num[VALUE];
  if (!isStrKey(b, i, K_s)) return FAST_NONE;
  i = scanSymbolBody(b, i + 6);
  if (i < 0) return FAST_NONE;
  i++; // closing quote of the symbol
  if (!isKey(b, i, K_b)) return FAST_NONE;
  i = scanDecimalField(b, i + 5, 0);
  if (i < 0 || !isKey(b, i, K_B)) return FAST_NONE;
  i = scanDecimalField(b, i + 5, 1);
  if (i < 0 || !isKey(b, i, K_a)) return FAST_NONE;
  i = scanDecimalField(b, i + 5, 2);
  if (i < 0 || !isKey(b, i, K_A)) return FAST_NONE;
  i = scanDecimalField(b, i + 5, 3);
  if (i < 0) return FAST_NONE;
  rBookTimes = futures;
  if (futures) {
    if (!isKey(b, i, K_T)) return FAST_NONE;
    i = scanUint(b, i + 5);
    if (i < 0) return FAST_NONE;
    num[TIME] = num[VALUE];
    if (!isKey(b, i, K_E)) return FAST_NONE;
    i = scanUint(b, i + 5);
    if (i < 0) return FAST_NONE;
    num[EVENT_TIME] = num[VALUE];
  }
  return b[i] === CLOSE_BRACE && i + 1 === end ? FAST_BOOK : FAST_NONE;
}

// ---------------------------------------------------------------------------------------------
// Symbol interning: a pair's ticks repeat two symbols; handing out one string instance per symbol
// saves an allocation per tick and lets every later Map/Set lookup reuse the string's cached hash.

const SYM_SLOTS = 256;
const SYM_MAX = 32;
const symStrings: (string | undefined)[] = new Array<string | undefined>(SYM_SLOTS).fill(undefined);
const symBytes = new Uint8Array(SYM_SLOTS * SYM_MAX);

/** The symbol in rSymStart/rSymEnd (bytes of `b`, text of `text`) as a shared string. */
function internSymbol(b: Uint8Array, text: string): string {
  const s = rSymStart;
  const n = rSymEnd - s;
  if (n > SYM_MAX) return text.slice(s, rSymEnd);
  const slot = (rSymHash ^ (rSymHash >>> 8)) & (SYM_SLOTS - 1);
  const cached = symStrings[slot];
  const base = slot * SYM_MAX;
  if (cached !== undefined && cached.length === n) {
    let k = 0;
    while (k < n && symBytes[base + k] === b[s + k]) k++;
    if (k === n) return cached;
  }
  if (cached === undefined) {
    // First come keeps the slot (no churn between colliding symbols). The cached copy is built
    // from char codes so it never pins the (possibly large) string `text` is a slice of.
    const codes: number[] = [];
    for (let k = 0; k < n; k++) {
      symBytes[base + k] = b[s + k];
      codes.push(b[s + k]);
    }
    const copy = String.fromCharCode(...codes);
    symStrings[slot] = copy;
    return copy;
  }
  return text.slice(s, rSymEnd);
}

// ---------------------------------------------------------------------------------------------
// Builders: turn the registers of the last successful scan into results.

function decimalValue(k: number, text: string): number {
  const v = rDecValue[k];
  return v >= 0 ? v : Number(text.slice(rDecStart[k], rDecEnd[k]));
}

/**
 * The Tick of the last scanFastAt that returned FAST_TRADE, its text fields sliced from `text`
 * (whose characters are the scanned bytes, at the same offsets).
 */
export function fastTick(b: Uint8Array, text: string): Tick {
  const priceText = text.slice(rDecStart[0], rDecEnd[0]);
  const qtyText = text.slice(rDecStart[1], rDecEnd[1]);
  const pv = rDecValue[0];
  const qv = rDecValue[1];
  return makeTick(
    internSymbol(b, text),
    num[ID],
    num[TIME],
    num[EVENT_TIME],
    pv >= 0 ? pv : Number(priceText),
    qv >= 0 ? qv : Number(qtyText),
    priceText,
    qtyText,
    rBuyerMaker,
    rStream,
    rTradeType,
  );
}

/**
 * A reusable Tick for a consumer that handles one trade at a time and keeps nothing of it (the
 * analyze pipeline: validate, then aggregate): {@link fillFastTick} overwrites it in place, and
 * priceText/qtyText are sliced only when read (the validator reads them only to word a
 * rejection). It saves the Tick object, its number boxes and two strings per line. Valid until
 * the next fill.
 */
export class ReusableTick implements Tick {
  symbol = '';
  tradeId = 0;
  timeMs = 0;
  eventTimeMs = 0;
  price = 0;
  qty = 0;
  isBuyerMaker = false;
  stream: TradeStream = 'aggTrade';
  tradeType: TradeType = 'MARKET';
  private text = '';
  private priceStart = 0;
  private priceEnd = 0;
  private qtyStart = 0;
  private qtyEnd = 0;

  get priceText(): string {
    return this.text.slice(this.priceStart, this.priceEnd);
  }

  get qtyText(): string {
    return this.text.slice(this.qtyStart, this.qtyEnd);
  }

  /** Overwrites every field from the last FAST_TRADE scan (see {@link fillFastTick}). */
  fill(b: Uint8Array, text: string): this {
    const ps = rDecStart[0];
    const pe = rDecEnd[0];
    const qs = rDecStart[1];
    const qe = rDecEnd[1];
    const pv = rDecValue[0];
    const qv = rDecValue[1];
    this.symbol = internSymbol(b, text);
    this.tradeId = num[ID];
    this.timeMs = num[TIME];
    this.eventTimeMs = num[EVENT_TIME];
    this.price = pv >= 0 ? pv : Number(text.slice(ps, pe));
    this.qty = qv >= 0 ? qv : Number(text.slice(qs, qe));
    this.isBuyerMaker = rBuyerMaker;
    this.stream = rStream;
    this.tradeType = rTradeType;
    this.text = text;
    this.priceStart = ps;
    this.priceEnd = pe;
    this.qtyStart = qs;
    this.qtyEnd = qe;
    return this;
  }
}

/**
 * Like {@link fastTick} but into `into` (no allocation): the same field values, texts included.
 * Call right after scanFastAt returned FAST_TRADE.
 */
export function fillFastTick(b: Uint8Array, text: string, into: ReusableTick): ReusableTick {
  return into.fill(b, text);
}

/** The bookTicker message of the last scanFastAt that returned FAST_BOOK. */
function fastBook(b: Uint8Array, text: string): DecodedMessage {
  // Same construction order as decodeBookObject, so both paths give identical objects.
  const book: BookTicker = {
    symbol: internSymbol(b, text),
    updateId: num[ID],
    bidPrice: decimalValue(0, text),
    bidQty: decimalValue(1, text),
    askPrice: decimalValue(2, text),
    askQty: decimalValue(3, text),
  };
  if (rBookTimes) {
    book.eventTimeMs = num[EVENT_TIME];
    book.txTimeMs = num[TIME];
  }
  return { kind: 'bookTicker', book, streamName: streamNameOf(text) };
}

function streamNameOf(text: string): string | undefined {
  return rNameStart < 0 ? undefined : text.slice(rNameStart, rNameEnd);
}

// ---------------------------------------------------------------------------------------------
// String entry points: copy the line into a scratch buffer once, then scan bytes.

/** Longer frames go to the slow path (Binance messages are < 1 KiB). */
const LINE_BUF_BYTES = 4096;
const lineBuf = new Uint8Array(LINE_BUF_BYTES + 1);

/** The part of TextEncoder used here (a web-platform global; declared here as src/core has no DOM types). */
interface AsciiEncoder {
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
const encoder: AsciiEncoder | null = (() => {
  const ctor = (globalThis as { TextEncoder?: new () => AsciiEncoder }).TextEncoder;
  return ctor === undefined ? null : new ctor();
})();

/**
 * Copies `raw` into lineBuf when it is pure ASCII and short enough, with a 0 sentinel after it;
 * false otherwise (→ slow path). UTF-8 encodes every non-ASCII code unit to ≥ 2 bytes, so
 * read = written = length means every character was one ASCII byte.
 */
function loadLine(raw: string): boolean {
  const n = raw.length;
  if (n >= LINE_BUF_BYTES) return false;
  if (encoder !== null) {
    const r = encoder.encodeInto(raw, lineBuf);
    if (r.read !== n || r.written !== n) return false;
  } else {
    for (let k = 0; k < n; k++) {
      const c = raw.charCodeAt(k);
      if (c > 0x7f) return false;
      lineBuf[k] = c;
    }
  }
  lineBuf[n] = 0;
  return true;
}

/** Fast path over a string: the decoded message, or null to defer to the slow path. */
function decodeFast(raw: string): DecodedMessage | null {
  if (!loadLine(raw)) return null;
  const kind = scanFastAt(lineBuf, 0, raw.length);
  if (kind === FAST_TRADE) return tradeMessage(fastTick(lineBuf, raw), streamNameOf(raw));
  if (kind === FAST_BOOK) return fastBook(lineBuf, raw);
  return null;
}

/**
 * Fast decoder for aggTrade / trade in Binance's exact field order (see {@link scanFastAt}), raw
 * or in a combined envelope. Returns null (→ slow path) for any deviation.
 */
export function decodeTradeFast(raw: string): TradeMessage | null {
  if (!loadLine(raw) || scanFastAt(lineBuf, 0, raw.length) !== FAST_TRADE) return null;
  return tradeMessage(fastTick(lineBuf, raw), streamNameOf(raw));
}

/** Fast decoder for futures / spot bookTicker in Binance's exact field order; null → slow path. */
export function decodeBookTickerFast(raw: string): DecodedMessage | null {
  if (!loadLine(raw) || scanFastAt(lineBuf, 0, raw.length) !== FAST_BOOK) return null;
  return fastBook(lineBuf, raw);
}
