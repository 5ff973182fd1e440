/** Shared fakes for the renderer tests. */
import { DEFAULT_SETTINGS } from '../../src/core/contract/contract';
import type {
  EventMap,
  EventName,
  PairDeskApi,
  RequestChannel,
  SessionSnapshot,
} from '../../src/core/contract/contract';
import type { Bar } from '../../src/core/market/types';
import { flatBar } from '../support/analyticsFixtures';
import { sourceInfo } from '../support/sourceInfo';

export const SNAPSHOT: SessionSnapshot = {
  source: sourceInfo({ kind: 'demo', simulated: true, label: 'Simulated market' }),
  settings: structuredClone({ ...DEFAULT_SETTINGS }),
  symbols: ['BTCUSDT', 'ETHUSDT'],
  connection: { state: 'connecting', reason: 'opening socket', sinceMs: 1_000 },
  prices: [
    { symbol: 'BTCUSDT', price: 100, timeMs: 5_000 },
    { symbol: 'ETHUSDT', price: 10, timeMs: 5_000 },
  ],
  stats: {
    messagesPerSec: 0,
    lastMessageAgeMs: null,
    ticksStored: 0,
    rejects: {},
    rejectsTotal: 0,
    dbSizeBytes: 0,
  },
};

type Handler = (request: unknown) => unknown;

/** A PairDeskApi whose invokes go to `handlers` and whose events the test emits. */
export function fakeApi(handlers: Partial<Record<RequestChannel, Handler>> = {}) {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const calls: { channel: RequestChannel; request: unknown }[] = [];
  const api = {
    invoke: (channel: RequestChannel, request: unknown) => {
      calls.push({ channel, request });
      const handler = handlers[channel];
      if (!handler) return Promise.reject(new Error(`no handler for ${channel}`));
      try {
        return Promise.resolve(handler(request));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    on: (event: EventName, listener: (payload: never) => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return () => listeners.get(event)!.delete(listener);
    },
  } as unknown as PairDeskApi;
  const emit = <E extends EventName>(event: E, payload: EventMap[E]) =>
    listeners.get(event)?.forEach((l) => l(payload as never));
  const count = () => [...listeners.values()].reduce((n, s) => n + s.size, 0);
  return { api, emit, count, calls };
}

export function bar(symbol: string, startMs: number, close: number, timeframeMs = 60_000): Bar {
  return { ...flatBar(symbol, startMs, close, timeframeMs), takerBuyVolume: 0.5 };
}

export const tick = () => new Promise((r) => setTimeout(r, 0));
