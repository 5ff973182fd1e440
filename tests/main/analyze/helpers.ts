/** Shared helpers for the `analyze` CLI tests. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { vi } from 'vitest';
import { parseCommandArgs, UsageError } from '../../../src/main/cli/command';
import { analyzeCommand } from '../../../src/main/cli/commands/analyze';
import { cliArgs } from '../../support/cli';
import { REAL_DATA_DIR } from '../../support/realData';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const REAL_DIR = REAL_DATA_DIR;

export function tempDir(): { dir: string; file(name: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-analyze-'));
  return {
    dir,
    file: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `analyze` command in-process (argument parsing included) and captures what it
 * prints. Usage errors come back as exit code 2 with the message on stderr, like the CLI entry.
 */
export async function runAnalyzeCli(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.map(String).join(' '));
  });
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    err.push(a.map(String).join(' '));
  });
  try {
    let code: number;
    try {
      code = await analyzeCommand.run(parseCommandArgs(analyzeCommand, argv));
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      err.push(e.message);
      code = 2;
    }
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** Spawns the built CLI (what `npm run pairdesk` runs). */
export function spawnCli(args: string[]): CliRun {
  const res = spawnSync(process.execPath, cliArgs(args), {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** analytics.csv → header + numeric columns (empty cell → NaN) + the raw time column. */
export function readAnalyticsCsv(path: string): {
  header: string;
  rows: number;
  time: string[];
  col: (name: string) => number[];
} {
  const lines = readFileSync(path, 'utf8').split('\n');
  expectTrailingNewline(lines);
  const body = lines.slice(1, -1);
  const names = lines[0].split(',');
  const cells = body.map((l) => l.split(','));
  return {
    header: lines[0],
    rows: body.length,
    time: cells.map((c) => c[0]),
    col: (name) => {
      const k = names.indexOf(name);
      if (k < 0) throw new Error(`no column ${name}`);
      return cells.map((c) => (c[k] === '' ? NaN : Number(c[k])));
    },
  };
}

function expectTrailingNewline(lines: string[]): void {
  if (lines[lines.length - 1] !== '') throw new Error('CSV does not end with a newline');
}

/**
 * Independent recomputation of the aligned 1 s closes from a capture: JSON.parse every line,
 * keep MARKET trades (aggTrade, or trade with X absent or MARKET), per symbol and second the price
 * of the last trade by (T, id), then the grid from the first second in which both traded to the
 * last second in which either traded, each close forward-filled.
 */
export function referenceAlignedCloses(
  text: string,
  symA: string,
  symB: string,
  tfMs = 1000,
): { startMs: number[]; a: number[]; b: number[] } {
  const last = new Map<string, Map<number, { T: number; id: number; p: number }>>([
    [symA, new Map()],
    [symB, new Map()],
  ]);
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const d = (typeof msg.stream === 'string' ? msg.data : msg) as Record<string, unknown>;
    if (d.e !== 'trade' && d.e !== 'aggTrade') continue;
    if (d.e === 'trade' && d.X !== undefined && d.X !== 'MARKET') continue;
    const perSec = last.get(String(d.s));
    if (!perSec) continue;
    const T = d.T as number;
    const id = (d.e === 'trade' ? d.t : d.a) as number;
    const p = Number(d.p);
    const sec = Math.floor(T / tfMs) * tfMs;
    const cur = perSec.get(sec);
    if (!cur || T > cur.T || (T === cur.T && id > cur.id)) perSec.set(sec, { T, id, p });
  }
  const A = last.get(symA) as Map<number, { p: number }>;
  const B = last.get(symB) as Map<number, { p: number }>;
  if (A.size === 0 || B.size === 0) return { startMs: [], a: [], b: [] };
  const start = Math.max(Math.min(...A.keys()), Math.min(...B.keys()));
  const end = Math.max(Math.max(...A.keys()), Math.max(...B.keys()));
  const lastBefore = (m: Map<number, { p: number }>, t: number): number => {
    let best = -Infinity;
    for (const k of m.keys()) if (k <= t && k > best) best = k;
    return (m.get(best) as { p: number }).p;
  };
  const out = { startMs: [] as number[], a: [] as number[], b: [] as number[] };
  let pa = lastBefore(A, start);
  let pb = lastBefore(B, start);
  for (let t = start; t <= end; t += tfMs) {
    pa = A.get(t)?.p ?? pa;
    pb = B.get(t)?.p ?? pb;
    out.startMs.push(t);
    out.a.push(pa);
    out.b.push(pb);
  }
  return out;
}

export function gunzipText(path: string): string {
  return gunzipSync(readFileSync(path)).toString('utf8');
}

/** |a − e| / max(|e|, floor); both NaN → 0, one NaN → Infinity. */
export function rel(actual: number, expected: number, floor = 0): number {
  if (Number.isNaN(actual) && Number.isNaN(expected)) return 0;
  if (actual === expected) return 0;
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Infinity;
  const s = Math.max(Math.abs(expected), floor);
  return Math.abs(actual - expected) / (s === 0 ? 1 : s);
}

export function maxRel(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 0): number {
  if (actual.length !== expected.length) return Infinity;
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, rel(actual[i], expected[i], floor));
  return m;
}
