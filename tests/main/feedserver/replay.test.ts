import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { startFeedServer } from '../../../src/main/feedserver';
import { sleep, TestClient } from './helpers';
import { REAL_DATA_DIR } from '../../support/realData';

const DATA = REAL_DATA_DIR;
const JULY = join(DATA, 'um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz');
const AUGUST = join(DATA, 'um-btcusdt-ethusdt-2024-08-08T2354Z.ndjson.gz');

interface FileLine {
  stream: string;
  /** The `data` member's text, sliced straight out of the line. */
  raw: string;
  E: number;
}

/** Independent reading of a capture: every line is `{"stream":"…","data":{…}}`. */
function readCapture(file: string): FileLine[] {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const parsed = JSON.parse(line) as { stream: string; data: { E: number } };
      const raw = line.slice(line.indexOf('"data":') + 7, line.lastIndexOf('}'));
      return { stream: parsed.stream, raw, E: parsed.data.E };
    });
}

function countBy(lines: FileLine[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) out[l.stream] = (out[l.stream] ?? 0) + 1;
  return out;
}

const tmp = mkdtempSync(join(tmpdir(), 'pairdesk-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('capture replay', () => {
  it('sends every message of the real capture unmodified, in file order, per stream', async () => {
    const lines = readCapture(JULY);
    const counts = countBy(lines);
    expect(counts['btcusdt@trade']).toBe(10_701);
    expect(counts['ethusdt@trade']).toBe(13_655);

    const server = await startFeedServer({
      source: { kind: 'replay', file: JULY, speed: Infinity, startOnFirstSubscriber: false },
    });
    // startOnFirstSubscriber: false starts at listen; hold it with a manual start instead.
    const all = await TestClient.open(
      `${server.url}/public/stream?streams=btcusdt@trade/ethusdt@trade/btcusdt@bookTicker/ethusdt@bookTicker`,
    );
    const market = await TestClient.open(
      `${server.url}/market/ws/btcusdt@aggTrade/ethusdt@aggTrade/btcusdt@trade`,
    );
    try {
      const report = await server.replayDone();
      expect(report.error).toBeNull();
      expect(report.aborted).toBe(false);
      expect(report.messages).toBe(lines.length);
      expect(report.perStream).toEqual(counts);
      await all.waitUntil(() => (all.received.length >= lines.length ? true : undefined), 10_000);
      await sleep(50);
      expect(all.received.length).toBe(lines.length);
      // Exact bytes, exact order.
      const expected = lines.map((l) => `{"stream":"${l.stream}","data":${l.raw}}`);
      const got = all.received.map((m) => m.text);
      expect(got.length).toBe(expected.length);
      let mismatches = 0;
      for (let i = 0; i < got.length; i++) if (got[i] !== expected[i]) mismatches++;
      expect(mismatches).toBe(0);

      // The /market client: raw btcusdt@trade payloads only; aggTrade is not in this capture.
      await market.waitUntil(
        () => (market.received.length >= counts['btcusdt@trade'] ? true : undefined),
        5_000,
      );
      expect(market.received.map((m) => m.text)).toEqual(
        lines.filter((l) => l.stream === 'btcusdt@trade').map((l) => l.raw),
      );
      expect(report.deliveredPerStream['btcusdt@trade']).toBe(2 * counts['btcusdt@trade']);
      expect(report.deliveredPerStream['btcusdt@aggTrade']).toBeUndefined();
      // Trade ids contiguous per symbol: nothing lost, nothing reordered.
      for (const sym of ['BTCUSDT', 'ETHUSDT']) {
        const ids = got
          .filter((t) => t.includes(`"e":"trade"`) && t.includes(`"s":"${sym}"`))
          .map((t) => (JSON.parse(t) as { data: { t: number } }).data.t);
        for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[i - 1] + 1);
      }
    } finally {
      all.close();
      market.close();
      await server.close();
    }
  });

  it('paces by event time × speed (the 08-08 capture at ×100 ≈ 3.4 s)', async () => {
    const speed = 100;
    const server = await startFeedServer({ source: { kind: 'replay', file: AUGUST, speed } });
    const c = await TestClient.open(`${server.url}/market/ws/btcusdt@trade/ethusdt@trade`);
    try {
      const report = await server.replayDone();
      const lines = readCapture(AUGUST); // after the replay: its garbage would disturb the pacing
      const trades = lines.filter((l) => l.stream.endsWith('@trade'));
      await c.waitUntil(() => (c.received.length >= trades.length ? true : undefined), 5_000);
      expect(c.received.map((m) => m.text)).toEqual(trades.map((l) => l.raw));

      const firstE = lines[0].E;
      const dataSpan = lines.reduce((m, l) => Math.max(m, l.E), -Infinity) - firstE;
      expect(report.wallMs).toBeGreaterThan((dataSpan / speed) * 0.97);
      expect(report.wallMs).toBeLessThan((dataSpan / speed) * 1.1 + 200);

      // Each message's arrival vs its schedule (running max of E, relative to the first line).
      let maxE = -Infinity;
      const due = new Map<string, number>();
      for (const l of lines) {
        maxE = Math.max(maxE, l.E);
        if (l.stream.endsWith('@trade')) due.set(l.raw, (maxE - firstE) / speed);
      }
      const t0 = c.received[0].atMs - (due.get(c.received[0].text) ?? 0);
      const errors = c.received
        .map((m) => m.atMs - t0 - (due.get(m.text) ?? NaN))
        .sort((a, b) => a - b);
      expect(errors.every((e) => Number.isFinite(e))).toBe(true);
      // Never ahead of schedule; on time typically. Bursts in the data (thousands of messages in
      // a second, ×100) can briefly exceed what one process sends and receives, hence the tail.
      expect(errors[0]).toBeGreaterThan(-50);
      expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(50);
      expect(errors[Math.floor(errors.length * 0.99)]).toBeLessThan(1_000);
      expect(report.maxLatenessMs).toBeLessThan(1_000);
      // Time order: trade times per symbol never go backwards.
      const lastT = new Map<string, number>();
      for (const m of c.received) {
        const p = JSON.parse(m.text) as { s: string; T: number };
        expect(p.T).toBeGreaterThanOrEqual(lastT.get(p.s) ?? 0);
        lastT.set(p.s, p.T);
      }
    } finally {
      c.close();
      await server.close();
    }
  });

  it('replays plain NDJSON of bare payloads, waits for the first subscriber, skips junk', async () => {
    const file = join(tmp, 'raw.ndjson');
    const payloads = [
      '{"e":"aggTrade","E":1000,"s":"BTCUSDT","a":1,"p":"1.00","q":"1.000","nq":"1.000","f":1,"l":1,"T":1000,"m":true}',
      '{"u":7,"s":"BTCUSDT","b":"1.00","B":"1.0","a":"1.10","A":"2.0"}',
      'not json',
      '',
      '{"e":"aggTrade","E":1010,"s":"BTCUSDT","a":2,"p":"1.10","q":"2.000","nq":"2.000","f":2,"l":3,"T":1009,"m":false}',
      '{"e":"trade","E":1020,"T":1020,"s":"ETHUSDT","t":9,"p":"2.00","q":"0.001","X":"MARKET","m":true}',
    ];
    writeFileSync(file, payloads.join('\n') + '\n');
    const server = await startFeedServer({ source: { kind: 'replay', file, speed: 1 } });
    try {
      await sleep(100);
      expect(server.stats().sourceStarted).toBe(false);
      const c = await TestClient.open(`${server.url}/market/stream?streams=btcusdt@aggTrade`);
      const p = await TestClient.open(`${server.url}/public/ws/btcusdt@bookTicker`);
      const report = await server.replayDone();
      expect(report.skippedLines).toBe(1);
      expect(report.perStream).toEqual({
        'btcusdt@aggTrade': 2,
        'btcusdt@bookTicker': 1,
        'ethusdt@trade': 1,
      });
      expect(report.wallMs).toBeGreaterThanOrEqual(15); // 20 ms of data at ×1
      await c.waitUntil(() => (c.received.length >= 2 ? true : undefined));
      expect(c.received.map((m) => m.text)).toEqual([
        `{"stream":"btcusdt@aggTrade","data":${payloads[0]}}`,
        `{"stream":"btcusdt@aggTrade","data":${payloads[4]}}`,
      ]);
      c.close();
      p.close();
    } finally {
      await server.close();
    }
  });

  it('refuses a missing capture file up front', async () => {
    await expect(
      startFeedServer({ source: { kind: 'replay', file: join(tmp, 'nope.ndjson') } }),
    ).rejects.toThrow(/not found/);
  });
});
