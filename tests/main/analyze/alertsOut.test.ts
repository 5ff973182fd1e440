/**
 * `analyze --alerts-out` on the real capture at 1 s, W = 30: the z-score rule's events against an
 * independent recomputation from the analytics CSV's zscore column (a plain loop over the
 * contract's rules, not ZScoreRule), the exact header and time format, and the usage errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readAnalyticsCsv,
  REAL_DIR,
  runAnalyzeCli,
  spawnCli,
  tempDir,
  type CliRun,
} from './helpers';

const CAPTURE = join(REAL_DIR, 'um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz');
const BASE = [CAPTURE, '--pair', 'BTCUSDT/ETHUSDT', '--timeframe', '1s', '--window', '30'];
const HEADER = 'time,start_ms,kind,side,zscore,threshold';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/**
 * The rule from its contract text, over the analytics CSV cells (zscore kept as text so the
 * comparison is of the exact same doubles): rows `start_ms,kind,side,zscore,threshold`.
 */
function referenceRows(
  startMs: string[],
  zText: string[],
  K: number,
  R: number,
  C: number,
): string[] {
  const rows: string[] = [];
  let armed = true;
  let side = '';
  let escalated = false;
  for (let i = 0; i < zText.length; i++) {
    if (zText[i] === '') continue; // warm-up
    const z = Number(zText[i]);
    const s = z > 0 ? 'upper' : 'lower';
    if (Math.abs(z) >= K && (armed || s !== side)) {
      armed = false;
      side = s;
      escalated = false;
      rows.push(`${startMs[i]},breach,${s},${zText[i]},${K}`);
    }
    if (!armed && s === side && !escalated && Math.abs(z) >= C) {
      escalated = true;
      rows.push(`${startMs[i]},escalate,${s},${zText[i]},${C}`);
    }
    if (!armed && Math.abs(z) <= R) {
      armed = true;
      rows.push(`${startMs[i]},revert,${side},${zText[i]},${R}`);
    }
  }
  return rows;
}

function rawColumns(path: string): { time: string[]; start: string[]; z: string[] } {
  const lines = readFileSync(path, 'utf8').split('\n').slice(1, -1);
  const cells = lines.map((l) => l.split(','));
  return { time: cells.map((c) => c[0]), start: cells.map((c) => c[1]), z: cells.map((c) => c[6]) };
}

function kinds(rows: string[]): Record<string, number> {
  const n: Record<string, number> = { breach: 0, escalate: 0, revert: 0 };
  for (const r of rows) n[r.split(',')[2]]++;
  return n;
}

describe('analyze --alerts-out on the real capture (1s, W = 30)', () => {
  const analytics = tmp.file('analytics.csv');
  const alerts = tmp.file('alerts.csv');
  let run: CliRun;

  beforeAll(async () => {
    run = await runAnalyzeCli([...BASE, '--out', analytics, '--alerts-out', alerts]);
  });

  it('exits 0 and reports the counts', () => {
    expect(run.stderr).not.toMatch(/alert/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^alerts {6}z-score rule K 2, R 0\.5, K_crit 3: 14 breaches, 4 escalations, 13 reverts$/m,
    );
    expect(run.stdout).toMatch(/alerts\.csv \(31 events\)/);
  });

  it('header, time format and rows equal the independent recomputation (defaults K 2, R 0.5, C 3)', () => {
    const text = readFileSync(alerts, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n').slice(0, -1);
    expect(lines[0]).toBe(HEADER);
    const rows = lines.slice(1);
    const a = rawColumns(analytics);
    expect(readAnalyticsCsv(analytics).rows).toBe(481);
    const expected = referenceRows(a.start, a.z, 2, 0.5, 3);
    expect(rows.map((r) => r.slice(r.indexOf(',') + 1))).toEqual(expected);
    expect(kinds(rows)).toEqual({ breach: 14, escalate: 4, revert: 13 });
    // Same time text as the analytics CSV row of that bar.
    const timeOf = new Map(a.start.map((s, i) => [s, a.time[i]]));
    for (const r of rows) {
      const [time, start] = r.split(',');
      expect(time).toBe(timeOf.get(start));
      expect(time).toBe(new Date(Number(start)).toISOString());
    }
  });

  it('other levels: K 1.5, R 0, C 2.5 also match the recomputation', async () => {
    const out = tmp.file('alerts-15.csv');
    const r = await runAnalyzeCli([
      ...BASE,
      '--alerts-out',
      out,
      '--alert-z',
      '1.5',
      '--alert-rearm',
      '0',
      '--alert-crit',
      '2.5',
    ]);
    expect(r.code).toBe(0);
    const rows = readFileSync(out, 'utf8').split('\n').slice(1, -1);
    const a = rawColumns(analytics);
    const expected = referenceRows(a.start, a.z, 1.5, 0, 2.5);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((x) => x.slice(x.indexOf(',') + 1))).toEqual(expected);
  });
});

describe('analyze alert options: usage errors (exit 2, one line)', () => {
  it.each([
    [
      ['--alerts-out', 'x.csv', '--alert-z', '2', '--alert-crit', '1.5'],
      /K_crit must be above the alert level K \(got R = 0\.5, K = 2, K_crit = 1\.5\)/,
    ],
    [
      ['--alerts-out', 'x.csv', '--alert-z', '0.4'],
      /R must be below the alert level K \(got R = 0\.5, K = 0\.4, K_crit = 1\.4\)/,
    ],
    [['--alerts-out', 'x.csv', '--alert-rearm=-1'], /--alert-rearm must be >= 0/],
    [['--alerts-out', 'x.csv', '--alert-z', 'abc'], /--alert-z must be > 0/],
    [['--alert-z', '2.5'], /--alert-z, --alert-rearm and --alert-crit need --alerts-out FILE/],
    [['--alerts-out', ''], /--alerts-out needs a file name/],
  ])('%j', async (extra, message) => {
    const r = await runAnalyzeCli([...BASE, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('--help lists the options with their defaults', () => {
    const r = spawnCli(['analyze', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--alerts-out FILE +Write the z-score alert rule's events/);
    expect(r.stdout).toMatch(/--alert-z K +Alert level: breach at \|z\| ≥ K \(default 2\)/);
    expect(r.stdout).toMatch(/--alert-rearm R +.*\(default 0\.5\)/);
    expect(r.stdout).toMatch(/--alert-crit C +.*\(default K \+ 1\)/);
  });
});
