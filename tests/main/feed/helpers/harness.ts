import {
  BinanceFeedClient,
  type BinanceFeedClientOptions,
  type ControlResultEvent,
  type FeedGapEvent,
  type FeedRoute,
  type OverallStateEvent,
  type RouteStateEvent,
} from '../../../../src/main/feed';
import type { BinanceTestServer } from './binanceTestServer';

export interface Recorded {
  client: BinanceFeedClient;
  messages: { raw: string; route: FeedRoute; receivedAtMs: number }[];
  states: RouteStateEvent[];
  overall: OverallStateEvent[];
  controls: ControlResultEvent[];
  gaps: FeedGapEvent[];
  /** State names in order for one route, consecutive duplicates collapsed. */
  sequence(route: FeedRoute): string[];
}

/** Fast timings for tests: everything well under a second. */
export const FAST: BinanceFeedClientOptions = {
  watchdogMs: 400,
  backoff: { initialMs: 60, maxMs: 200, factor: 2, resetAfterMs: 60_000 },
  connectTimeoutMs: 2_000,
  controlTimeoutMs: 2_000,
};

export function recordClient(server: BinanceTestServer, opts: BinanceFeedClientOptions): Recorded {
  const client = new BinanceFeedClient({ ...FAST, baseUrl: server.url, ...opts });
  const rec: Recorded = {
    client,
    messages: [],
    states: [],
    overall: [],
    controls: [],
    gaps: [],
    sequence(route) {
      const out: string[] = [];
      for (const s of rec.states) {
        if (s.route === route && out[out.length - 1] !== s.state) out.push(s.state);
      }
      return out;
    },
  };
  client.onMessage((raw, route, receivedAtMs) => rec.messages.push({ raw, route, receivedAtMs }));
  client.on('state', (e) => rec.states.push(e));
  client.on('overall', (e) => rec.overall.push(e));
  client.on('control', (e) => rec.controls.push(e));
  client.on('gap', (e) => rec.gaps.push(e));
  return rec;
}
