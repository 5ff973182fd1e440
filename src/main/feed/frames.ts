/**
 * Cheap classification of incoming text frames. Data frames are NOT parsed here — the pipeline's
 * decoder has its own fast path; only small control replies are JSON-parsed.
 */

const STREAM_PREFIX = '{"stream":"';

export type FrameKind = 'data' | 'control';

/** Replies to SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS/… and error replies. */
export interface ControlReply {
  /** Request id; null when the server did not echo one (some error replies). */
  id: number | null;
  /** `result` member (null for SUBSCRIBE/UNSUBSCRIBE acks, an array for LIST_SUBSCRIPTIONS). */
  result: unknown;
  /** Present for error replies: `{"code":2,"msg":"…"}` or `{"error":{"code":2,"msg":"…"}}`. */
  error: { code: number; msg: string } | null;
}

/**
 * Combined-stream data frames start with `{"stream":"`; raw-stream payloads contain `"e":`.
 * Control replies start with `{"result"`, `{"code"`, `{"id"` or `{"error"` and are short.
 * Anything unrecognised is treated as data (the decoder rejects garbage and counts it).
 */
export function classifyFrame(text: string): FrameKind {
  if (text.startsWith(STREAM_PREFIX)) return 'data';
  const start = firstNonSpace(text);
  if (
    text.startsWith('{"result"', start) ||
    text.startsWith('{"code"', start) ||
    text.startsWith('{"id"', start) ||
    text.startsWith('{"error"', start)
  ) {
    return 'control';
  }
  // Slow path for reordered/whitespaced replies: short, has an id, no stream/event markers.
  if (
    text.length < 1_024 &&
    text.includes('"id"') &&
    !text.includes('"stream"') &&
    !text.includes('"e"')
  ) {
    return 'control';
  }
  return 'data';
}

/** Stream name of a combined-stream frame (`btcusdt@aggTrade`), or null for other shapes. */
export function extractStreamName(text: string): string | null {
  if (!text.startsWith(STREAM_PREFIX)) return null;
  const end = text.indexOf('"', STREAM_PREFIX.length);
  return end > STREAM_PREFIX.length ? text.slice(STREAM_PREFIX.length, end) : null;
}

/** Parses a control reply; null if the text is not a JSON object. */
export function parseControlReply(text: string): ControlReply | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const obj = value as Record<string, unknown>;
  const id = typeof obj.id === 'number' && Number.isInteger(obj.id) ? obj.id : null;
  let error: ControlReply['error'] = null;
  const nested = obj.error;
  if (typeof nested === 'object' && nested !== null) {
    const e = nested as Record<string, unknown>;
    error = { code: toCode(e.code), msg: typeof e.msg === 'string' ? e.msg : String(e.msg) };
  } else if ('code' in obj) {
    error = { code: toCode(obj.code), msg: typeof obj.msg === 'string' ? obj.msg : '' };
  }
  return { id, result: 'result' in obj ? obj.result : undefined, error };
}

function toCode(v: unknown): number {
  return typeof v === 'number' ? v : Number.isFinite(Number(v)) ? Number(v) : -1;
}

function firstNonSpace(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}
