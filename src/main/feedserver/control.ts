/**
 * Control messages of the Binance market-stream WebSocket: SUBSCRIBE, UNSUBSCRIBE,
 * LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY. Replies follow the wire format observed from
 * fstream.binance.com: `{"result":null,"id":1}`, `{"result":[…],"id":3}`, and errors wrapped as
 * `{"error":{"code":2,"msg":"Invalid request: …"},"id":<id or null>}` (the docs list only the
 * inner `{"code","msg"}` object).
 *
 * Error codes: 0 Unknown property, 1 Invalid value type: expected Boolean, 2 Invalid request: …,
 * 3 Invalid JSON: … (the last one is in Binance's spot docs; futures behave the same).
 */
import { isValidStreamName } from './streams';

export const METHODS = [
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'LIST_SUBSCRIPTIONS',
  'SET_PROPERTY',
  'GET_PROPERTY',
] as const;
export type Method = (typeof METHODS)[number];

/** What a control message may read and change on its connection. */
export interface ControlTarget {
  /** Acknowledged subscriptions in subscription order. */
  listSubscriptions(): string[];
  subscribe(streams: string[]): void;
  unsubscribe(streams: string[]): void;
  combined: boolean;
  readonly maxStreams: number;
}

export type ControlOutcome =
  | { ok: true; reply: string; method: Method }
  | { ok: false; reply: string; code: number; msg: string };

type Id = number | null;

function errorReply(code: number, msg: string, id: Id): ControlOutcome {
  return { ok: false, reply: JSON.stringify({ error: { code, msg }, id }), code, msg };
}

function okReply(result: unknown, id: number, method: Method): ControlOutcome {
  return { ok: true, reply: JSON.stringify({ result, id }), method };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const METHOD_LIST = METHODS.map((m) => `\`${m}\``).join(', ');

/** Handles one incoming text frame; returns the reply to send. */
export function handleControlMessage(text: string, target: ControlTarget): ControlOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return errorReply(3, `Invalid JSON: ${(error as Error).message}`, null);
  }
  if (!isRecord(value)) return errorReply(2, 'Invalid request: expected a JSON object', null);

  const rawId = value.id;
  if (!('id' in value)) return errorReply(2, 'Invalid request: missing field `id`', null);
  if (typeof rawId !== 'number' || !Number.isSafeInteger(rawId) || rawId < 0) {
    return errorReply(2, 'Invalid request: request ID must be an unsigned integer', null);
  }
  const id = rawId;

  if (!('method' in value)) return errorReply(2, 'Invalid request: missing field `method`', id);
  const method = value.method;
  if (typeof method !== 'string' || !(METHODS as readonly string[]).includes(method)) {
    return errorReply(
      2,
      `Invalid request: unknown variant \`${String(method)}\`, expected one of ${METHOD_LIST}`,
      id,
    );
  }
  const params = value.params;

  switch (method as Method) {
    case 'SUBSCRIBE':
    case 'UNSUBSCRIBE': {
      if (!Array.isArray(params)) {
        return errorReply(2, 'Invalid request: `params` must be an array of stream names', id);
      }
      const names: string[] = [];
      for (const p of params) {
        if (typeof p !== 'string' || !isValidStreamName(p)) {
          return errorReply(2, 'Invalid request: invalid stream', id);
        }
        names.push(p);
      }
      if (method === 'SUBSCRIBE') {
        const current = new Set(target.listSubscriptions());
        for (const n of names) current.add(n);
        if (current.size > target.maxStreams) {
          return errorReply(
            2,
            `Invalid request: too many streams (max ${target.maxStreams} per connection)`,
            id,
          );
        }
        target.subscribe(names);
        return okReply(null, id, 'SUBSCRIBE');
      }
      target.unsubscribe(names);
      return okReply(null, id, 'UNSUBSCRIBE');
    }
    case 'LIST_SUBSCRIPTIONS':
      return okReply(target.listSubscriptions(), id, 'LIST_SUBSCRIPTIONS');
    case 'SET_PROPERTY': {
      if (!Array.isArray(params) || params.length === 0) {
        return errorReply(2, 'Invalid request: missing property name', id);
      }
      if (typeof params[0] !== 'string') {
        return errorReply(2, 'Invalid request: property name must be a string', id);
      }
      if (params[0] !== 'combined') return errorReply(0, 'Unknown property', id);
      if (params.length > 2) return errorReply(2, 'Invalid request: too many parameters', id);
      if (typeof params[1] !== 'boolean') {
        return errorReply(1, 'Invalid value type: expected Boolean', id);
      }
      target.combined = params[1];
      return okReply(null, id, 'SET_PROPERTY');
    }
    case 'GET_PROPERTY': {
      if (!Array.isArray(params) || params.length === 0) {
        return errorReply(2, 'Invalid request: missing property name', id);
      }
      if (typeof params[0] !== 'string') {
        return errorReply(2, 'Invalid request: property name must be a string', id);
      }
      if (params.length > 1) return errorReply(2, 'Invalid request: too many parameters', id);
      if (params[0] !== 'combined') return errorReply(0, 'Unknown property', id);
      return okReply(target.combined, id, 'GET_PROPERTY');
    }
  }
}
