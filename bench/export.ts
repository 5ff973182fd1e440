/**
 * Export of 1 M ticks from a real SQLite file to CSV through the app's writer (CsvOutput +
 * writeTicksCsv over a read-only connection, as ExportService does): MB/s against a bare
 * `fs.createWriteStream` of the same number of bytes in the same chunk size (the disk + stream
 * ceiling, measured in the same run), and peak RSS. Each side runs in its own child process so
 * its peak RSS (`process.resourceUsage().maxRSS`) is its own; the growth over the RSS at the
 * start of the work is the figure that must stay flat. An export of half the ticks of the same
 * file shows whether memory grows with the row count (SQLite's sorter and page cache are capped
 * by cache_size, the writer holds one 64 KiB chunk).
 *
 * `npx tsx bench/export.ts` runs it alone.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeCsvFile } from '../src/main/files/export/csvOutput';
import { writeTicksCsv } from '../src/main/files/export/ticksCsv';
import { PairDeskStore } from '../src/main/store/store';
import { syntheticTicks } from './bars';
import type { BenchRow } from './types';

const CHILD_FLAG = '--export-bench-child';
const THIS_FILE = fileURLToPath(import.meta.url);

interface ChildResult {
  ms: number;
  /** CPU time (user + system) of the work, ms: steadier than wall time on a shared machine. */
  cpuMs: number;
  bytes: number;
  rows: number;
  /** RSS when the work started and the process's peak RSS, MiB. */
  startRssMiB: number;
  peakRssMiB: number;
}

const MIB = 1024 * 1024;

function cpuSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

/** Child: export ticks of dataset 1 (optionally only the first `limitMs` of it) to `out`. */
async function childExport(db: string, out: string, toMs?: number): Promise<ChildResult> {
  const store = PairDeskStore.open(db, { readonly: true });
  try {
    const startRssMiB = process.memoryUsage().rss / MIB;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await writeCsvFile(out, (csv) => writeTicksCsv(store, csv, { datasetId: 1, toMs }));
    const ms = performance.now() - t0;
    const cpuMs = cpuSince(c0);
    return { ms, cpuMs, ...r, startRssMiB, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    store.close();
  }
}

/** Child: `bytes` bytes of CSV-like text through a bare write stream, 64 KiB per write. */
async function childBare(out: string, bytes: number): Promise<ChildResult> {
  const startRssMiB = process.memoryUsage().rss / MIB;
  const line = 'BTCUSDT,123456789,1721347200123,64123.45,0.012,true\n';
  const chunk = line.repeat(Math.ceil((64 * 1024) / line.length));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const stream = createWriteStream(out);
  let written = 0;
  while (written < bytes) {
    const part = bytes - written >= chunk.length ? chunk : chunk.slice(0, bytes - written);
    written += part.length;
    if (!stream.write(part)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
  const ms = performance.now() - t0;
  return {
    ms,
    cpuMs: cpuSince(c0),
    bytes: written,
    rows: 0,
    startRssMiB,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

function runChild(args: string[]): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', THIS_FILE, CHILD_FLAG, ...args], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`export bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
}

export async function exportBenchRows(n = 1_000_000): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-bench-export-'));
  try {
    const db = join(dir, 'ticks.db');
    const ticks = syntheticTicks(n);
    const store = PairDeskStore.open(db);
    const id = store.createDataset('replay', 'bench').id;
    for (const t of ticks) store.enqueueTick(id, t);
    store.close();
    const firstMs = ticks[0].timeMs;
    // ~half the rows: the first half of the time span.
    const halfMs = firstMs + Math.floor((ticks[ticks.length - 1].timeMs - firstMs) / 2);
    ticks.length = 0;

    const full = runChild(['export', db, join(dir, 'full.csv')]);
    const small = runChild(['export', db, join(dir, 'small.csv'), String(halfMs)]);
    const bare = runChild(['bare', join(dir, 'bare.csv'), String(full.bytes)]);
    const mbps = (r: ChildResult): number => r.bytes / MIB / (r.ms / 1000);
    const cpuMbps = (r: ChildResult): number => r.bytes / MIB / (r.cpuMs / 1000);
    const growth = (r: ChildResult): number => r.peakRssMiB - r.startRssMiB;
    const rowsText = full.rows.toLocaleString('en-US');
    const rate = (x: number): string => Math.round(x).toLocaleString('en-US');
    return [
      {
        name: `export ${rowsText} ticks → CSV, wall (${(full.bytes / MIB).toFixed(0)} MiB, ${rate(full.rows / (full.ms / 1000))} rows/s)`,
        value: mbps(full),
        unit: 'MiB/s',
        reference: 'bare fs.createWriteStream of the same bytes, 64 KiB writes, wall',
        referenceValue: mbps(bare),
        ratio: mbps(full) / mbps(bare),
      },
      {
        name: `export ${rowsText} ticks → CSV, per CPU-second (${rate(full.rows / (full.cpuMs / 1000))} rows/CPU-s)`,
        value: cpuMbps(full),
        unit: 'MiB/CPU-s',
        reference: 'bare write stream of the same bytes, per CPU-second',
        referenceValue: cpuMbps(bare),
        ratio: cpuMbps(full) / cpuMbps(bare),
      },
      {
        name: `export peak RSS growth, ${rowsText} ticks (peak ${full.peakRssMiB.toFixed(0)} MiB)`,
        value: growth(full),
        unit: 'MiB',
        reference: `same export of ${small.rows.toLocaleString('en-US')} ticks (half)`,
        referenceValue: growth(small),
        // Memory proportional to rows would give ~2; flat memory keeps it near 1.
        ratio: growth(full) / Math.max(1, growth(small)),
        target: 'flat: ≤ 1.25× the half-size export',
        pass: growth(full) <= 1.25 * Math.max(1, growth(small)),
      },
      {
        name: `bare write stream peak RSS growth (peak ${bare.peakRssMiB.toFixed(0)} MiB)`,
        value: growth(bare),
        unit: 'MiB',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function childMain(args: string[]): Promise<void> {
  const [mode, a, b, c] = args;
  const r =
    mode === 'bare'
      ? await childBare(a, Number(b))
      : await childExport(a, b, c === undefined ? undefined : Number(c));
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf(CHILD_FLAG);
  if (i >= 0) {
    void childMain(process.argv.slice(i + 1));
  } else {
    void exportBenchRows().then((rows) => {
      for (const r of rows) console.log(JSON.stringify(r));
    });
  }
}
