/**
 * Parsing of NDJSON market-data captures for replay: each line is either a combined-stream
 * envelope `{"stream":"btcusdt@trade","data":{…}}` or a bare payload `{"e":"trade",…}`. The
 * payload's ORIGINAL text is kept (byte for byte) so the replay sends it unmodified.
 */

export interface CaptureMessage {
  /** Stream name, from the envelope or derived from the payload (`btcusdt@trade`). */
  stream: string;
  /** The payload's original JSON text. */
  raw: string;
  /** `E` (or `T` when there is no `E`), null when the payload has neither (spot bookTicker). */
  eventTimeMs: number | null;
}

export type CaptureLineResult =
  | { kind: 'message'; message: CaptureMessage }
  | { kind: 'blank' }
  | { kind: 'invalid'; reason: string };

/**
 * Returns the original text of a top-level member's value of a JSON object, or null when the
 * text is not an object or has no such key. Assumes `json` is valid JSON (parse it first).
 */
export function extractTopLevelValue(json: string, key: string): string | null {
  let i = skipWs(json, 0);
  if (json[i] !== '{') return null;
  i++;
  for (;;) {
    i = skipWs(json, i);
    if (json[i] === '}') return null;
    if (json[i] !== '"') return null;
    const keyEnd = skipString(json, i);
    const name = JSON.parse(json.slice(i, keyEnd)) as string;
    i = skipWs(json, keyEnd);
    if (json[i] !== ':') return null;
    i = skipWs(json, i + 1);
    const valueEnd = skipValue(json, i);
    if (name === key) return json.slice(i, valueEnd);
    i = skipWs(json, valueEnd);
    if (json[i] === ',') {
      i++;
      continue;
    }
    return null;
  }
}

function skipWs(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** i at an opening quote → index after the closing quote. */
function skipString(s: string, i: number): number {
  i++;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}

/** i at a value's first character → index after the value. */
function skipValue(s: string, i: number): number {
  const c = s[i];
  if (c === '"') return skipString(s, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    while (i < s.length) {
      const ch = s[i];
      if (ch === '"') {
        i = skipString(s, i);
        continue;
      }
      if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  while (i < s.length && !',}] \n\r\t'.includes(s[i])) i++;
  return i;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Stream name a bare payload was published on. Depth and kline names depend on options the
 * payload does not carry; they map to `<sym>@depth` and `<sym>@kline_<interval>`.
 */
export function streamNameForPayload(data: Record<string, unknown>): string | null {
  const symbol = typeof data.s === 'string' ? data.s.toLowerCase() : null;
  const e = data.e;
  if (symbol === null) return null;
  switch (e) {
    case 'aggTrade':
    case 'trade':
    case 'bookTicker':
    case 'forceOrder':
      return `${symbol}@${e}`;
    case 'depthUpdate':
      return `${symbol}@depth`;
    case 'markPriceUpdate':
      return `${symbol}@markPrice`;
    case '24hrTicker':
      return `${symbol}@ticker`;
    case '24hrMiniTicker':
      return `${symbol}@miniTicker`;
    case 'kline': {
      const k = data.k;
      return isRecord(k) && typeof k.i === 'string' ? `${symbol}@kline_${k.i}` : null;
    }
    case undefined:
      // Spot bookTicker has no `e`.
      return 'b' in data && 'a' in data && 'u' in data ? `${symbol}@bookTicker` : null;
    default:
      return null;
  }
}

export function parseCaptureLine(line: string): CaptureLineResult {
  const text = line.trim();
  if (text === '') return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', reason: `not JSON: ${(error as Error).message}` };
  }
  if (!isRecord(value)) return { kind: 'invalid', reason: 'not a JSON object' };
  let stream: string;
  let data: Record<string, unknown>;
  let raw: string;
  if (typeof value.stream === 'string' && isRecord(value.data)) {
    stream = value.stream;
    data = value.data;
    // Fast path for the compact form recorders write: {"stream":"…","data":{…}}.
    const prefix = `{"stream":${JSON.stringify(stream)},"data":`;
    const keys = Object.keys(value);
    const extracted =
      keys.length === 2 && keys[0] === 'stream' && text.startsWith(prefix)
        ? text.slice(prefix.length, -1).trim()
        : extractTopLevelValue(text, 'data');
    if (extracted === null) return { kind: 'invalid', reason: 'envelope without data' };
    raw = extracted;
  } else {
    const derived = streamNameForPayload(value);
    if (derived === null) return { kind: 'invalid', reason: 'unrecognised payload' };
    stream = derived;
    data = value;
    raw = text;
  }
  const time = typeof data.E === 'number' ? data.E : typeof data.T === 'number' ? data.T : null;
  return { kind: 'message', message: { stream, raw, eventTimeMs: time } };
}
