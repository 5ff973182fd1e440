import {
  BinanceFeedClient,
  type BinanceFeedClientOptions,
  type ControlResultEvent,
  type FeedGapEvent,
  type FeedRoute,
  type OverallStateEvent,
  type RouteStateEvent,
} from '../../../../src/main/feed';
import { afterEach } from 'vitest';
import { BinanceTestServer, type TestServerOptions } from './binanceTestServer';

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

/** What the current test opened through startTestServer() and recordClient(), oldest first. */
const opened: (() => Promise<unknown>)[] = [];

/**
 * Registers (once per test file) the cleanup after each test: every recorded client is stopped
 * and every test server closed, newest first, so clients go before the server they talk to.
 */
export function closeFeedsAfterEach(): void {
  afterEach(async () => {
    for (const close of opened.splice(0).reverse()) await close();
  });
}

/** A Binance-compatible test server on loopback, closed after the test. */
export async function startTestServer(opts?: TestServerOptions): Promise<BinanceTestServer> {
  const server = await BinanceTestServer.start(opts);
  opened.push(() => server.close());
  return server;
}

/** A feed client on `server` whose messages and events are recorded; stopped after the test. */
export function recordClient(server: BinanceTestServer, opts: BinanceFeedClientOptions): Recorded {
  const client = new BinanceFeedClient({ ...FAST, baseUrl: server.url, ...opts });
  opened.push(() => client.stop());
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
