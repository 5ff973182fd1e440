/**
 * Issue #13 finding 4: one endless line must not crash or exhaust replay. Lines are capped at
 * 1 MiB (skipped and counted, never held whole), a gzip bomb's endless line is dropped as it
 * inflates, and the capture sniff gives up after 16 MiB without trades. The endless inputs are
 * generated streams, never allocated.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { sniffStream } from '../../../src/main/app/sourceSession';
import { startFeedServer } from '../../../src/main/feedserver';
import {
  boundedLines,
  MAX_CAPTURE_LINE_BYTES,
  newLineCounters,
} from '../../../src/main/feedserver/sources/lines';
import { TestClient } from './helpers';

const tmp = mkdtempSync(join(tmpdir(), 'pairdesk-replay-limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CHUNK = Buffer.alloc(64 * 1024); // zeros, like /dev/zero

/** An endless stream of zero bytes (no newline ever), counting what was pulled. */
function endlessZeros(pulled: { bytes: number }): Readable {
  return Readable.from(
    (function* () {
      for (;;) {
        pulled.bytes += CHUNK.length;
        yield CHUNK;
      }
    })(),
  );
}

function aggTrade(id: number, symbol = 'BTCUSDT'): string {
  const t = 1_700_000_000_000 + id * 10;
  return (
    `{"stream":"${symbol.toLowerCase()}@aggTrade","data":{"e":"aggTrade","E":${t},"s":"${symbol}",` +
    `"a":${id},"p":"100.${id % 10}0","q":"1.000","f":${id},"l":${id},"T":${t},"m":false}}`
  );
}

/** Writes `head` lines, one line of `bombBytes` 'x' bytes, then `tail` lines, gzip-compressed. */
async function writeGzipBomb(
  file: string,
  head: string[],
  bombBytes: number,
  tail: string[],
): Promise<void> {
  const block = Buffer.alloc(1 << 20, 'x');
  async function* body(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield Buffer.from(head.join('\n') + '\n');
    for (let left = bombBytes; left > 0; left -= block.length) {
      yield left >= block.length ? block : block.subarray(0, left);
    }
    yield Buffer.from('\n' + tail.join('\n') + '\n');
  }
  await pipeline(Readable.from(body()), createGzip({ level: 1 }), createWriteStream(file));
}

describe('bounded capture lines', () => {
  it('skips and counts an over-long line and keeps the lines around it, UTF-8 split or not', async () => {
    const long = 'y'.repeat(MAX_CAPTURE_LINE_BYTES + 10);
    const text = `a\n${long}\nb€c\nlast`;
    const bytes = Buffer.from(text);
    // Small chunks: lines (and the 3-byte €) straddle chunk boundaries.
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 4093) chunks.push(bytes.subarray(i, i + 4093));
    const counters = newLineCounters();
    const lines: string[] = [];
    for await (const line of boundedLines(Readable.from(chunks), counters)) lines.push(line);
    expect(lines).toEqual(['a', 'b€c', 'last']);
    expect(counters.overlong).toBe(1);
    expect(counters.peakHeldBytes).toBeLessThanOrEqual(MAX_CAPTURE_LINE_BYTES);
    expect(counters.bytes).toBe(bytes.length);
  });

  it('stops reading an endless line after the byte budget, holding at most the cap', async () => {
    const pulled = { bytes: 0 };
    const counters = newLineCounters();
    const lines: string[] = [];
    for await (const line of boundedLines(endlessZeros(pulled), counters, {
      stopAfterBytes: 8 << 20,
    }))
      lines.push(line);
    expect(lines).toEqual([]);
    expect(counters.overlong).toBe(1);
    expect(counters.bytes).toBeGreaterThanOrEqual(8 << 20);
    expect(counters.bytes).toBeLessThan(9 << 20);
    expect(counters.peakHeldBytes).toBeLessThanOrEqual(MAX_CAPTURE_LINE_BYTES);
  });

  it('the capture sniff refuses an endless /dev/zero-like stream after 16 MiB instead of crashing', async () => {
    const pulled = { bytes: 0 };
    const started = Date.now();
    await expect(sniffStream(endlessZeros(pulled), 'zero.ndjson')).rejects.toThrow(
      /zero\.ndjson: no aggTrade or trade messages in its first 16 MiB \(1 line longer than 1 MiB skipped\)/,
    );
    // Read 16 MiB and (nearly) nothing more.
    expect(pulled.bytes).toBeLessThan(17 << 20);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('drops a gzip bomb line as it inflates: bounded memory, the lines after it still replayed', async () => {
    const file = join(tmp, 'bomb.ndjson.gz');
    const head = [aggTrade(1), aggTrade(2)];
    const tail = [aggTrade(3), aggTrade(4), aggTrade(5)];
    const bombBytes = 64 << 20;
    await writeGzipBomb(file, head, bombBytes, tail);
    // The compressed file is tiny next to what it inflates to.
    expect(statSync(file).size).toBeLessThan(bombBytes / 100);

    // The line reader on the inflating stream never holds more than the cap.
    const counters = newLineCounters();
    const seen: string[] = [];
    for await (const line of boundedLines(createReadStream(file).pipe(createGunzip()), counters))
      seen.push(line);
    expect(seen).toEqual([...head, ...tail]);
    expect(counters.overlong).toBe(1);
    expect(counters.bytes).toBeGreaterThan(bombBytes);
    expect(counters.peakHeldBytes).toBeLessThanOrEqual(MAX_CAPTURE_LINE_BYTES);

    // And the replay source sends every trade line, counting the bomb as skipped.
    const server = await startFeedServer({ source: { kind: 'replay', file, speed: Infinity } });
    try {
      const c = await TestClient.open(`${server.url}/market/stream?streams=btcusdt@aggTrade`);
      const report = await server.replayDone();
      expect(report.error).toBeNull();
      expect(report.overlongLines).toBe(1);
      expect(report.skippedLines).toBe(1);
      expect(report.perStream).toEqual({ 'btcusdt@aggTrade': 5 });
      await c.waitUntil(() => (c.received.length >= 5 ? true : undefined));
      c.close();
    } finally {
      await server.close();
    }
  }, 60_000);
});
