import { describe, expect, it } from 'vitest';
import { runSimulateCommand, startFeedServer } from '../../../src/main/feedserver';
import { sleep, TestClient } from './helpers';
import { UM_2024_07_18 } from '../../support/realData';

interface Envelope {
  stream: string;
  data: Record<string, unknown> & { E: number; T: number };
}

const STREAMS = 'btcusdt@aggTrade/ethusdt@aggTrade/btcusdt@trade/ethusdt@trade';

/** First n envelopes of a fresh simulated server (market clock starts at the subscription). */
async function firstMessages(seed: number, n: number): Promise<Envelope[]> {
  const server = await startFeedServer({
    source: { kind: 'sim', seed, rate: 2_000, startOnFirstSubscriber: true },
  });
  const c = await TestClient.open(`${server.url}/market/stream?streams=${STREAMS}`);
  try {
    await c.waitUntil(() => (c.received.length >= n ? true : undefined), 5_000);
    return c.received.slice(0, n).map((m) => JSON.parse(m.text) as Envelope);
  } finally {
    c.close();
    await server.close();
  }
}

/** Strips wall-clock fields: E always, T relative to the first message's T. */
function stripClock(messages: Envelope[]): unknown[] {
  const t0 = messages[0].data.T;
  return messages.map((m) => ({ ...m, data: { ...m.data, E: 0, T: m.data.T - t0 } }));
}

describe('simulated market over the wire', () => {
  it('is deterministic for a seed (same first N payloads apart from the clock)', async () => {
    const [a, b, c] = await Promise.all([
      firstMessages(7, 300),
      firstMessages(7, 300),
      firstMessages(8, 300),
    ]);
    expect(stripClock(a)).toEqual(stripClock(b));
    expect(stripClock(a)).not.toEqual(stripClock(c));
  });

  it('streams real-shaped payloads at the configured rate with T ≤ E ≈ now', async () => {
    const rate = 1_000;
    const server = await startFeedServer({ source: { kind: 'sim', seed: 3, rate } });
    const m = await TestClient.open(`${server.url}/market/ws/btcusdt@aggTrade/ethusdt@aggTrade`);
    const p = await TestClient.open(
      `${server.url}/public/stream?streams=btcusdt@bookTicker/ethusdt@trade`,
    );
    try {
      await sleep(200);
      const from = m.received.length;
      const t0 = performance.now();
      await sleep(1_500);
      const n = m.received.length - from;
      const perSecond = n / ((performance.now() - t0) / 1000);
      expect(perSecond).toBeGreaterThan(rate * 0.8);
      expect(perSecond).toBeLessThan(rate * 1.2);

      const lastA = new Map<string, number>();
      for (const msg of m.received) {
        const d = JSON.parse(msg.text) as Record<string, unknown> & {
          E: number;
          T: number;
          a: number;
          s: string;
        };
        expect(Object.keys(d)).toEqual(['e', 'E', 's', 'a', 'p', 'q', 'nq', 'f', 'l', 'T', 'm']);
        expect(d.T).toBeLessThanOrEqual(d.E);
        expect(Math.abs(Date.now() - d.E)).toBeLessThan(5_000);
        if (lastA.has(d.s)) expect(d.a).toBe((lastA.get(d.s) ?? 0) + 1);
        lastA.set(d.s, d.a);
        if (d.s === 'BTCUSDT') expect(d.p).toMatch(/^\d{5}\.\d0$/);
        else expect(d.p).toMatch(/^\d{4}\.\d{2}$/);
      }
      const streams = new Set(p.received.map((x) => (JSON.parse(x.text) as Envelope).stream));
      expect(streams).toEqual(new Set(['btcusdt@bookTicker', 'ethusdt@trade']));
      const book = p.received
        .map((x) => JSON.parse(x.text) as Envelope)
        .find((x) => x.stream === 'btcusdt@bookTicker');
      expect(Object.keys(book?.data ?? {})).toEqual(['e', 'u', 's', 'b', 'B', 'a', 'A', 'T', 'E']);
    } finally {
      m.close();
      p.close();
      await server.close();
    }
  });

  it('runSimulateCommand starts a server and prints a one-line banner', async () => {
    const lines: string[] = [];
    const server = await runSimulateCommand(
      { port: 0, symbols: ['BTCUSDT', 'ETHUSDT'], rate: 50, seed: 1, speed: 1 },
      { print: (l) => lines.push(l) },
    );
    try {
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(server.url);
      expect(lines[0]).toMatch(/simulated BTCUSDT,ETHUSDT at 50 aggTrades\/s \(seed 1/);
      const c = await TestClient.open(`${server.url}/market/ws/btcusdt@aggTrade`);
      await c.next(() => true, 3_000);
      c.close();
    } finally {
      await server.close();
    }
  });

  it('runSimulateCommand --replay reports the end of the replay', async () => {
    const lines: string[] = [];
    const file = UM_2024_07_18;
    const server = await runSimulateCommand(
      { port: 0, symbols: [], rate: 0, seed: 0, replay: file, speed: Infinity },
      { print: (l) => lines.push(l) },
    );
    try {
      expect(lines[0]).toMatch(/replaying .*2357Z\.ndjson\.gz as fast as possible/);
      server.startSource();
      await server.replayDone();
      await sleep(20);
      expect(lines[1]).toMatch(/replay ended .* 123944 messages \(.*btcusdt@trade 10701/);
    } finally {
      await server.close();
    }
  });
});
