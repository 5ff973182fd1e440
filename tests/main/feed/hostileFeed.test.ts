/**
 * Issue #13 finding 2 / #8 §6: a hostile feed server must not be able to exhaust the recorder's
 * memory. A local server on 127.0.0.1 sends, at full speed, 50 MB frames, a flood of 900 KB junk
 * frames (just under the 1 MiB cap: 900 K-digit prices, 900 K-letter symbols, 900 K-char stream
 * names, each different) and, between them, valid aggTrades. The real Recorder runs in a child
 * process whose peak RSS is bounded; valid trades are still stored, junk is rejected and counted
 * with short messages, and 50 MB frames end the connection with 1009 ("frame too large") and a
 * reconnect with backoff.
 *
 * Measured on the code before the fix (same scenario, 4 s): peak RSS 2.3–2.9 GB. After: see the
 * report (about 200 MB). Ceiling asserted: 400 MB.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostileChildReport } from './helpers/hostileRecorderChild';

const RSS_CEILING_MB = 400;
const RUN_MS = 5_000;
const JUNK_CHARS = 900 * 1024;
const HUGE_BYTES = 50 * 1000 * 1000;
/** Keep at most this much queued per socket on the server side (its memory is not measured). */
const SERVER_QUEUE_BYTES = 4 * 1024 * 1024;

const CHILD = join(__dirname, 'helpers', 'hostileRecorderChild.ts');

interface Hostile {
  url: string;
  validSent: () => number;
  hugeSent: () => number;
  junkSent: () => number;
  close: () => Promise<void>;
}

function aggTrade(id: number, price: string, symbol = 'BTCUSDT', stream = 'btcusdt@aggTrade') {
  const now = Date.now();
  return (
    `{"stream":"${stream}","data":{"e":"aggTrade","E":${now},"a":${id},"s":"${symbol}",` +
    `"p":"${price}","q":"0.010","nq":"0.010","f":${id},"l":${id},"T":${now},"m":false}}`
  );
}

/** Three kinds of 900 KB junk, built once; `n` is stamped in so each frame differs. */
const JUNK_TEMPLATES = [
  aggTrade(0, `9##########${'9'.repeat(JUNK_CHARS)}`),
  aggTrade(0, '100.5', `X##########${'Q'.repeat(JUNK_CHARS)}`),
  aggTrade(0, '-1', 'BTCUSDT', `s##########${'z'.repeat(JUNK_CHARS)}`),
].map((text) => ({ bytes: Buffer.from(text), at: text.indexOf('##########') }));

function junkFrame(n: number): Buffer {
  const template = JUNK_TEMPLATES[n % 3];
  const frame = Buffer.from(template.bytes); // a copy: ws may still hold earlier frames
  frame.write(String(n).padStart(10, '0'), template.at, 'latin1');
  return frame;
}

async function startHostile(): Promise<Hostile> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const huge = Buffer.from(aggTrade(1, `7${'7'.repeat(HUGE_BYTES)}`));
  let nextId = 1_000;
  let valid = 0;
  let hugeCount = 0;
  let junk = 0;
  const timers = new Set<NodeJS.Timeout>();
  wss.on('connection', (ws: WebSocket) => {
    let lastValid = 0;
    let lastHuge = Date.now();
    const pump = (): void => {
      if (ws.readyState !== ws.OPEN) return;
      const now = Date.now();
      if (now - lastValid >= 5) {
        lastValid = now;
        ws.send(aggTrade(nextId++, '65000.10'));
        valid++;
      }
      if (now - lastHuge >= 700) {
        lastHuge = now;
        ws.send(huge, { binary: false });
        hugeCount++;
      }
      // Full speed, but never more than a few MB queued here.
      while (ws.bufferedAmount < SERVER_QUEUE_BYTES) {
        ws.send(junkFrame(junk++), { binary: false });
      }
      const t = setTimeout(() => {
        timers.delete(t);
        pump();
      }, 1);
      timers.add(t);
    };
    ws.on('error', () => undefined);
    pump();
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    validSent: () => valid,
    hugeSent: () => hugeCount,
    junkSent: () => junk,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
    },
  };
}

function runChild(url: string, db: string, ms: number): Promise<HostileChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, db, String(ms)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), ms + 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(kill);
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`child exited ${code ?? signal}: ${err.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line) as HostileChildReport);
    });
  });
}

describe('feed client under a hostile server', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it(`stays under ${RSS_CEILING_MB} MB RSS, stores valid trades, counts the junk, reconnects on 1009`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pairdesk-hostile-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const server = await startHostile();
    cleanup.push(() => server.close());

    const report = await runChild(server.url, join(dir, 'hostile.db'), RUN_MS);
    console.log(
      `[hostile feed] peak RSS ${report.peakRssMb} MB (sampled ${report.sampledMaxRssMb} MB); ` +
        `sent ${server.validSent()} valid, ${server.junkSent()} junk 900 KB, ` +
        `${server.hugeSent()} × 50 MB; stored ${report.ticksStored}; rejects ` +
        `${JSON.stringify(report.rejects)}; reconnects ${report.reconnects}; reasons ` +
        `${JSON.stringify(report.backoffReasons)}`,
    );

    expect(report.peakRssMb).toBeLessThan(RSS_CEILING_MB);
    // Valid trades keep flowing between the junk (some are lost with each 1009 drop).
    expect(report.ticksStored).toBeGreaterThan(100);
    expect(report.rejectsTotal).toBeGreaterThan(100);
    expect(report.rejects.bad_price).toBeGreaterThan(0);
    expect(report.rejects.unknown_symbol).toBeGreaterThan(0);
    // Messages and excerpts of 900 K-char values stay short.
    expect(report.longestRejectMessage).toBeLessThan(300);
    expect(report.longestRejectExcerpt).toBeLessThan(300);
    // 50 MB frames: closed with 1009, counted, reconnected with backoff.
    expect(report.reconnects).toBeGreaterThan(0);
    expect(report.backoffReasons.some((r) => /1009.*frame too large/.test(r))).toBe(true);
    expect(report.route.framesTooLarge).toBeGreaterThan(0);
    // Junk stream names leave no trace in the per-stream bookkeeping.
    expect(report.trackedStreams).toBeLessThanOrEqual(1);
  }, 60_000);
});
