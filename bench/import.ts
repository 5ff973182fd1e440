/**
 * Import throughput (#10): the 1M-trade aggTrade capture of bench/analyze.ts imported end to end
 * (read → detect → parse → validate → bars → SQLite, a fresh database file per run) with
 * `runImport`, as
 * (a) the NDJSON capture itself (161 MB, uncompressed), and
 * (b) the same trades as data.binance.vision aggTrades CSV (futures header, one member per symbol)
 *     in one .zip — converted once and cached next to the capture in .cache/bench/.
 * Reference, in the same run: a bare parse of the same file with the importer's own reading and
 * parsing — the input layer, format detection and the RowReader of each member (NDJSON: the
 * Binance decoder; CSV: the aggTrades reader) with its TickValidator — minus bars and storage.
 * So a faster parser speeds up the reference as much as the import. (The first version of this
 * bench parsed with JSON.parse / split(',') + Number instead, which is slower than the importer's
 * decoder for NDJSON and flattered that ratio; stderr still prints that minimal parse.)
 * ratio = import ticks/s ÷ bare-parse ticks/s. Best of `rounds`, the
 * two alternating so that a load change on the machine hits both; the 1-minute load average is
 * printed next to each figure (stderr).
 *
 * The import writes on its writer thread (store/importWriter.ts) as it does for any file of
 * 4 MB or more; a third row, `threaded: false`, is the same NDJSON import on one thread, which
 * shows what the overlap of parse and write gains.
 *
 * Run alone: `npx tsx bench/import.ts`. Register in bench/run.ts as
 * `{ name: 'import', run: () => importBenchRows() }`.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { zipSync } from 'fflate';
import { AGG_TRADES_HEADER } from '../src/core/formats/aggTrades';
import { createRowReader } from '../src/core/formats/rowReaders';
import { TickValidator } from '../src/core/validation/tickValidator';
import { detectMembers } from '../src/main/files/import/inspectFiles';
import { runImport } from '../src/main/files/import/importJob';
import { readInput } from '../src/main/files/input';
import { PairDeskStore } from '../src/main/store/store';
import { syntheticCapture } from './analyze';
import type { BenchRow } from './types';

const CACHE = join(import.meta.dirname, '..', '.cache', 'bench');

/** The capture as two aggTrades CSV members in one zip (cached). */
export function syntheticAggTradesZip(): string {
  const capture = syntheticCapture();
  const path = capture.replace(/\.ndjson$/, '') + '-aggTrades-csv.zip';
  if (existsSync(path)) return path;
  const lines: Record<string, string[]> = {
    BTCUSDT: [AGG_TRADES_HEADER],
    ETHUSDT: [AGG_TRADES_HEADER],
  };
  for (const line of readFileSync(capture, 'utf8').split('\n')) {
    if (line.length === 0) continue;
    const m = JSON.parse(line) as {
      s: string;
      a: number;
      p: string;
      q: string;
      f: number;
      l: number;
      T: number;
      m: boolean;
    };
    lines[m.s].push(`${m.a},${m.p},${m.q},${m.f},${m.l},${m.T},${m.m}`);
  }
  const enc = new TextEncoder();
  const zip = zipSync(
    {
      'BTCUSDT-aggTrades-2024-07-19.csv': enc.encode(lines.BTCUSDT.join('\n') + '\n'),
      'ETHUSDT-aggTrades-2024-07-19.csv': enc.encode(lines.ETHUSDT.join('\n') + '\n'),
    },
    { level: 6 },
  );
  writeFileSync(`${path}.tmp`, zip);
  renameSync(`${path}.tmp`, path);
  return path;
}

/**
 * The import's reading and parsing without bars or storage: detection, then every member's lines
 * through its RowReader (one validator for the file, as runImport has); the ticks it yields.
 */
async function readerParse(path: string): Promise<number> {
  const detections = await detectMembers(path, path);
  const validator = new TickValidator();
  let ticks = 0;
  await readInput(path, {
    member(member) {
      const d = detections.find((x) => x.member.member === member.member);
      if (d?.detected == null) return null;
      const reader = createRowReader({ detected: d.detected, symbol: d.symbols[0], validator });
      if ('error' in reader) throw new Error(`bench: ${reader.error}`);
      return {
        line(text: string, lineNo: number) {
          const r = reader.push(text, lineNo);
          if (r.kind === 'item' && r.item.kind === 'tick') ticks++;
        },
      };
    },
  });
  return ticks;
}

/** The minimal parse (split + JSON.parse / Number), nothing stored: the trades seen. */
async function minimalParse(path: string, csv: boolean): Promise<number> {
  let trades = 0;
  let sink = 0;
  await readInput(path, {
    member: () => ({
      line(text: string) {
        if (csv) {
          const f = text.split(',');
          const id = Number(f[0]);
          if (!Number.isFinite(id)) return; // the header
          sink += Number(f[1]) + Number(f[2]) + Number(f[5]) + (f[6] === 'true' ? 1 : 0);
        } else {
          if (text.length === 0) return;
          const m = JSON.parse(text) as { p: string; q: string; T: number; a: number };
          sink += Number(m.p) + Number(m.q) + m.T + m.a;
        }
        trades++;
      },
    }),
  });
  if (Number.isNaN(sink)) throw new Error('bare parse read a non-number');
  return trades;
}

interface Timed {
  ms: number;
  ticks: number;
}

async function timeImport(
  path: string,
  name: string,
  tag: string,
  threadedWrites: boolean,
): Promise<Timed> {
  const db = join(CACHE, `import-bench-${tag}.db`);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const store = PairDeskStore.open(db);
  try {
    const t = performance.now();
    const r = await runImport({ store, dataDir: CACHE }, [{ path, name }], {
      jobId: `bench-${tag}`,
      threadedWrites,
    });
    const ms = performance.now() - t;
    if (r.state !== 'done') throw new Error(`import bench: ${r.message}`);
    return { ms, ticks: r.ticks };
  } finally {
    store.close();
    for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  }
}

async function benchOne(
  label: string,
  path: string,
  csv: boolean,
  rounds: number,
  threadedWrites = true,
): Promise<BenchRow> {
  let best: Timed = { ms: Infinity, ticks: 0 };
  let bare: Timed = { ms: Infinity, ticks: 0 };
  let minimal = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    const ticks = await readerParse(path);
    const ms = performance.now() - t;
    if (ms < bare.ms) bare = { ms, ticks };
    const t1 = performance.now();
    if ((await minimalParse(path, csv)) !== ticks) throw new Error('bench: parses disagree');
    minimal = Math.min(minimal, performance.now() - t1);
    const run = await timeImport(path, label, csv ? 'zip' : 'ndjson', threadedWrites);
    if (run.ms < best.ms) best = run;
  }
  const value = best.ticks / (best.ms / 1000);
  const ref = bare.ticks / (bare.ms / 1000);
  const ratio = value / ref;
  const how = threadedWrites ? 'writer thread' : 'threaded: false, one thread';
  console.error(
    `[bench import] ${label} (${how}): ${best.ticks} ticks in ${best.ms.toFixed(0)} ms; bare parse ${bare.ticks} in ${bare.ms.toFixed(0)} ms (minimal split + JSON.parse/Number: ${minimal.toFixed(0)} ms); ratio ${ratio.toFixed(2)}; load average ${loadavg()[0].toFixed(2)}`,
  );
  return {
    name: `import ${label} → SQLite (runImport, ${how}, end to end, best of ${rounds})`,
    value,
    unit: 'ticks/s',
    reference:
      "bare parse of the same file with the importer's reading, detection, row reader and validator (no bars, no storage)",
    referenceValue: ref,
    ratio,
    target: '>= 0.7x reference and >= 300k ticks/s',
    pass: ratio >= 0.7 && value >= 300_000,
  };
}

export async function importBenchRows(rounds = 3): Promise<BenchRow[]> {
  mkdirSync(CACHE, { recursive: true });
  const ndjson = syntheticCapture();
  const zip = syntheticAggTradesZip();
  const mb = (p: string): string => `${(statSync(p).size / 1e6).toFixed(0)} MB`;
  return [
    await benchOne(`1M aggTrade NDJSON (${mb(ndjson)})`, ndjson, false, rounds),
    await benchOne(`1M aggTrades CSV zip (${mb(zip)}, 2 members)`, zip, true, rounds),
    await benchOne(`1M aggTrade NDJSON (${mb(ndjson)})`, ndjson, false, rounds, false),
  ];
}

if (process.argv[1] && /bench[/\\]import\.ts$/.test(process.argv[1])) {
  for (const r of await importBenchRows()) console.log(JSON.stringify(r));
}
