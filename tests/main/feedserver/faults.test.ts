import { afterEach, describe, expect, it } from 'vitest';
import { MALFORMED_KINDS, startFeedServer, type FeedServer } from '../../../src/main/feedserver';
import { eventually, isControlReply, sleep, TestClient } from './helpers';

let server: FeedServer | null = null;
const clients: TestClient[] = [];

async function open(path: string): Promise<TestClient> {
  if (!server) throw new Error('no server');
  const c = await TestClient.open(server.url + path);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = null;
});

describe('fault switches', () => {
  it('dropAllConnections() resets every socket (1006); with a code it closes cleanly', async () => {
    server = await startFeedServer({ source: { kind: 'sim', rate: 200 } });
    const a = await open('/market/ws/btcusdt@aggTrade');
    const b = await open('/public/stream?streams=btcusdt@bookTicker');
    await a.next();
    expect(server.dropAllConnections()).toBe(2);
    expect((await a.closed).code).toBe(1006);
    expect((await b.closed).code).toBe(1006);
    await eventually(() => expect(server?.stats().disconnects.dropped).toBe(2));
    // Reconnecting works and data flows again.
    const c = await open('/market/ws/btcusdt@aggTrade');
    await c.next();
    expect(server.dropAllConnections(1001, 'maintenance')).toBe(1);
    expect(await c.closed).toEqual({ code: 1001, reason: 'maintenance' });
  });

  it('setSilent(true) keeps connections open but sends nothing until switched back', async () => {
    server = await startFeedServer({ source: { kind: 'sim', rate: 500 }, pingIntervalMs: 100 });
    const c = await open('/market/ws/btcusdt@aggTrade');
    await c.next();
    server.setSilent(true);
    await sleep(30);
    const count = c.received.length;
    const pings = c.pings.length;
    c.send({ method: 'LIST_SUBSCRIPTIONS', id: 1 });
    await sleep(400);
    expect(c.received.length).toBe(count);
    expect(c.pings.length).toBe(pings);
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    expect(server.stats().silent).toBe(true);
    server.setSilent(false);
    await c.next((t) => t.includes('"e":"aggTrade"'));
    expect(server.silent).toBe(false);
  });

  it('sendMalformed(n) delivers garbage frames to every client without closing them', async () => {
    server = await startFeedServer();
    const raw = await open('/market/ws/btcusdt@aggTrade');
    const comb = await open('/market/stream?streams=ethusdt@aggTrade');
    const n = MALFORMED_KINDS.length;
    expect(server.sendMalformed(n)).toBe(2 * n);
    await raw.waitUntil(() => (raw.received.length >= n ? true : undefined));
    await comb.waitUntil(() => (comb.received.length >= n ? true : undefined));
    const unparsable = raw.received.filter((m) => {
      try {
        JSON.parse(m.text);
        return false;
      } catch {
        return true;
      }
    });
    expect(unparsable.length).toBeGreaterThanOrEqual(3); // not JSON, truncated, binary, empty
    expect(raw.received.some((m) => m.binary)).toBe(true);
    expect(
      comb.received.some((m) => m.text.startsWith('{"stream":"ethusdt@aggTrade","data":{')),
    ).toBe(true);
    expect(comb.received.some((m) => m.text.includes('ETHUSDT'))).toBe(true);
    // Still connected and still served.
    server.publish('btcusdt@aggTrade', '{"e":"aggTrade","s":"BTCUSDT"}');
    expect(await raw.next((t) => t === '{"e":"aggTrade","s":"BTCUSDT"}')).toBeDefined();
    expect(server.stats().malformedSent).toBe(2 * n);
  });

  it('counts connections, messages sent and control messages received', async () => {
    server = await startFeedServer();
    const a = await open('/market/ws');
    const b = await open('/market/ws/btcusdt@aggTrade');
    await a.request({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade'], id: 1 });
    await a.request({ method: 'LIST_SUBSCRIPTIONS', id: 2 });
    await a.request('garbage');
    for (let i = 0; i < 5; i++) server.publish('btcusdt@aggTrade', { e: 'aggTrade', i });
    server.publish('ethusdt@aggTrade', { e: 'aggTrade' });
    await b.waitUntil(() => (b.received.length >= 5 ? true : undefined));
    await a.waitUntil(() =>
      a.received.filter((m) => !isControlReply(m.text)).length >= 5 ? true : undefined,
    );
    const s = server.stats();
    expect(s.connections).toBe(2);
    expect(s.totalConnections).toBe(2);
    expect(s.controlMessagesReceived).toBe(3);
    expect(s.controlRepliesSent).toBe(3);
    expect(s.controlErrors).toBe(1);
    expect(s.messagesSent).toBe(10);
    expect(s.published).toEqual({ 'btcusdt@aggTrade': 5, 'ethusdt@aggTrade': 1 });
    expect(s.delivered).toEqual({ 'btcusdt@aggTrade': 10 });
    b.close();
    await eventually(() => expect(server?.stats().connections).toBe(1));
    expect(server.stats().disconnects.client).toBe(1);
  });
});
