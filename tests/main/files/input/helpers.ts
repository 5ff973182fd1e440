/** Shared by the input-layer tests: temp files, generated CSVs, and reading a file to lines. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readInput,
  type ReadInputOptions,
  type ReadInputResult,
  type ReadInputTuning,
} from '../../../../src/main/files/input';
import { mulberry32 } from '../../../support/prng';

export const ARCHIVES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'archives');
export const FORMATS = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'formats');
export const REAL = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'binance-real');

export function tempDir(): { file(name: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-input-'));
  return {
    file: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The lines of a text (as the reader delivers them: no terminator, no trailing empty line). */
export function linesOf(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function fileLines(path: string): string[] {
  return linesOf(readFileSync(path, 'utf8'));
}

/**
 * `n` aggTrades-like lines with random digits (so they compress about 3:1, like real data and
 * unlike repeated text), the same for the same seed.
 */
export function aggTradesText(n: number, seed: number): string {
  const rnd = mulberry32(seed);
  const out: string[] = [
    'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker',
  ];
  let id = 5_182_005_737;
  let t = 1_721_347_022_956;
  for (let k = 0; k < n; k++) {
    id += 1;
    t += Math.floor(rnd() * 50);
    const price = (63_000 + rnd() * 2000).toFixed(2);
    const qty = (rnd() * 3).toFixed(3);
    out.push(`${id},${price},${qty},${id},${id},${t},${rnd() < 0.5}`);
  }
  return `${out.join('\n')}\n`;
}

export interface ReadAll {
  result: ReadInputResult;
  /** Lines per member name (null for plain and gzip files), in delivery order. */
  lines: Map<string | null, string[]>;
  progress: number[];
  overlong: [number, number][];
}

/**
 * Reads `path` through readInput, every member (or those `want` accepts), checking on the way
 * that line numbers run 1, 2, 3… per member.
 */
export async function readAll(
  path: string,
  tuning: ReadInputTuning = {},
  extra: Partial<ReadInputOptions> & { want?(member: string | null): boolean } = {},
): Promise<ReadAll> {
  const lines = new Map<string | null, string[]>();
  const progress: number[] = [];
  const overlong: [number, number][] = [];
  const result = await readInput(
    path,
    {
      member(member) {
        if (extra.want !== undefined && !extra.want(member.member)) return null;
        const got: string[] = [];
        lines.set(member.member, got);
        let expected = 1;
        const check = (lineNo: number): void => {
          if (lineNo !== expected) throw new Error(`line ${lineNo} after ${expected - 1}`);
          expected++;
        };
        return {
          line(text, lineNo) {
            check(lineNo);
            got.push(text);
          },
          asciiLine(_bytes, text, start, end, lineNo) {
            check(lineNo);
            got.push(text.slice(start, end));
          },
          overlong(lineNo, bytes) {
            check(lineNo);
            got.push('<overlong>');
            overlong.push([lineNo, bytes]);
          },
        };
      },
      onProgress: extra.onProgress ?? ((bytes) => progress.push(bytes)),
      signal: extra.signal,
    },
    tuning,
  );
  return { result, lines, progress, overlong };
}
