/**
 * The input layer's read speed (#10): one aggTrades CSV of 1,000,000 lines (~68 MB, random digits
 * so it deflates ~3.9:1 like real data; fixed seed) read as lines
 *   (a) plain, by lineReader's readLines — the reference fast path,
 *   (b) plain and gzip, by readInput,
 *   (c) as a one-member zip (deflate), by readInput with Node's native zlib and with fflate's
 *       pure-JS inflate,
 * through an `asciiLine` handler that only counts, so the figures are the input layer's cost.
 * MB/s are of the text (decompressed). Files are written once to .cache/bench/ (not committed).
 * Best of 3 runs each, interleaved. Also (d) the zip as a streaming writer makes it (data
 * descriptors): fflate's walker finds those members' ends by a byte-by-byte signature scan.
 *
 * A run (2 cores shared, load ~15): readLines plain 819 MB/s (12.1 M lines/s); readInput plain
 * 966, gzip 276 (readLines gzip 262), zip native zlib 342 (5.1 M lines/s), zip fflate inflate 52
 * (0.15x native), zip with data descriptors 83 (0.24x).
 *
 * Run alone: `npx tsx bench/input.ts`; registered in bench/run.ts as `inputBenchRows`.
 */
import { Zip, ZipDeflate, zipSync } from 'fflate';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readLines, type LineHandler } from '../src/main/analyze/lineReader';
import { readInput } from '../src/main/files/input';
import { mulberry32 } from '../tests/support/prng';
import type { BenchRow } from './types';

const CACHE = join(import.meta.dirname, '..', '.cache', 'bench');
const LINES = 1_000_000;
const ROUNDS = 3;
/** Bump when the generated text changes, so a stale cache is rewritten. */
const VERSION = 1;

interface InputFiles {
  plain: string;
  gzip: string;
  zip: string;
  /** The same zip as a streaming writer makes it: sizes in data descriptors (flag bit 3). */
  streamedZip: string;
  textBytes: number;
}

function aggTradesCsv(n: number): Buffer {
  const rnd = mulberry32(20240718);
  const out: string[] = [
    'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker',
  ];
  let id = 5_182_005_737;
  let t = 1_721_347_022_956;
  for (let k = 0; k < n; k++) {
    id++;
    t += Math.floor(rnd() * 20);
    out.push(
      `${id},${(63_000 + rnd() * 2000).toFixed(1)}0,${(rnd() * 3).toFixed(3)},${id},${id},${t},${rnd() < 0.5}`,
    );
  }
  return Buffer.from(`${out.join('\n')}\n`);
}

function inputFiles(): InputFiles {
  mkdirSync(CACHE, { recursive: true });
  const base = join(CACHE, `input-v${VERSION}-BTCUSDT-aggTrades`);
  const files = {
    plain: `${base}.csv`,
    gzip: `${base}.csv.gz`,
    zip: `${base}.zip`,
    streamedZip: `${base}-streamed.zip`,
  };
  if (!existsSync(files.streamedZip)) {
    const text = aggTradesCsv(LINES);
    const write = (path: string, data: Uint8Array): void => {
      writeFileSync(`${path}.tmp`, data);
      renameSync(`${path}.tmp`, path);
    };
    write(files.plain, text);
    write(files.gzip, gzipSync(text));
    write(files.zip, zipSync({ 'BTCUSDT-aggTrades-2024-07-18.csv': text }));
    write(files.streamedZip, streamedZip('BTCUSDT-aggTrades-2024-07-18.csv', text));
  }
  return { ...files, textBytes: statSync(files.plain).size };
}

function streamedZip(name: string, data: Uint8Array): Buffer {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  const entry = new ZipDeflate(name, { level: 6 });
  zip.add(entry);
  entry.push(data, true);
  zip.end();
  return Buffer.concat(parts);
}

function counter(): { handler: LineHandler; count(): number } {
  let n = 0;
  return {
    handler: {
      line: () => void n++,
      asciiLine: () => void n++,
    },
    count: () => n,
  };
}

type Reader = () => Promise<number>;

async function bestOf(
  readers: Record<string, Reader>,
): Promise<Record<string, { ms: number; lines: number }>> {
  const best: Record<string, { ms: number; lines: number }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, read] of Object.entries(readers)) {
      const t0 = performance.now();
      const lines = await read();
      const ms = performance.now() - t0;
      if (best[name] === undefined || ms < best[name].ms) best[name] = { ms, lines };
    }
  }
  return best;
}

export async function inputBenchRows(): Promise<BenchRow[]> {
  const files = inputFiles();
  const viaInput =
    (path: string, engine: 'native' | 'fflate' = 'native'): Reader =>
    async () => {
      const c = counter();
      const r = await readInput(path, { member: () => c.handler }, { engine });
      if (r.error !== undefined) throw new Error(r.error);
      return c.count();
    };
  const viaLineReader =
    (path: string): Reader =>
    async () => {
      const c = counter();
      await readLines(path, c.handler);
      return c.count();
    };
  const runs = await bestOf({
    plainLineReader: viaLineReader(files.plain),
    plain: viaInput(files.plain),
    gzipLineReader: viaLineReader(files.gzip),
    gzip: viaInput(files.gzip),
    zipNative: viaInput(files.zip, 'native'),
    zipFflate: viaInput(files.zip, 'fflate'),
    zipStreamed: viaInput(files.streamedZip, 'native'),
  });
  for (const r of Object.values(runs)) {
    if (r.lines !== LINES + 1) throw new Error(`read ${r.lines} lines, want ${LINES + 1}`);
  }
  const mbps = (name: string): number => files.textBytes / 1e6 / (runs[name].ms / 1000);
  const row = (name: string, key: string, refName: string, refKey: string): BenchRow => ({
    name: `${name} (${(statSync(files.plain).size / 1e6).toFixed(0)} MB text, ${(LINES / 1e6).toFixed(0)} M lines; ${((LINES + 1) / (runs[key].ms / 1000) / 1e6).toFixed(2)} M lines/s)`,
    value: mbps(key),
    unit: 'MB/s of text',
    reference: refName,
    referenceValue: mbps(refKey),
    ratio: mbps(key) / mbps(refKey),
  });
  const reference = row(
    'plain CSV, lineReader readLines',
    'plainLineReader',
    '',
    'plainLineReader',
  );
  return [
    { name: reference.name, value: reference.value, unit: reference.unit },
    row('plain CSV, readInput', 'plain', 'plain CSV, lineReader readLines', 'plainLineReader'),
    row('gzip CSV, readInput', 'gzip', 'gzip CSV, lineReader readLines', 'gzipLineReader'),
    row(
      'zip CSV (deflate), readInput, native zlib inflate',
      'zipNative',
      'gzip CSV, readInput',
      'gzip',
    ),
    row(
      'zip CSV (deflate), readInput, fflate pure-JS inflate',
      'zipFflate',
      'zip, native zlib inflate',
      'zipNative',
    ),
    row(
      'zip CSV with data descriptors (deflate), readInput, native zlib inflate',
      'zipStreamed',
      'zip, native zlib inflate',
      'zipNative',
    ),
  ];
}

async function main(): Promise<void> {
  for (const r of await inputBenchRows()) {
    const ref =
      r.reference === undefined
        ? ''
        : `; reference ${r.reference}: ${r.referenceValue?.toFixed(0)}; ratio ${r.ratio?.toFixed(2)}x`;
    console.log(`• ${r.name}\n    ${r.value.toFixed(0)} ${r.unit}${ref}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
