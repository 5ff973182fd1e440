// The browser-mode bridge client against a real `ws` server on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { WebSocket as ServerSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { encodeBridgeFrame } from '../../src/core/contract/bridgeCodec';
import type { BridgeInvoke, BridgeServerFrame } from '../../src/core/contract/bridgeProtocol';
import type { IngestStats, SymbolPrice } from '../../src/core/contract/contract';
import type { Bar } from '../../src/core/market/types';
import type { TransportStatus } from '../../src/renderer/transport/types';
import { backoffDelay, WsBridgeClient } from '../../src/renderer/transport/wsBridgeClient';
import type { WebSocketLike } from '../../src/renderer/transport/wsBridgeClient';
import { SNAPSHOT } from './helpers';

interface TestServer {
  wss: WebSocketServer;
  url: string;
  sockets: ServerSocket[];
  invokes: BridgeInvoke[];
  /** Per-channel handler; throw to reply with an error; return undefined to stay silent. */
  handlers: Record<string, (request: unknown) => unknown>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startServer(port = 0): Promise<TestServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port, path: '/bridge' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const server: TestServer = {
    wss,
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/bridge?token=t`,
    sockets: [],
    invokes: [],
    handlers: { 'session.snapshot': () => SNAPSHOT },
  };
  wss.on('connection', (ws, req) => {
    if (!req.url?.includes('token=t')) {
      ws.close(4401, 'bad token');
      return;
    }
    server.sockets.push(ws);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as BridgeInvoke;
      server.invokes.push(msg);
      const handler = server.handlers[msg.channel];
      let frame: BridgeServerFrame;
      try {
        if (!handler) throw new Error(`unknown channel ${msg.channel}`);
        const response = handler(msg.request);
        if (response === undefined) return;
        frame = { type: 'reply', id: msg.id, ok: true, response };
      } catch (error) {
        frame = { type: 'reply', id: msg.id, ok: false, error: (error as Error).message };
      }
      // As the real server: JSON text, or a binary frame when the reply carries bulk arrays.
      ws.send(encodeBridgeFrame(frame));
    });
  });
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => r());
      }),
  );
  return server;
}

function client(url: string, extra: Partial<ConstructorParameters<typeof WsBridgeClient>[0]> = {}) {
  const c = new WsBridgeClient({
    url,
    createSocket: (u) => new WebSocket(u) as unknown as WebSocketLike,
    backoff: { initialMs: 20, maxMs: 100, factor: 2 },
    random: () => 0,
    ...extra,
  });
  cleanups.push(() => c.close());
  return c;
}

function pushEvent(ws: ServerSocket, frame: BridgeServerFrame): void {
  ws.send(JSON.stringify(frame));
}

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('WsBridgeClient', () => {
  it('pairs invokes with their replies by id (sent before the socket opens too)', async () => {
    const server = await startServer();
    server.handlers['bars.history'] = (r) => [{ echo: r }];
    const c = client(server.url);
    const [snapshot, bars] = await Promise.all([
      c.invoke('session.snapshot', null),
      c.invoke('bars.history', { symbol: 'BTCUSDT', timeframe: '1m', limit: 5 }),
    ]);
    expect(snapshot.settings.pairA).toBe('BTCUSDT');
    expect(bars).toEqual([{ echo: { symbol: 'BTCUSDT', timeframe: '1m', limit: 5 } }]);
    expect(server.invokes.map((i) => [i.type, i.channel])).toEqual([
      ['invoke', 'session.snapshot'],
      ['invoke', 'bars.history'],
    ]);
    expect(new Set(server.invokes.map((i) => i.id)).size).toBe(2);
  });

  it('decodes binary frames: a bar history arrives as the bars JSON would have carried', async () => {
    const server = await startServer();
    const history: Bar[] = Array.from({ length: 500 }, (_, i) => ({
      symbol: 'ETHUSDT',
      timeframeMs: 60_000,
      startMs: 1_721_347_200_000 + i * 60_000,
      open: 3400 + i / 7,
      high: 3401 + i / 7,
      low: 3399,
      close: 3400.5 + i / 9,
      volume: i,
      quoteVolume: i === 3 ? Number.NaN : 3400 * i,
      trades: i % 11,
      takerBuyVolume: i / 2,
      vwap: 3400.25,
    }));
    server.handlers['bars.history'] = () => history;
    const c = client(server.url);
    const got = await c.invoke('bars.history', { symbol: 'ETHUSDT', timeframe: '1m', limit: 500 });
    expect(got).toStrictEqual(JSON.parse(JSON.stringify(history)));
    expect(got[3].quoteVolume).toBeNull();
  });

  it('ignores a corrupt binary frame with a warning and keeps serving later replies', async () => {
    const server = await startServer();
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    cleanups.push(() => {
      console.warn = warn;
    });
    const c = client(server.url);
    await c.invoke('session.snapshot', null);
    const corrupt = encodeBridgeFrame({ xs: Array.from({ length: 100 }, (_, i) => i) });
    for (const ws of server.sockets) ws.send((corrupt as Uint8Array).subarray(0, 12));
    await until(() => warnings.length > 0);
    expect(warnings[0]).toMatch(/ignoring a bad frame \(truncated frame/);
    expect((await c.invoke('session.snapshot', null)).settings.pairA).toBe('BTCUSDT');
  });

  it('rejects with the server message on an error reply', async () => {
    const server = await startServer();
    server.handlers['settings.update'] = () => {
      throw new Error('Invalid request for "settings.update": lookback: Too big');
    };
    const c = client(server.url);
    await expect(c.invoke('settings.update', { lookback: 1e9 })).rejects.toThrow(
      'Invalid request for "settings.update": lookback: Too big',
    );
  });

  it('delivers events to their listeners until unsubscribed', async () => {
    const server = await startServer();
    const c = client(server.url);
    await c.invoke('session.snapshot', null);
    const prices: SymbolPrice[][] = [];
    const stats: IngestStats[] = [];
    const off = c.on('prices', (p) => prices.push(p));
    c.on('stats', (s) => stats.push(s));
    const ws = server.sockets[0];
    pushEvent(ws, {
      type: 'event',
      envelope: { event: 'prices', payload: [{ symbol: 'BTCUSDT', price: 1, timeMs: 2 }] },
    });
    pushEvent(ws, { type: 'event', envelope: { event: 'stats', payload: SNAPSHOT.stats } });
    await until(() => prices.length === 1 && stats.length === 1);
    off();
    pushEvent(ws, {
      type: 'event',
      envelope: { event: 'prices', payload: [{ symbol: 'BTCUSDT', price: 3, timeMs: 4 }] },
    });
    pushEvent(ws, { type: 'event', envelope: { event: 'stats', payload: SNAPSHOT.stats } });
    await until(() => stats.length === 2);
    expect(prices).toEqual([[{ symbol: 'BTCUSDT', price: 1, timeMs: 2 }]]);
  });

  it('reconnects with backoff after the socket drops, announces the re-open, and keeps working', async () => {
    const server = await startServer();
    server.handlers['replay.files'] = () => undefined; // never answered
    const c = client(server.url);
    const statuses: TransportStatus['state'][] = [];
    c.onTransport((s) => statuses.push(s.state));
    let reopened = 0;
    c.onReopen(() => reopened++);
    await c.invoke('session.snapshot', null);
    expect(reopened).toBe(0);

    const unanswered = c.invoke('replay.files', null);
    await until(() => server.invokes.some((i) => i.channel === 'replay.files'));
    server.sockets[0].terminate();
    await expect(unanswered).rejects.toThrow(/bridge connection lost.*"replay.files"/);
    await until(() => reopened === 1);
    expect(c.status.state).toBe('open');
    expect(statuses).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);
    expect((await c.invoke('session.snapshot', null)).symbols).toEqual(SNAPSHOT.symbols);
    expect(server.sockets).toHaveLength(2);
  });

  it('keeps retrying while the server is down and reports why', async () => {
    const server = await startServer();
    const port = Number(new URL(server.url).port);
    const c = client(server.url);
    await c.invoke('session.snapshot', null);
    await new Promise<void>((r) => {
      for (const ws of server.wss.clients) ws.terminate();
      server.wss.close(() => r());
    });
    await until(() => c.status.state === 'closed');
    expect(c.status.error).toMatch(/bridge/);
    expect(c.status.retryAtMs).not.toBeNull();
    // Requests made while down wait for the next connection.
    const waiting = c.invoke('session.snapshot', null);
    const again = await startServer(port);
    expect((await waiting).source.kind).toBe('demo');
    expect(again.invokes.map((i) => i.channel)).toEqual(['session.snapshot']);
  });

  it('rejects an invoke without a reply after the timeout, and everything after close', async () => {
    const server = await startServer();
    server.handlers['replay.files'] = () => undefined;
    const c = client(server.url, { requestTimeoutMs: 50 });
    await expect(c.invoke('replay.files', null)).rejects.toThrow(/No reply to "replay.files"/);
    c.close();
    await expect(c.invoke('session.snapshot', null)).rejects.toThrow(/closed/);
  });

  it('waits for files.import past the timeout (it lasts as long as the import)', async () => {
    const server = await startServer();
    let reply: (() => void) | null = null;
    server.handlers['files.import'] = (request) => {
      reply = () =>
        server.sockets[0].send(
          JSON.stringify({
            type: 'reply',
            id: server.invokes.at(-1)!.id,
            ok: true,
            response: { jobId: 'j1', echo: request },
          }),
        );
      return undefined;
    };
    const c = client(server.url, { requestTimeoutMs: 50 });
    const importing = c.invoke('files.import', { fileIds: ['f1'] });
    await new Promise((r) => setTimeout(r, 200)); // four timeouts long
    await until(() => reply !== null);
    reply!();
    await expect(importing).resolves.toMatchObject({ jobId: 'j1', echo: { fileIds: ['f1'] } });
  });

  it('backs off exponentially up to the cap', () => {
    const o = { initialMs: 500, maxMs: 15_000, factor: 2 };
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, o, 0))).toEqual([
      500, 1000, 2000, 4000, 15_000,
    ]);
    expect(backoffDelay(0, o, 1)).toBe(600);
  });
});
