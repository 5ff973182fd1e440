import { describe, expect, it } from 'vitest';
import { BinanceFeedClient, FeedCapacityError } from '../../../src/main/feed';
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

const streamOf = (raw: string): string => raw.slice('{"stream":"'.length, raw.indexOf('"', 11));

describe('live SUBSCRIBE / UNSUBSCRIBE', () => {
  it('adds and removes symbols over the open connections without reconnecting', async () => {
    server = await startTestServer();
    rec = recordClient(server, { symbols: ['BTCUSDT'], bookTicker: true });
    const { client } = rec;
    client.start();
    await waitFor(() => client.state().state === 'live', 3_000, 'live');
    expect(server.connections).toHaveLength(2);

    client.addSymbol('ETHUSDT');
    await waitFor(() => rec!.controls.length >= 2, 3_000, 'acks');
    const market = server.byRoute('market')[0];
    const pub = server.byRoute('public')[0];
    expect(market.controls).toEqual([
      expect.objectContaining({ method: 'SUBSCRIBE', params: ['ethusdt@aggTrade'] }),
    ]);
    expect(pub.controls).toEqual([
      expect.objectContaining({ method: 'SUBSCRIBE', params: ['ethusdt@bookTicker'] }),
    ]);
    // Replies matched by id.
    const marketAck = rec.controls.find((c) => c.route === 'market')!;
    expect(marketAck).toMatchObject({ method: 'SUBSCRIBE', outcome: 'ack', error: null });
    expect(marketAck.id).toBe(market.controls[0].id);
    await waitFor(
      () => rec!.messages.some((m) => streamOf(m.raw) === 'ethusdt@aggTrade'),
      2_000,
      'eth data',
    );

    client.removeSymbol('btcusdt');
    await waitFor(() => rec!.controls.length >= 4, 3_000, 'unsubscribe acks');
    expect(market.controls[1]).toMatchObject({
      method: 'UNSUBSCRIBE',
      params: ['btcusdt@aggTrade'],
    });
    expect(rec.controls.every((c) => c.outcome === 'ack')).toBe(true);
    await sleep(60);
    const cut = rec.messages.length;
    await sleep(200);
    expect(rec.messages.slice(cut).some((m) => m.raw.includes('btcusdt@'))).toBe(false);
    expect(rec.messages.slice(cut).length).toBeGreaterThan(0);

    // Still the same two connections, never closed.
    expect(server.connections).toHaveLength(2);
    expect(server.open()).toHaveLength(2);
    expect(rec.sequence('market')).toEqual(['connecting', 'live']);
    expect(client.stats().routes.market?.controlAcked).toBe(2);
  });

  it('queues changes made while connecting and sends them once open', async () => {
    server = await startTestServer();
    rec = recordClient(server, { symbols: ['BTCUSDT'] });
    rec.client.start();
    rec.client.addSymbol(['ETHUSDT', 'XRPUSDT']);
    await waitFor(() => rec!.controls.length >= 1, 3_000, 'ack');
    const c = server.connections[0];
    expect(c.path).toBe('/market/stream?streams=btcusdt@aggTrade');
    expect(c.controls[0]).toMatchObject({
      method: 'SUBSCRIBE',
      params: ['ethusdt@aggTrade', 'xrpusdt@aggTrade'],
    });
    expect(c.streams).toEqual(['btcusdt@aggTrade', 'ethusdt@aggTrade', 'xrpusdt@aggTrade']);
  });

  it('reports error replies {code,msg} matched by id', async () => {
    server = await startTestServer({ rejectStream: (s) => s.startsWith('bad') });
    rec = recordClient(server, { symbols: ['BTCUSDT'] });
    rec.client.start();
    await waitFor(() => rec!.client.state().state === 'live', 3_000, 'live');
    rec.client.addSymbol('BADUSDT');
    await waitFor(() => rec!.controls.length >= 1, 3_000, 'error reply');
    expect(rec.controls[0]).toMatchObject({
      route: 'market',
      method: 'SUBSCRIBE',
      params: ['badusdt@aggTrade'],
      outcome: 'error',
      error: { code: 2, msg: 'Invalid request: invalid stream badusdt@aggTrade' },
    });
    expect(rec.controls[0].id).toBe(server.connections[0].controls[0].id);
    expect(rec.client.stats().routes.market?.controlErrors).toBe(1);
    expect(server.open()).toHaveLength(1);
  });

  it('a burst of 50 symbol changes stays under the control rate limit (server-side measure)', async () => {
    server = await startTestServer({ pingIntervalMs: 700 });
    rec = recordClient(server, { symbols: ['BTCUSDT'] });
    const { client } = rec;
    client.start();
    await waitFor(() => client.state().state === 'live', 3_000, 'live');

    // 50 changes in one synchronous burst (coalesced into one frame), then 50 more spaced 40 ms
    // apart (~25 changes/s for 2 s) so the limiter, not just coalescing, has to hold the rate.
    for (let i = 0; i < 25; i++) client.addSymbol(`S${i}USDT`);
    for (let i = 0; i < 25; i += 2) client.removeSymbol(`S${i}USDT`);
    for (let i = 0; i < 12; i++) client.addSymbol(`T${i}USDT`);
    for (let i = 0; i < 50; i++) {
      if (i % 5 === 4) client.removeSymbol(`U${i - 2}USDT`);
      else client.addSymbol(`U${i}USDT`);
      await sleep(40);
    }
    const wanted = client.streamsByRoute().market!;
    const c = server.connections[0];
    await waitFor(
      () => c.streams.length === wanted.length && wanted.every((s) => c.streams.includes(s)),
      5_000,
      'server set converges',
    );
    await waitFor(() => client.stats().routes.market!.controlPending === 0, 3_000, 'acks');

    expect(server.connections).toHaveLength(1);
    expect(c.rateViolation).toBe(false);
    expect(c.controls.length).toBeGreaterThanOrEqual(5);
    expect(c.pongs).toBeGreaterThan(0);
    // Binance limit: no 1-second window with more than 10 incoming frames (controls + pongs).
    expect(BinanceTestServer.maxInWindow(c.incoming)).toBeLessThanOrEqual(10);
    // Our budget: 4 frames/s counting pongs. A pong cannot be delayed, so one may land in a window
    // that already holds 4 control frames: 4 + 1.
    expect(BinanceTestServer.maxInWindow(c.incoming)).toBeLessThanOrEqual(5);
    expect(rec.controls.every((x) => x.outcome === 'ack')).toBe(true);
    const stats = client.stats().routes.market!;
    expect(stats.pongsSent).toBe(c.pongs);
  });

  it('refuses more than 200 streams per connection with a clear error', () => {
    const client = new BinanceFeedClient({ symbols: ['BTCUSDT'] });
    const many = Array.from({ length: 201 }, (_, i) => `S${i}USDT`);
    expect(() => client.setSymbols(many)).toThrow(FeedCapacityError);
    expect(() => client.setSymbols(many)).toThrow(/\/market would need 201 streams/);
    expect(client.symbols()).toEqual(['BTCUSDT']);
    client.setSymbols(many.slice(0, 200));
    expect(client.symbols()).toHaveLength(200);
    expect(() => client.addSymbol('ONEMORE')).toThrow(FeedCapacityError);
  });
});
