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

const isLive = (): boolean => rec!.client.state().state === 'live';

describe('reconnect with backoff', () => {
  it('server drop → live → backing_off → connecting → live, URL carries the current symbols, gap reported', async () => {
    server = await startTestServer();
    rec = recordClient(server, { symbols: ['BTCUSDT'] });
    const { client } = rec;
    client.start();
    await waitFor(isLive, 3_000, 'live');
    client.addSymbol('ETHUSDT');
    await waitFor(() => rec!.controls.length === 1, 2_000, 'ack');

    const before = Date.now();
    server.drop(server.connections[0]);
    await waitFor(() => server!.connections.length === 2 && isLive(), 3_000, 'reconnected');

    expect(rec.sequence('market')).toEqual([
      'connecting',
      'live',
      'backing_off',
      'connecting',
      'live',
    ]);
    const backing = rec.states.find((s) => s.state === 'backing_off')!;
    expect(backing.reason).toMatch(/^closed: code 1006/);
    expect(backing.attempt).toBe(1);
    expect(backing.nextRetryMs).toBeGreaterThanOrEqual(0);
    expect(backing.nextRetryMs).toBeLessThanOrEqual(60);
    // No re-subscribe needed: the new URL already contains the live-added symbol.
    const second = server.connections[1];
    expect(second.path).toBe('/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade');
    expect(second.controls).toHaveLength(0);
    expect(rec.overall.map((o) => o.state)).toEqual([
      'connecting',
      'live',
      'backing_off',
      'connecting',
      'live',
    ]);
    expect(rec.gaps).toHaveLength(1);
    expect(rec.gaps[0].route).toBe('market');
    expect(rec.gaps[0].lastDataAtMs).toBeLessThanOrEqual(before + 5);
    expect(rec.gaps[0].resumedAtMs).toBeGreaterThan(rec.gaps[0].lastDataAtMs!);
    expect(client.stats().routes.market?.reconnects).toBe(1);
  });

  it('backs off exponentially (full jitter, injected random) and resets after a healthy period', async () => {
    server = await startTestServer();
    server.refuseNext = 3; // Binance's 1008 "Too many requests" answer to reconnect storms
    rec = recordClient(server, {
      symbols: ['BTCUSDT'],
      random: () => 0.999,
      backoff: { initialMs: 60, maxMs: 200, factor: 2, resetAfterMs: 300 },
    });
    rec.client.start();
    await waitFor(isLive, 5_000, 'live after refusals');
    const waits = rec.states.filter((s) => s.state === 'backing_off');
    expect(waits.map((s) => s.nextRetryMs)).toEqual([59, 119, 199]);
    expect(waits.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(waits[0].reason).toBe('closed: code 1008 Too many requests');

    await sleep(400); // healthy for longer than resetAfterMs
    server.drop(server.open()[0]);
    await waitFor(() => rec!.states.filter((s) => s.state === 'backing_off').length === 4, 2_000);
    const last = rec.states.filter((s) => s.state === 'backing_off')[3];
    expect(last.attempt).toBe(1);
    expect(last.nextRetryMs).toBe(59);
  });

  it('stop() while backing off cancels the retry', async () => {
    server = await startTestServer();
    rec = recordClient(server, {
      symbols: ['BTCUSDT'],
      backoff: { initialMs: 300, maxMs: 300, factor: 2, resetAfterMs: 60_000 },
      random: () => 0.99,
    });
    rec.client.start();
    await waitFor(isLive, 3_000, 'live');
    server.drop(server.connections[0]);
    await waitFor(() => rec!.client.state().state === 'backing_off', 2_000, 'backing_off');
    await rec.client.stop();
    await sleep(600);
    expect(server.connections).toHaveLength(1);
    expect(rec.client.state().state).toBe('stopped');
    expect(rec.states[rec.states.length - 1].state).toBe('stopped');
  });

  it('keeps retrying an unreachable server and stops cleanly', async () => {
    const tmp = await startTestServer();
    const url = tmp.url;
    await tmp.close();
    rec = recordClient({ url } as BinanceTestServer, { symbols: ['BTCUSDT'] });
    const errors: string[] = [];
    rec.client.on('socketError', (e) => errors.push(e.message));
    rec.client.start();
    await waitFor(
      () => rec!.states.filter((s) => s.state === 'backing_off').length >= 3,
      3_000,
      '3 failed attempts',
    );
    expect(errors.some((m) => /ECONNREFUSED/.test(m))).toBe(true);
    await rec.client.stop();
    const n = rec.states.length;
    await sleep(400);
    expect(rec.states.length).toBe(n);
  });
});

describe('watchdog', () => {
  it('open but silent → stale → reconnect', async () => {
    server = await startTestServer();
    rec = recordClient(server, { symbols: ['BTCUSDT'], watchdogMs: 300 });
    rec.client.start();
    await waitFor(isLive, 3_000, 'live');
    server.connections[0].silent = true; // socket stays open, no close, no error
    await waitFor(() => server!.connections.length === 2 && isLive(), 3_000, 'recovered');

    expect(rec.sequence('market')).toEqual([
      'connecting',
      'live',
      'stale',
      'backing_off',
      'connecting',
      'live',
    ]);
    const stale = rec.states.find((s) => s.state === 'stale')!;
    expect(stale.reason).toMatch(/^watchdog: no data for 0\.[3-9] s$/);
    await waitFor(() => server!.connections[0].closedAtMs !== null, 2_000, 'old socket closed');
    expect(rec.client.stats().routes.market?.watchdogTrips).toBe(1);
  });

  it('a wrong-route subscription (acknowledged, then silent) never goes live and keeps tripping', async () => {
    // The server only serves @trade on /public; the client is configured for /market.
    server = await startTestServer({ deliverOn: { trade: ['public'] } });
    rec = recordClient(server, {
      symbols: ['BTCUSDT'],
      tradeStream: 'trade',
      routes: { trade: 'market' },
      watchdogMs: 150,
    });
    rec.client.start();
    await waitFor(
      () => (rec!.client.stats().routes.market?.watchdogTrips ?? 0) >= 2,
      3_000,
      'two watchdog trips',
    );
    expect(rec.states.some((s) => s.state === 'live')).toBe(false);
    expect(rec.messages).toHaveLength(0);
    const stale = rec.states.filter((s) => s.state === 'stale');
    expect(stale[0].reason).toMatch(/watchdog: no data/);
    // Backoff keeps growing while the route is unhealthy.
    const attempts = rec.states.filter((s) => s.state === 'backing_off').map((s) => s.attempt);
    expect(attempts.slice(0, 2)).toEqual([1, 2]);
    expect(server.connections.every((c) => c.path.startsWith('/market/stream?'))).toBe(true);
  });
});

describe('pings and lifetime', () => {
  it('answers server pings with pongs (ws autoPong) and counts them', async () => {
    server = await startTestServer();
    rec = recordClient(server, { symbols: ['BTCUSDT'] });
    rec.client.start();
    await waitFor(isLive, 3_000, 'live');
    const c = server.connections[0];
    server.ping(c);
    server.ping(c);
    await waitFor(() => c.pongs === 2, 2_000, 'pongs');
    const stats = rec.client.stats().routes.market!;
    expect(stats.pingsReceived).toBe(2);
    expect(stats.pongsSent).toBe(2);
    expect(c.incoming.filter((r) => r.kind === 'pong')).toHaveLength(2);
  });

  it('rotates proactively before maxLifetime: make-before-break, stays live, no gap', async () => {
    server = await startTestServer({ dataIntervalMs: 10 });
    rec = recordClient(server, {
      symbols: ['BTCUSDT', 'ETHUSDT'],
      maxLifetimeMs: 500,
      lifetimeJitterMs: 0,
    });
    rec.client.start();
    await waitFor(isLive, 3_000, 'live');
    await waitFor(() => server!.connections.length >= 2, 3_000, 'rotation');
    const [first, second] = server.connections;
    await waitFor(() => first.closedAtMs !== null, 2_000, 'old connection closed');
    await sleep(100);

    expect(first.closeCode).toBe(1000);
    expect(first.closeReason).toBe('lifetime rotation');
    expect(second.path).toBe(first.path);
    // Make-before-break: the new socket opened before the old one closed.
    expect(second.openedAtMs).toBeLessThanOrEqual(first.closedAtMs!);
    expect(first.closedAtMs! - first.openedAtMs).toBeGreaterThanOrEqual(450);
    expect(rec.sequence('market')).toEqual(['connecting', 'live']);
    expect(rec.states.some((s) => /lifetime rotation/.test(s.reason))).toBe(true);
    expect(rec.gaps).toHaveLength(0);
    expect(rec.client.stats().routes.market?.rotations).toBeGreaterThanOrEqual(1);
    // Data kept flowing across the switch.
    const t = rec.messages.map((m) => m.receivedAtMs);
    let maxGap = 0;
    for (let i = 1; i < t.length; i++) maxGap = Math.max(maxGap, t[i] - t[i - 1]);
    expect(maxGap).toBeLessThan(150);
  });

  it('rotation falls back to switching after the overlap when the new socket is silent', async () => {
    server = await startTestServer();
    rec = recordClient(server, {
      symbols: ['BTCUSDT'],
      maxLifetimeMs: 400,
      lifetimeJitterMs: 0,
      rotationOverlapMs: 150,
      watchdogMs: 2_000,
    });
    rec.client.start();
    await waitFor(isLive, 3_000, 'live');
    server.silenceNew = true;
    await waitFor(() => server!.connections[0].closedAtMs !== null, 3_000, 'switch');
    expect(server.connections[0].closeReason).toBe('lifetime rotation');
    expect(rec.states.some((s) => s.reason === 'lifetime rotation: overlap elapsed')).toBe(true);
  });
});
