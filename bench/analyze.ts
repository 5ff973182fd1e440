/**
 * `pairdesk analyze` against the equivalent pandas + statsmodels pipeline
 * (scripts/analyze_reference.py), both timed in this run, on:
 * - a generated 1M-trade aggTrade capture (161 MB; raw Binance aggTrade payloads with `nq`, one
 *   per line; BTCUSDT/ETHUSDT as a cointegrated random walk over 4 h ⇒ 14,400 1 s bars; fixed
 *   seed), written once to .cache/bench/ (not committed);
 * - the real USD-M capture um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz (trade + bookTicker).
 *
 * Both sides run as child processes and are timed by wall clock from spawn to exit, so both pay
 * their start-up (Node + the prebuilt CLI's modules vs. Python + pandas/statsmodels import): that
 * is what a user waits for. Each side also reports its own in-process time (TS: the CLI's pipeline time from
 * its stdout; Python: time.perf_counter inside the script), shown in the row names. Runs alternate
 * TS / Python, best of `rounds`. The Python output is then compared with the TS output (CSV cells
 * and summary values; max deviation printed).
 *
 * Run alone: `npx tsx bench/analyze.ts`.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureCliBuilt } from '../scripts/cliBuild.mjs';
import { ANALYTICS_CSV_COLUMNS } from '../src/core/analysis/analyticsCsv';
import { mulberry32 } from '../tests/support/prng';
import type { BenchRow } from './types';
import { UM_2024_07_18 } from './realData';

const ROOT = join(import.meta.dirname, '..');
const CACHE = join(ROOT, '.cache', 'bench');
const REAL = UM_2024_07_18;
const PYTHON = '/usr/bin/python3';
const PAIR = 'BTCUSDT/ETHUSDT';

/** Generator parameters; bump VERSION when they change so a stale cache is regenerated. */
const GEN = {
  version: 1,
  trades: 1_000_000,
  seed: 20240719,
  startMs: Date.UTC(2024, 6, 19, 0, 0, 0),
  durationMs: 4 * 3_600_000,
};

/** Fixed-point decimal text of `units` / 10^decimals (units a non-negative integer). */
function fixed(units: number, decimals: number): string {
  const s = String(units).padStart(decimals + 1, '0');
  return `${s.slice(0, s.length - decimals)}.${s.slice(s.length - decimals)}`;
}

/**
 * Writes the synthetic capture: ETH a random walk (σ 0.6 USDT/√s), BTC = 15,000 + 14.3·ETH + an
 * AR(1) spread (φ 0.995/s, σ 4 USDT), plus per-trade microstructure noise; prices on the exchange
 * ticks (BTC 0.10, ETH 0.01), printed with two decimals like Binance. Trade times are uniform
 * over the window, sorted; E = T + 0…4 ms; aggregate ids contiguous per symbol.
 */
export function generateAggTradeFile(path: string): void {
  const rnd = mulberry32(GEN.seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const seconds = GEN.durationMs / 1000;
  const eth = new Float64Array(seconds + 1);
  const spr = new Float64Array(seconds + 1);
  eth[0] = 3425;
  for (let i = 1; i <= seconds; i++) {
    eth[i] = eth[i - 1] + 0.6 * gauss();
    spr[i] = 0.995 * spr[i - 1] + 4 * gauss();
  }
  const times = new Float64Array(GEN.trades);
  for (let i = 0; i < GEN.trades; i++) times[i] = GEN.startMs + Math.floor(rnd() * GEN.durationMs);
  times.sort();
  const ids = { BTCUSDT: 2_254_012_345, ETHUSDT: 1_873_456_789 };
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  let buf = '';
  for (let i = 0; i < GEN.trades; i++) {
    const T = times[i];
    const sec = (T - GEN.startMs) / 1000;
    const k = Math.floor(sec);
    const f = sec - k;
    const e = eth[k] + f * (eth[k + 1] - eth[k]);
    const btc = rnd() < 0.5;
    const s = btc ? 'BTCUSDT' : 'ETHUSDT';
    let p: string;
    let q: string;
    if (btc) {
      const v = 15_000 + 14.3 * e + spr[k] + 0.3 * gauss();
      p = fixed(Math.round(v * 10) * 10, 2);
      q = fixed(1 + Math.floor(-Math.log(1 - rnd()) * 80), 3);
    } else {
      const v = e + 0.02 * gauss();
      p = fixed(Math.round(v * 100), 2);
      q = fixed(1 + Math.floor(-Math.log(1 - rnd()) * 900), 3);
    }
    const a = ids[s]++;
    const first = a * 3;
    const last = first + Math.floor(rnd() * 4);
    const E = T + Math.floor(rnd() * 5);
    buf += `{"e":"aggTrade","E":${E},"s":"${s}","a":${a},"p":"${p}","q":"${q}","nq":"${q}","f":${first},"l":${last},"T":${T},"m":${rnd() < 0.5}}\n`;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  renameSync(tmp, path);
}

/** The cached 1M-trade file, generated on first use. */
export function syntheticCapture(): string {
  mkdirSync(CACHE, { recursive: true });
  const path = join(CACHE, `analyze-aggtrade-1m-v${GEN.version}-seed${GEN.seed}.ndjson`);
  if (!existsSync(path)) {
    const t = performance.now();
    generateAggTradeFile(path);
    console.error(
      `[bench analyze] generated ${path} (${(statSync(path).size / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  return path;
}

interface RunTiming {
  wallMs: number;
  /** The program's own measurement of its work, without process start-up. */
  innerMs: number;
}

/** The command line both programs share. */
function analyzeArgs(file: string, csv: string, json: string): string[] {
  return [file, '--pair', PAIR, '--timeframe', '1s', '--out', csv, '--json', json];
}

/**
 * `node scripts/pairdesk.mjs analyze …`: what `npm run pairdesk -- analyze …` runs, without npm's
 * own start-up (Python is likewise run directly). The build is fresh (ensureCliBuilt ran first),
 * so this times the freshness check and the prebuilt CLI, never a build.
 */
function runTs(file: string, csv: string, json: string): RunTiming {
  const t = performance.now();
  const res = spawnSync(
    process.execPath,
    ['scripts/pairdesk.mjs', 'analyze', ...analyzeArgs(file, csv, json)],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const wallMs = performance.now() - t;
  if (res.status !== 0) throw new Error(`analyze failed (${res.status}): ${res.stderr}`);
  const m = /in ([\d.]+) s \(/.exec(res.stdout);
  const pipeline = /pipeline\s+([\d.]+) ms/.exec(res.stdout);
  return { wallMs, innerMs: pipeline ? Number(pipeline[1]) : m ? Number(m[1]) * 1000 : NaN };
}

function runPy(file: string, csv: string, json: string): RunTiming | null {
  const t = performance.now();
  const res = spawnSync(PYTHON, ['scripts/analyze_reference.py', ...analyzeArgs(file, csv, json)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const wallMs = performance.now() - t;
  if (res.status !== 0) {
    console.error(`[bench analyze] python reference failed (${res.status}): ${res.stderr}`);
    return null;
  }
  const last = res.stderr.trim().split('\n').pop() ?? '{}';
  const inner = (JSON.parse(last) as { total_ms?: number }).total_ms ?? NaN;
  return { wallMs, innerMs: inner };
}

/** Numeric cells of a CSV by column (header row → column name); empty cell → NaN. */
function readCsvColumns(path: string): Map<string, Float64Array> {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const cols = header.map(() => new Float64Array(lines.length - 1));
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    for (let c = 1; c < header.length; c++)
      cols[c][r - 1] = cells[c] === '' ? NaN : Number(cells[c]);
  }
  return new Map(header.map((h, c) => [h, cols[c]]));
}

export interface Deviation {
  /** Largest |ts − py| / max(|py|, 1) per quantity. */
  perQuantity: Record<string, number>;
  max: number;
  rowsTs: number;
  rowsPy: number;
  /** Positions where exactly one side is empty. */
  definedMismatches: number;
}

/** Compares the TS and Python outputs (CSV columns + summary numbers). */
export function compareOutputs(
  tsCsv: string,
  tsJson: string,
  pyCsv: string,
  pyJson: string,
): Deviation {
  const ts = readCsvColumns(tsCsv);
  const py = readCsvColumns(pyCsv);
  const perQuantity: Record<string, number> = {};
  let mismatches = 0;
  const rowsTs = ts.get('start_ms')?.length ?? 0;
  const rowsPy = py.get('start_ms')?.length ?? 0;
  const rel = (x: number, y: number): number => Math.abs(x - y) / Math.max(Math.abs(y), 1);
  // Every numeric column of analytics.csv (all but the ISO `time` text).
  for (const name of ANALYTICS_CSV_COLUMNS.filter((c) => c !== 'time')) {
    const x = ts.get(name);
    const y = py.get(name);
    if (!x || !y || x.length !== y.length) {
      perQuantity[`csv.${name}`] = Infinity;
      continue;
    }
    let m = 0;
    for (let i = 0; i < x.length; i++) {
      if (Number.isNaN(x[i]) !== Number.isNaN(y[i])) mismatches++;
      else if (!Number.isNaN(x[i])) m = Math.max(m, rel(x[i], y[i]));
    }
    perQuantity[`csv.${name}`] = m;
  }
  const flat = (o: unknown, prefix: string, out: Map<string, number>): Map<string, number> => {
    if (typeof o === 'number') out.set(prefix, o);
    else if (o !== null && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) flat(v, prefix ? `${prefix}.${k}` : k, out);
    }
    return out;
  };
  const sj = flat(JSON.parse(readFileSync(tsJson, 'utf8')), '', new Map());
  const pj = flat(JSON.parse(readFileSync(pyJson, 'utf8')), '', new Map());
  for (const [k, y] of pj) {
    const x = sj.get(k);
    perQuantity[`json.${k}`] = x === undefined ? Infinity : rel(x, y);
  }
  const max = Math.max(...Object.values(perQuantity));
  return { perQuantity, max, rowsTs, rowsPy, definedMismatches: mismatches };
}

interface FileBench {
  label: string;
  ts: RunTiming;
  py: RunTiming | null;
  deviation: Deviation | null;
}

function benchFile(label: string, file: string, rounds: number): FileBench {
  const out = join(CACHE, 'out');
  mkdirSync(out, { recursive: true });
  const tsCsv = join(out, `${label}.ts.csv`);
  const tsJson = join(out, `${label}.ts.json`);
  const pyCsv = join(out, `${label}.py.csv`);
  const pyJson = join(out, `${label}.py.json`);
  let ts: RunTiming | null = null;
  let py: RunTiming | null = null;
  for (let r = 0; r < rounds; r++) {
    const t = runTs(file, tsCsv, tsJson);
    if (ts === null || t.wallMs < ts.wallMs) ts = t;
    const p = runPy(file, pyCsv, pyJson);
    if (p !== null && (py === null || p.wallMs < py.wallMs)) py = p;
  }
  const deviation = py !== null ? compareOutputs(tsCsv, tsJson, pyCsv, pyJson) : null;
  return { label, ts: ts as RunTiming, py, deviation };
}

function rowsFor(b: FileBench, what: string, target?: number): BenchRow[] {
  const rows: BenchRow[] = [];
  const wall: BenchRow = {
    name: `analyze ${what}, 1s, child process wall (TS pipeline ${b.ts.innerMs.toFixed(0)} ms${b.py ? `, Python work ${b.py.innerMs.toFixed(0)} ms` : ''})`,
    value: b.ts.wallMs / 1000,
    unit: 's',
  };
  if (b.py) {
    wall.reference = 'pandas + statsmodels (scripts/analyze_reference.py), child process wall';
    wall.referenceValue = b.py.wallMs / 1000;
    wall.ratio = b.py.wallMs / b.ts.wallMs;
    if (target !== undefined) {
      wall.target = `>= ${target}x faster`;
      wall.pass = wall.ratio >= target;
    }
  }
  rows.push(wall);
  if (b.py) {
    rows.push({
      name: `analyze ${what}, in-process work only (no start-up)`,
      value: b.ts.innerMs / 1000,
      unit: 's',
      reference: 'pandas + statsmodels work (time.perf_counter)',
      referenceValue: b.py.innerMs / 1000,
      ratio: b.py.innerMs / b.ts.innerMs,
    });
  }
  if (b.deviation) {
    const d = b.deviation;
    rows.push({
      name: `analyze ${what}: max rel deviation TS vs Python (CSV cells + summary; rows ${d.rowsTs}/${d.rowsPy}, defined-cell mismatches ${d.definedMismatches})`,
      value: d.max,
      unit: 'rel',
      target: '<= 1e-6 and same rows',
      pass: d.max <= 1e-6 && d.rowsTs === d.rowsPy && d.definedMismatches === 0,
    });
  }
  return rows;
}

export async function analyzeBenchRows(rounds = 3): Promise<BenchRow[]> {
  const big = syntheticCapture();
  const large = benchFile('synthetic-1m', big, rounds);
  const real = benchFile('real-um-2024-07-18', REAL, rounds);
  for (const b of [large, real]) {
    if (b.deviation) {
      const worst = Object.entries(b.deviation.perQuantity)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 5)
        .map(([k, v]) => `${k} ${v.toExponential(2)}`)
        .join(', ');
      console.error(
        `[bench analyze] ${b.label}: max deviation ${b.deviation.max.toExponential(2)} (worst: ${worst})`,
      );
    }
  }
  return [
    ...rowsFor(large, `1M aggTrade (${(statSync(big).size / 1e6).toFixed(0)} MB)`, 5),
    ...rowsFor(real, 'real capture (124k lines)'),
  ];
}

if (process.argv[1] && /bench[/\\]analyze\.ts$/.test(process.argv[1])) {
  await ensureCliBuilt();
  for (const r of await analyzeBenchRows()) console.log(JSON.stringify(r));
}
