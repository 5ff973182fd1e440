/**
 * The analyze line stage's byte path: the reader's ASCII blocks and the classifier's byte-range
 * handler must give exactly what the plain string path gives, line for line.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Rejection, Tick } from '../../../src/core/market/types';
import { makeLineClassifier, type LineSink } from '../../../src/main/analyze/lineClassifier';
import { readLines } from '../../../src/main/analyze/lineReader';
import { CAPTURES, captureLines } from '../../core/binance/captures';
import { tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A sink that records every event as plain data (ticks copied: they may be reused). */
function recorder(): { sink: LineSink; events: unknown[] } {
  const events: unknown[] = [];
  const sink: LineSink = {
    trade: (t: Tick, i: number, lineNo: number) =>
      events.push([
        'trade',
        i,
        lineNo,
        t.symbol,
        t.tradeId,
        t.timeMs,
        t.eventTimeMs,
        t.price,
        t.qty,
        t.priceText,
        t.qtyText,
        t.isBuyerMaker,
        t.stream,
        t.tradeType,
      ]),
    rejected: (r: Rejection, lineNo: number) => events.push(['rejected', lineNo, r]),
    blank: () => events.push(['blank']),
    otherSymbol: () => events.push(['otherSymbol']),
    otherMessage: () => events.push(['otherMessage']),
  };
  return { sink, events };
}

function bytesOf(s: string): Uint8Array {
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}

describe('classifier: byte-range handler ≡ string handler', () => {
  it('on every real line, and on mutated lines', () => {
    const lines: string[] = [];
    for (const f of Object.values(CAPTURES)) lines.push(...captureLines(f).slice(0, 20_000));
    // Mutations that must be rejected or deferred exactly as on the string path.
    const base = lines.slice(0, 400);
    for (let k = 0; k < base.length; k++) {
      const l = base[k];
      const p = (k * 37) % l.length;
      lines.push(l.slice(0, p), l.slice(0, p) + l.slice(p + 1), `${l.slice(0, p)}-${l.slice(p)}`);
      lines.push(l.replace('"p":"', '"p":"-'), l.replace('"b":"', '"b":"0'), ' ', '');
    }
    lines.push('{"e":"aggTrade"', '[]', 'null', '{"result":null,"id":1}', '{"code":1,"msg":"x"}');

    const viaString = recorder();
    const viaBytes = recorder();
    const s = makeLineClassifier('BTCUSDT', 'ETHUSDT', viaString.sink);
    const b = makeLineClassifier('BTCUSDT', 'ETHUSDT', viaBytes.sink);
    // All lines in one buffer, as the reader hands them over.
    const text = lines.join('\n');
    const bytes = bytesOf(text);
    let pos = 0;
    lines.forEach((l, k) => {
      s.line(l, k + 1);
      b.asciiLine(bytes, text, pos, pos + l.length, k + 1);
      pos += l.length + 1;
    });
    expect(viaBytes.events.length).toBe(lines.length);
    expect(viaBytes.events).toStrictEqual(viaString.events);
    const kinds = new Set(viaBytes.events.map((e) => (e as unknown[])[0]));
    for (const k of ['blank', 'otherMessage', 'rejected', 'trade']) expect(kinds).toContain(k);
  });
});

describe('reader: blocks of whole lines', () => {
  /** Lines as the reader delivers them, through whichever handler it picks. */
  async function readAll(
    path: string,
  ): Promise<{ lines: string[]; numbers: number[]; ascii: number }> {
    const lines: string[] = [];
    const numbers: number[] = [];
    let ascii = 0;
    const r = await readLines(path, {
      line: (t, n) => {
        lines.push(t);
        numbers.push(n);
      },
      asciiLine: (_b, text, s, e, n) => {
        ascii++;
        lines.push(text.slice(s, e));
        numbers.push(n);
      },
    });
    expect(r.lines).toBe(lines.length);
    return { lines, numbers, ascii };
  }

  it('delivers every line once, in order, across block and chunk boundaries', async () => {
    // Lengths that straddle the 64 KiB block and 1 MiB chunk boundaries in many ways, a line
    // longer than a block, blank lines, CRLF, and one non-ASCII line (UTF-8 path for its block).
    const want: string[] = [];
    let seed = 1;
    const rand = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let k = 0; want.join('\n').length < 3_300_000; k++) {
      const r = rand();
      const len = r < 0.01 ? 70_000 + Math.floor(rand() * 200_000) : Math.floor(rand() * 400);
      let line = String.fromCharCode(97 + (k % 26)).repeat(len);
      if (r > 0.98) line = '';
      if (k === 5000) line = 'héllo wörld';
      want.push(line);
    }
    const raw = want.map((l, k) => (k % 7 === 3 ? `${l}\r` : l)).join('\n');
    const plain = tmp.file('blocks.ndjson');
    writeFileSync(plain, raw);
    const gz = tmp.file('blocks.ndjson.gz');
    writeFileSync(gz, gzipSync(raw));
    for (const path of [plain, gz]) {
      const got = await readAll(path);
      expect(got.lines.length).toBe(want.length);
      expect(got.lines).toEqual(want);
      expect(got.numbers).toEqual(want.map((_, k) => k + 1));
      expect(got.ascii).toBeGreaterThan(want.length / 2);
    }
  });
});
