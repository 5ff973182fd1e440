import { describe, expect, it } from 'vitest';
import { BinanceTestServer, sleep, waitFor } from './helpers/binanceTestServer';
import {
  closeFeedsAfterEach,
  recordClient,
  startTestServer,
  type Recorded,
} from './helpers/harness';

let server: BinanceTestServer | null = null;
let rec: Recorded | null = null;

closeFeedsAfterEach();

describe('BinanceFeedClient connections', () => {
  it('opens one routed combined-stream connection per route and delivers data', async () => {
    server = await startTestServer();
    rec = recordClient(server, { symbols: ['BTCUSDT', 'ethusdt'], bookTicker: true });
    const { client } = rec;
    expect(client.state().state).toBe('stopped');
    client.start();
    await waitFor(() => client.state().state === 'live', 3_000, 'overall live');

    const paths = server.connections.map((c) => c.path).sort();
    expect(paths).toEqual([
      '/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade',
      '/public/stream?streams=btcusdt@bookTicker/ethusdt@bookTicker',
    ]);
    await waitFor(() => rec!.messages.length >= 20, 3_000, 'data');
    const routes = new Set(rec.messages.map((m) => m.route));
    expect(routes).toEqual(new Set(['market', 'public']));
    const m = rec.messages.find((x) => x.route === 'market')!;
    expect(m.raw.startsWith('{"stream":"')).toBe(true);
    expect(Math.abs(m.receivedAtMs - Date.now())).toBeLessThan(5_000);
    // No control replies leak into the data path.
    expect(rec.messages.every((x) => !x.raw.includes('"result"'))).toBe(true);

    expect(rec.sequence('market')).toEqual(['connecting', 'live']);
    expect(rec.overall.map((o) => o.state)).toEqual(['connecting', 'live']);
    const times = client.lastMessageTimes();
    expect([...times.keys()].sort()).toEqual([
      'btcusdt@aggTrade',
      'btcusdt@bookTicker',
      'ethusdt@aggTrade',
      'ethusdt@bookTicker',
    ]);
    expect(client.lastMessageAtMs('market')).not.toBeNull();

    await sleep(1_100);
    const stats = client.stats();
    expect(stats.routes.market?.dataMessages).toBeGreaterThan(0);
    expect(stats.routes.public?.dataMessages).toBeGreaterThan(0);
    expect(stats.dataMessages).toBe(
      stats.routes.market!.dataMessages + stats.routes.public!.dataMessages,
    );
    expect(stats.bytes).toBeGreaterThan(stats.dataMessages * 50);
    expect(stats.messagesPerSec).toBeGreaterThan(0);
    expect(stats.routes.market?.url).toBe(
      `${server.url}/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade`,
    );
  });

  it('routes the trade stream as configured (trade → /public) and decodes binary frames', async () => {
    server = await startTestServer({ binaryFrames: true });
    rec = recordClient(server, {
      symbols: ['SOLUSDT'],
      tradeStream: 'trade',
      routes: { trade: 'public' },
    });
    rec.client.start();
    await waitFor(() => rec!.messages.length >= 3, 3_000, 'binary data');
    expect(server.connections.map((c) => c.path)).toEqual(['/public/stream?streams=solusdt@trade']);
    const raw = rec.messages[0].raw;
    expect(typeof raw).toBe('string');
    expect(raw).toContain('"e":"trade"');
    expect(rec.client.stats().routes.market).toBeUndefined();
  });

  it('stop() closes with 1000, goes stopped and never reconnects', async () => {
    server = await startTestServer();
    rec = recordClient(server, { symbols: ['BTCUSDT'] });
    rec.client.start();
    await waitFor(() => rec!.client.state().state === 'live', 3_000, 'live');
    await rec.client.stop();
    await waitFor(() => server!.open().length === 0, 2_000, 'server sees close');
    expect(server.connections[0].closeCode).toBe(1000);
    expect(rec.client.state().state).toBe('stopped');
    expect(rec.states[rec.states.length - 1]).toMatchObject({ state: 'stopped' });
    const n = rec.messages.length;
    await sleep(700); // > watchdog + backoff
    expect(server.connections).toHaveLength(1);
    expect(rec.messages.length).toBe(n);
  });
});
