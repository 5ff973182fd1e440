/**
 * Issue #10, the feed server's replay of trade files other than captures: the real capture's
 * trades written as data.binance.vision CSV (a zip with a BTCUSDT and an ETHUSDT member, gzip and
 * plain trades files) are sent as the exchange's payloads — which the NDJSON decoder turns back
 * into the capture's ticks — merged by trade time across inputs; pause, resume and speed changes
 * on a paced replay; files that cannot be replayed are refused with the reason.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../src/core/binance/decode';
import { AGG_TRADES_HEADER } from '../../../src/core/formats/aggTrades';
import { TRADES_HEADER } from '../../../src/core/formats/trades';
import type { Tick } from '../../../src/core/market/types';
import { planReplay, startFeedServer, type FeedServer } from '../../../src/main/feedserver';
import { aggTradeLine, loadCapture, tradeLine } from '../../../scripts/make-format-fixtures';
import { REPO_ROOT } from '../../support/realData';
import { sleep, TestClient } from './helpers';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT'] as const;
const FUTURES = { spot: false, us: false };

function csvOf(header: string, lines: string[]): string {
  return `${[header, ...lines].join('\n')}\n`;
}

/** The capture's ticks of both symbols merged by trade time, ties in input order (BTC first). */
function mergedByTime(ticks: readonly Tick[]): Tick[] {
  const lanes = SYMBOLS.map((s) => ticks.filter((t) => t.symbol === s));
  const out: Tick[] = [];
  const at = [0, 0];
  for (;;) {
    let best = -1;
    for (let i = 0; i < lanes.length; i++) {
      const t = lanes[i][at[i]];
      if (t !== undefined && (best < 0 || t.timeMs < lanes[best][at[best]].timeMs)) best = i;
    }
    if (best < 0) return out;
    out.push(lanes[best][at[best]++]);
  }
}

/** The fields a Binance CSV carries. */
function core(t: Tick): unknown[] {
  return [t.symbol, t.tradeId, t.timeMs, t.priceText, t.qtyText, t.isBuyerMaker];
}

describe('replay of trade CSV files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-replay-formats-'));
  const { ticks } = loadCapture();
  const of = (s: string): Tick[] => ticks.filter((t) => t.symbol === s);
  const files = {
    /** One zip, two members. */
    zip: join(dir, 'aggTrades-2024-07-18.zip'),
    btcTradesGz: join(dir, 'BTCUSDT-trades-2024-07-18.csv.gz'),
    ethTradesPlain: join(dir, 'ETHUSDT-trades-2024-07-18.csv'),
    unnamed: join(dir, 'trades.csv'),
    truncated: join(dir, 'ETHUSDT-trades-2024-07-19.csv.gz'),
    truncatedZip: join(dir, 'ETHUSDT-aggTrades-2024-07-19.zip'),
  };
  let server: FeedServer | undefined;
  let client: TestClient | undefined;

  beforeAll(() => {
    const members: Record<string, Uint8Array> = {};
    for (const s of SYMBOLS) {
      members[`${s}-aggTrades-2024-07-18.csv`] = strToU8(
        csvOf(
          AGG_TRADES_HEADER,
          of(s).map((t) => aggTradeLine(t, FUTURES)),
        ),
      );
    }
    writeFileSync(files.zip, zipSync(members));
    const trades = (s: string): string =>
      csvOf(
        TRADES_HEADER,
        of(s).map((t) => tradeLine(t, FUTURES)),
      );
    writeFileSync(files.btcTradesGz, gzipSync(trades('BTCUSDT')));
    writeFileSync(files.ethTradesPlain, trades('ETHUSDT'));
    writeFileSync(files.unnamed, trades('BTCUSDT'));
    const gz = gzipSync(trades('ETHUSDT'));
    writeFileSync(files.truncated, gz.subarray(0, Math.floor(gz.length / 2)));
    const zip = zipSync({
      'ETHUSDT-aggTrades-2024-07-19.csv': strToU8(
        csvOf(
          AGG_TRADES_HEADER,
          of('ETHUSDT').map((t) => aggTradeLine(t, FUTURES)),
        ),
      ),
    });
    writeFileSync(files.truncatedZip, zip.subarray(0, Math.floor(zip.length / 2)));
  });

  afterAll(async () => {
    client?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a zip of two aggTrades members: exchange payloads, merged by trade time', async () => {
    const plan = await planReplay([{ path: files.zip }]);
    expect(plan.symbols).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(plan.tradeStream).toBe('aggTrade');
    expect(plan.inputs.map((i) => i.name)).toEqual([
      'aggTrades-2024-07-18.zip:BTCUSDT-aggTrades-2024-07-18.csv',
      'aggTrades-2024-07-18.zip:ETHUSDT-aggTrades-2024-07-18.csv',
    ]);
    server = await startFeedServer({
      source: { kind: 'replay', file: files.zip, inputs: plan.inputs, speed: Infinity },
    });
    client = await TestClient.open(
      `${server.url}/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade`,
    );
    const report = await server.replayDone();
    expect(report.error).toBeNull();
    expect(report.skippedLines).toBe(0);
    const want = mergedByTime(ticks);
    const c = client;
    await c.waitUntil(() => (c.received.length >= want.length ? true : undefined), 10_000);
    const got: Tick[] = [];
    for (const m of c.received) {
      const msg = decodeMessage(m.text);
      if (msg.kind !== 'trade') throw new Error(`not a trade: ${m.text}`);
      // The files have no event time: E = T.
      expect(msg.tick.eventTimeMs).toBe(msg.tick.timeMs);
      expect(msg.tick.stream).toBe('aggTrade');
      got.push(msg.tick);
    }
    expect(got.map(core)).toEqual(want.map(core));
    for (let i = 1; i < got.length; i++) {
      if (got[i].timeMs < got[i - 1].timeMs) throw new Error(`time goes back at message ${i}`);
    }
    // The two symbols interleave (they are merged, not played one file after the other).
    const switches = got.filter((t, i) => i > 0 && t.symbol !== got[i - 1].symbol).length;
    expect(switches).toBeGreaterThan(1_000);
    client.close();
    await server.close();
  }, 60_000);

  it('trades CSV, one gzip and one plain file, as trade payloads', async () => {
    const plan = await planReplay([{ path: files.btcTradesGz }, { path: files.ethTradesPlain }]);
    expect(plan.tradeStream).toBe('trade');
    expect(plan.inputs.map((i) => i.container)).toEqual(['gzip', 'plain']);
    server = await startFeedServer({
      source: { kind: 'replay', file: files.btcTradesGz, inputs: plan.inputs, speed: 0 },
    });
    client = await TestClient.open(
      `${server.url}/public/stream?streams=btcusdt@trade/ethusdt@trade`,
    );
    const report = await server.replayDone();
    expect(report.error).toBeNull();
    expect(report.perStream).toEqual({
      'btcusdt@trade': of('BTCUSDT').length,
      'ethusdt@trade': of('ETHUSDT').length,
    });
    const c = client;
    await c.waitUntil(() => (c.received.length >= ticks.length ? true : undefined), 10_000);
    const decoded = c.received.map((m) => decodeMessage(m.text));
    expect(decoded.every((d) => d.kind === 'trade' && d.tick.tradeType === 'MARKET')).toBe(true);
    client.close();
    await server.close();
  }, 60_000);

  it('pause holds, resume goes on, a speed change re-paces at once without a burst', async () => {
    const plan = await planReplay([{ path: files.zip }]);
    server = await startFeedServer({
      source: { kind: 'replay', file: files.zip, inputs: plan.inputs, speed: 20 },
    });
    const replay = server.replay;
    if (!replay) throw new Error('no replay source');
    client = await TestClient.open(
      `${server.url}/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade`,
    );
    /** Data ms played per wall ms over `ms`. */
    const rate = async (ms: number): Promise<number> => {
      const t0 = performance.now();
      const d0 = replay.progress().dataTimeMs ?? 0;
      await sleep(ms);
      return ((replay.progress().dataTimeMs ?? 0) - d0) / (performance.now() - t0);
    };
    await sleep(300);
    const at20 = await rate(1_000);
    expect(at20).toBeGreaterThan(20 * 0.6);
    expect(at20).toBeLessThan(20 * 1.4);

    replay.pause();
    await sleep(100);
    const held = { sent: replay.progress().messages, got: client.received.length };
    await sleep(1_000);
    expect(replay.progress()).toMatchObject({ messages: held.sent, paused: true });
    expect(client.received.length).toBe(held.got);

    replay.resume();
    const resumed = await rate(500);
    expect(resumed).toBeGreaterThan(20 * 0.5);
    expect(resumed).toBeLessThan(20 * 1.5);

    const before = replay.progress().dataTimeMs ?? 0;
    replay.setSpeed(100);
    // At once: ×100 from the data time reached, no catching up of a schedule.
    const first = await rate(200);
    expect(first).toBeLessThan(100 * 1.5);
    const at100 = await rate(1_000);
    expect(at100).toBeGreaterThan(100 * 0.6);
    expect(at100).toBeLessThan(100 * 1.4);
    expect(replay.progress().dataTimeMs ?? 0).toBeGreaterThan(before);
    expect(replay.progress().speed).toBe(100);
    const p = replay.progress();
    expect(p.bytesDone).toBeGreaterThan(0);
    expect(p.bytesDone).toBeLessThan(p.bytesTotal);
    console.log(
      `replay pace: ×20 → ${at20.toFixed(1)}, resumed ${resumed.toFixed(1)}; ×100 → first 200 ms ${first.toFixed(1)}, then ${at100.toFixed(1)} data-ms per ms`,
    );
    client.close();
    await server.close();
    const report = await server.replayDone();
    expect(report.aborted).toBe(true);
  }, 60_000);

  it('a truncated gzip plays the lines before the cut and says where it broke', async () => {
    const plan = await planReplay([{ path: files.truncated }]);
    server = await startFeedServer({
      source: { kind: 'replay', file: files.truncated, inputs: plan.inputs, speed: 0 },
    });
    client = await TestClient.open(`${server.url}/public/ws/ethusdt@trade`);
    const report = await server.replayDone();
    expect(report.messages).toBeGreaterThan(1_000);
    expect(report.messages).toBeLessThan(of('ETHUSDT').length);
    expect(report.error).toMatch(/^ETHUSDT-trades-2024-07-19\.csv\.gz: /);
    client.close();
    await server.close();
  }, 30_000);

  it('a truncated zip plays the lines before the cut and says where it broke', async () => {
    const plan = await planReplay([{ path: files.truncatedZip }]);
    expect(plan.inputs.map((i) => i.member)).toEqual(['ETHUSDT-aggTrades-2024-07-19.csv']);
    server = await startFeedServer({
      source: { kind: 'replay', file: files.truncatedZip, inputs: plan.inputs, speed: 0 },
    });
    client = await TestClient.open(`${server.url}/market/ws/ethusdt@aggTrade`);
    const report = await server.replayDone();
    expect(report.messages).toBeGreaterThan(1_000);
    expect(report.messages).toBeLessThan(of('ETHUSDT').length);
    expect(report.error).toMatch(
      /^ETHUSDT-aggTrades-2024-07-19\.zip:ETHUSDT-aggTrades-2024-07-19\.csv: the zip is truncated or damaged after [0-9,]+ bytes/,
    );
    client.close();
    await server.close();
  }, 30_000);

  it('refuses what it cannot play, saying why', async () => {
    const klines = join(REPO_ROOT, 'tests/fixtures/formats/BTCUSDT-1m-2024-07-18.csv');
    await expect(planReplay([{ path: klines }])).rejects.toThrow(
      /BTCUSDT-1m-2024-07-18\.csv holds klines \(bars\), not trades: import it instead/,
    );
    await expect(planReplay([{ path: files.unnamed }])).rejects.toThrow(
      /trades\.csv: trades CSV whose name does not say the symbol/,
    );
    const named = await planReplay([{ path: files.unnamed, symbol: 'btcusdt' }]);
    expect(named.symbols).toEqual(['BTCUSDT']);
    await expect(planReplay([{ path: files.zip }, { path: files.btcTradesGz }])).rejects.toThrow(
      /mix aggTrade and trade data/,
    );
    expect(readFileSync(files.unnamed, 'utf8').startsWith(TRADES_HEADER)).toBe(true);
  });
});
