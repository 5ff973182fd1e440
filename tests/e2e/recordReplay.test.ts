/**
 * End to end, through the real CLI in child processes: the local feed replays a real Binance
 * USD-M capture at 20× with the `trade` stream, `pairdesk record` ingests it into SQLite until
 * SIGINT, and `pairdesk export` reads it back. The database must hold every MARKET trade of the
 * file (contiguous ids per symbol, same counts) and every 1s bar must equal a recomputation
 * from the file itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barCsvCells } from '../../src/core/formats/exportHeaders';
import type { Bar, Tick } from '../../src/core/market/types';
import { startFeedServer, type FeedServer } from '../../src/main/feedserver';
import { directBars } from '../core/bars/exactReference';
import { cliArgs } from '../support/cli';
import { REPO_ROOT, UM_2024_07_18 } from '../support/realData';

interface FileTrade {
  symbol: string;
  id: number;
  timeMs: number;
  price: string;
  qty: string;
  buyerMaker: boolean;
  market: boolean;
}

/** The capture read independently of the production decoder: plain JSON.parse per line. */
function tradesOfCapture(file: string): FileTrade[] {
  const out: FileTrade[] = [];
  for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
    if (!line) continue;
    const { data } = JSON.parse(line) as { data: Record<string, unknown> };
    if (data.e !== 'trade') continue;
    out.push({
      symbol: String(data.s),
      id: Number(data.t),
      timeMs: Number(data.T),
      price: String(data.p),
      qty: String(data.q),
      buyerMaker: data.m === true,
      market: data.X === 'MARKET',
    });
  }
  return out;
}

function runCli(args: string[]): {
  exited: Promise<{ code: number | null; out: string }>;
  kill: (s: NodeJS.Signals) => void;
} {
  const child = spawn(process.execPath, cliArgs(args), {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out })),
  );
  return { exited, kill: (s) => child.kill(s) };
}

function readCsv(file: string): string[][] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

describe('record a replayed real capture end to end', () => {
  let dir: string;
  let server: FeedServer;
  let recordOutput = '';
  const db = (): string => join(dir, 'e2e.db');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pairdesk-e2e-'));
    server = await startFeedServer({
      port: 0,
      source: { kind: 'replay', file: UM_2024_07_18, speed: 20, startOnFirstSubscriber: true },
    });
    const record = runCli([
      'record',
      '--symbols',
      'btcusdt,ethusdt',
      '--db',
      db(),
      '--url',
      server.url,
      '--stream',
      'trade',
      '--kind',
      'replay',
      '--label',
      'e2e 20x',
    ]);
    const report = await server.replayDone();
    expect(report.error ?? null).toBeNull();
    // Let the last frames cross the socket, then stop the recorder the way a user would.
    await new Promise((r) => setTimeout(r, 1_000));
    record.kill('SIGINT');
    const { code, out } = await record.exited;
    recordOutput = out;
    expect(code, out).toBe(0);
    await server.close();
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stopped cleanly on SIGINT and reported no rejects', () => {
    expect(recordOutput).toMatch(/stopped \(SIGINT\)/);
    expect(recordOutput).toMatch(/rejects 0/);
  });

  it('stored every MARKET trade of the file, ids contiguous per symbol', async () => {
    const out = join(dir, 'ticks.csv');
    const { code, out: log } = await runCli(['export', '--db', db(), '--ticks', '--out', out])
      .exited;
    expect(code, log).toBe(0);
    const rows = readCsv(out);
    expect(rows[0]).toEqual(['symbol', 'trade_id', 'time_ms', 'price', 'qty', 'is_buyer_maker']);
    const fileTrades = tradesOfCapture(UM_2024_07_18).filter((t) => t.market);
    const bySymbol = new Map<string, FileTrade[]>();
    for (const t of fileTrades) bySymbol.set(t.symbol, [...(bySymbol.get(t.symbol) ?? []), t]);
    const stored = new Map<string, Map<number, string[]>>();
    for (const r of rows.slice(1)) {
      const m = stored.get(r[0]) ?? new Map<number, string[]>();
      m.set(Number(r[1]), r);
      stored.set(r[0], m);
    }
    expect([...stored.keys()].sort()).toEqual([...bySymbol.keys()].sort());
    for (const [symbol, trades] of bySymbol) {
      const ids = [...(stored.get(symbol)?.keys() ?? [])].sort((a, b) => a - b);
      expect(ids.length, symbol).toBe(trades.length);
      expect(ids[ids.length - 1] - ids[0] + 1, `${symbol} ids contiguous`).toBe(ids.length);
      for (const t of trades) {
        const r = stored.get(symbol)?.get(t.id);
        expect(r, `${symbol} ${t.id}`).toEqual([
          symbol,
          String(t.id),
          String(t.timeMs),
          t.price,
          t.qty,
          String(t.buyerMaker),
        ]);
      }
    }
    // Counts stated in the data README.
    expect(bySymbol.get('BTCUSDT')?.length).toBe(10_701);
    expect(bySymbol.get('ETHUSDT')?.length).toBe(13_655);
  });

  it('stored 1s bars equal to a recomputation from the file', async () => {
    const out = join(dir, 'bars-1s.csv');
    const { code, out: log } = await runCli(['export', '--db', db(), '--bars', '1s', '--out', out])
      .exited;
    expect(code, log).toBe(0);
    const rows = readCsv(out);
    expect(rows[0]).toEqual([
      'symbol',
      'start_ms',
      'open',
      'high',
      'low',
      'close',
      'volume',
      'quote_volume',
      'trades',
      'taker_buy_volume',
      'vwap',
    ]);
    const ticks: Tick[] = tradesOfCapture(UM_2024_07_18)
      .filter((t) => t.market)
      .map((t) => ({
        symbol: t.symbol,
        tradeId: t.id,
        timeMs: t.timeMs,
        eventTimeMs: t.timeMs,
        price: Number(t.price),
        qty: Number(t.qty),
        priceText: t.price,
        qtyText: t.qty,
        isBuyerMaker: t.buyerMaker,
        stream: 'trade',
        tradeType: 'MARKET',
      }));
    const expected = [...directBars(ticks, [1_000]).values()].sort(
      (a: Bar, b: Bar) => a.symbol.localeCompare(b.symbol) || a.startMs - b.startMs,
    );
    const actual = rows.slice(1).map((r) => r.map((c, i) => (i === 0 ? c : Number(c))));
    expect(actual.length).toBe(expected.length);
    expect(actual).toEqual(expected.map(barCsvCells));
  });
});
