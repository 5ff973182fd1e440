import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../../../src/main/feedserver';
import { eventually, expectRefused, isControlReply, sleep, TestClient } from './helpers';

const AGG =
  '{"e":"aggTrade","E":1,"s":"BTCUSDT","a":1,"p":"63943.90","q":"0.100","nq":"0.100","f":1,"l":1,"T":1,"m":true}';
const BOOK =
  '{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"1.00","B":"1.000","a":"1.10","A":"1.000","T":1,"E":1}';
const TRADE =
  '{"e":"trade","E":1,"T":1,"s":"BTCUSDT","t":1,"p":"1.00","q":"0.001","X":"MARKET","m":true}';

let server: FeedServer;
const clients: TestClient[] = [];

async function connect(path: string): Promise<TestClient> {
  const c = await TestClient.open(server.url + path);
  clients.push(c);
  return c;
}

/** Publishes the three sample payloads and returns what arrived at the client shortly after. */
async function publishAll(): Promise<void> {
  server.publish('btcusdt@aggTrade', AGG);
  server.publish('btcusdt@bookTicker', BOOK);
  server.publish('btcusdt@trade', TRADE);
  await sleep(80);
}

beforeAll(async () => {
  server = await startFeedServer({ maxIncomingPerSecond: 1_000 });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
});

describe('URL forms and routes', () => {
  it('binds 127.0.0.1 and exposes the URL', () => {
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('raw /market/ws/<streams> gets bare payloads of market streams only', async () => {
    const c = await connect('/market/ws/btcusdt@aggTrade/btcusdt@trade/btcusdt@bookTicker');
    await publishAll();
    expect(c.received.map((m) => m.text)).toEqual([AGG, TRADE]);
  });

  it('combined /public/stream?streams= gets envelopes with the original payload bytes', async () => {
    const c = await connect(
      '/public/stream?streams=btcusdt@bookTicker/btcusdt@trade/btcusdt@aggTrade',
    );
    await publishAll();
    expect(c.received.map((m) => m.text)).toEqual([
      `{"stream":"btcusdt@bookTicker","data":${BOOK}}`,
      `{"stream":"btcusdt@trade","data":${TRADE}}`,
    ]);
  });

  it('unrouted legacy URLs get public data only', async () => {
    const raw = await connect('/ws/btcusdt@aggTrade/btcusdt@bookTicker');
    const comb = await connect('/stream?streams=btcusdt@aggTrade/btcusdt@trade');
    await publishAll();
    expect(raw.received.map((m) => m.text)).toEqual([BOOK]);
    expect(comb.received.map((m) => m.text)).toEqual([
      `{"stream":"btcusdt@trade","data":${TRADE}}`,
    ]);
  });

  it('acknowledges a subscription on the wrong route and stays silent', async () => {
    const c = await connect('/market/ws');
    expect(await c.request({ method: 'SUBSCRIBE', params: ['btcusdt@bookTicker'], id: 1 })).toEqual(
      {
        result: null,
        id: 1,
      },
    );
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 2 })).toEqual({
      result: ['btcusdt@bookTicker'],
      id: 2,
    });
    await publishAll();
    expect(c.received.filter((m) => !isControlReply(m.text))).toEqual([]);
    // /private serves nothing; upper-case symbols are acknowledged and silent too.
    const p = await connect('/private/ws/btcusdt@aggTrade');
    const upper = await connect('/market/ws/BTCUSDT@aggTrade');
    await publishAll();
    expect(p.received).toEqual([]);
    expect(upper.received).toEqual([]);
  });

  it('refuses unknown paths, invalid stream names and more than 200 streams', async () => {
    expect(await expectRefused(`${server.url}/foo/ws/btcusdt@aggTrade`)).toBe(404);
    expect(await expectRefused(`${server.url}/market/ws/not a stream`)).toBe(400);
    const many = Array.from({ length: 201 }, (_, i) => `sym${i}usdt@aggTrade`).join('/');
    expect(await expectRefused(`${server.url}/market/stream?streams=${many}`)).toBe(400);
    const ok = Array.from({ length: 200 }, (_, i) => `sym${i}usdt@aggTrade`).join('/');
    const c = await connect(`/market/stream?streams=${ok}`);
    expect(server.connections().find((x) => x.subscriptions.length === 200)).toBeDefined();
    const reply = (await c.request({
      method: 'SUBSCRIBE',
      params: ['btcusdt@aggTrade'],
      id: 9,
    })) as {
      error: { code: number; msg: string };
    };
    expect(reply.error.code).toBe(2);
    expect(reply.error.msg).toMatch(/too many streams/);
  });
});

describe('control messages', () => {
  it('SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS drive the data flow', async () => {
    const c = await connect('/market/ws');
    expect(
      await c.request({
        method: 'SUBSCRIBE',
        params: ['btcusdt@aggTrade', 'btcusdt@trade'],
        id: 1,
      }),
    ).toEqual({ result: null, id: 1 });
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 2 })).toEqual({
      result: ['btcusdt@aggTrade', 'btcusdt@trade'],
      id: 2,
    });
    await publishAll();
    expect(c.received.filter((m) => !isControlReply(m.text)).map((m) => m.text)).toEqual([
      AGG,
      TRADE,
    ]);
    expect(await c.request({ method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade'], id: 3 })).toEqual(
      {
        result: null,
        id: 3,
      },
    );
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 4 })).toEqual({
      result: ['btcusdt@trade'],
      id: 4,
    });
    const before = c.received.length;
    await publishAll();
    expect(c.received.slice(before).map((m) => m.text)).toEqual([TRADE]);
  });

  it('SET_PROPERTY / GET_PROPERTY switch a raw connection to combined envelopes', async () => {
    const c = await connect('/market/ws/btcusdt@aggTrade');
    expect(await c.request({ method: 'GET_PROPERTY', params: ['combined'], id: 1 })).toEqual({
      result: false,
      id: 1,
    });
    expect(await c.request({ method: 'SET_PROPERTY', params: ['combined', true], id: 2 })).toEqual({
      result: null,
      id: 2,
    });
    expect(await c.request({ method: 'GET_PROPERTY', params: ['combined'], id: 3 })).toEqual({
      result: true,
      id: 3,
    });
    server.publish('btcusdt@aggTrade', AGG);
    expect(await c.next((t) => !isControlReply(t))).toBe(
      `{"stream":"btcusdt@aggTrade","data":${AGG}}`,
    );
    const s = await connect('/market/stream');
    expect(await s.request({ method: 'GET_PROPERTY', params: ['combined'], id: 7 })).toEqual({
      result: true,
      id: 7,
    });
  });

  it('answers malformed requests with Binance error codes', async () => {
    const c = await connect('/market/ws');
    const err = (code: number, msg: string | RegExp, id: number | null) =>
      expect.objectContaining({
        error: { code, msg: typeof msg === 'string' ? msg : expect.stringMatching(msg) },
        id,
      });
    expect(await c.request({ method: 'SET_PROPERTY', params: ['colour', true], id: 1 })).toEqual(
      err(0, 'Unknown property', 1),
    );
    expect(await c.request({ method: 'GET_PROPERTY', params: ['colour'], id: 2 })).toEqual(
      err(0, 'Unknown property', 2),
    );
    expect(await c.request({ method: 'SET_PROPERTY', params: ['combined', 'yes'], id: 3 })).toEqual(
      err(1, 'Invalid value type: expected Boolean', 3),
    );
    expect(await c.request({ method: 'SET_PROPERTY', params: [5, true], id: 4 })).toEqual(
      err(2, 'Invalid request: property name must be a string', 4),
    );
    for (const id of [-1, 1.5, '7', null]) {
      expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id })).toEqual(
        err(2, 'Invalid request: request ID must be an unsigned integer', null),
      );
    }
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS' })).toEqual(
      err(2, /^Invalid request: missing field/, null),
    );
    expect(await c.request({ method: 'PING', id: 5 })).toEqual(
      err(2, /^Invalid request: unknown variant `PING`/, 5),
    );
    expect(await c.request({ params: [], id: 6 })).toEqual(
      err(2, /^Invalid request: missing field `method`/, 6),
    );
    expect(await c.request({ method: 'SUBSCRIBE', params: ['btcusdt aggTrade'], id: 7 })).toEqual(
      err(2, 'Invalid request: invalid stream', 7),
    );
    expect(await c.request({ method: 'SUBSCRIBE', params: 'btcusdt@aggTrade', id: 8 })).toEqual(
      err(2, /^Invalid request:/, 8),
    );
    expect(await c.request('{"method":')).toEqual(err(3, /^Invalid JSON/, null));
    expect(await c.request('[1,2]')).toEqual(err(2, /^Invalid request/, null));
    // Nothing of it was applied.
    expect(await c.request({ method: 'LIST_SUBSCRIPTIONS', id: 10 })).toEqual({
      result: [],
      id: 10,
    });
    expect(server.stats().controlErrors).toBeGreaterThanOrEqual(14);
  });
});

describe('connection rules', () => {
  it('disconnects a client sending more than 10 messages per second (pings count)', async () => {
    const s = await startFeedServer();
    try {
      const ok = await TestClient.open(`${s.url}/market/ws`);
      for (let i = 0; i < 10; i++) ok.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
      await ok.waitUntil(() => (ok.received.length === 10 ? true : undefined));
      await sleep(1_050);
      ok.send({ method: 'LIST_SUBSCRIPTIONS', id: 99 });
      await ok.next((t) => t.includes('"id":99'));
      expect(ok.ws.readyState).toBe(ok.ws.OPEN);

      const spam = await TestClient.open(`${s.url}/market/ws`);
      for (let i = 0; i < 11; i++) spam.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
      expect((await spam.closed).code).toBe(1008);

      const pinger = await TestClient.open(`${s.url}/market/ws`);
      for (let i = 0; i < 11; i++) pinger.ws.ping();
      expect((await pinger.closed).code).toBe(1008);
      await eventually(() => expect(s.stats().disconnects.rateLimit).toBe(2));
      ok.close();
    } finally {
      await s.close();
    }
  });

  it('pings every pingIntervalMs and drops a client that does not pong', async () => {
    const s = await startFeedServer({ pingIntervalMs: 150, pongTimeoutMs: 250 });
    try {
      const good = await TestClient.open(`${s.url}/market/ws`);
      const mute = await TestClient.open(`${s.url}/market/ws`, { autoPong: false });
      await sleep(700);
      expect(good.pings.length).toBeGreaterThanOrEqual(3);
      expect(good.ws.readyState).toBe(good.ws.OPEN);
      const closed = await mute.closed;
      expect(closed.code).toBe(1006); // terminated without a close frame
      expect(mute.pings.length).toBeGreaterThanOrEqual(1);
      await eventually(() => expect(s.stats().disconnects.pongTimeout).toBe(1));
      expect(s.stats().pongsReceived).toBeGreaterThanOrEqual(3);
      good.close();
    } finally {
      await s.close();
    }
  });

  it('closes a connection at its maximum lifetime', async () => {
    const s = await startFeedServer({ maxLifetimeMs: 300 });
    try {
      const t0 = performance.now();
      const c = await TestClient.open(`${s.url}/market/ws/btcusdt@aggTrade`);
      const closed = await c.closed;
      const elapsed = performance.now() - t0;
      expect(closed.code).toBe(1000);
      expect(elapsed).toBeGreaterThanOrEqual(280);
      expect(elapsed).toBeLessThan(1_500);
      await eventually(() => expect(s.stats().disconnects.lifetime).toBe(1));
    } finally {
      await s.close();
    }
  });
});
