/**
 * `pairdesk import` as users run it (the built CLI, a real SQLite file in a tmp dir): stdout is
 * exactly `dataset ID`, the report is on stderr (no progress when stderr is not a TTY), exit codes
 * 0 / 1 / 2, and the imported dataset exports the bars the NDJSON capture gives.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGG_TRADES_HEADER } from '../../../src/core/formats/aggTrades';
import { aggTradeLine, loadCapture } from '../../../scripts/make-format-fixtures';
import { cliArgs } from '../../support/cli';
import { REPO_ROOT, UM_2024_07_18 } from '../../support/realData';

const FORMATS = join(REPO_ROOT, 'tests/fixtures/formats');

function pairdesk(...args: string[]) {
  return spawnSync(process.execPath, cliArgs(args), { cwd: REPO_ROOT, encoding: 'utf8' });
}

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pairdesk-cli-import-'));
  db = join(dir, 'data.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('pairdesk import', () => {
  it('imports a capture and two aggTrades CSVs as datasets 1 and 2 with the same bars', () => {
    const first = pairdesk('import', UM_2024_07_18, '--db', db);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe('dataset 1\n');
    expect(first.stderr).toMatch(
      /^imported 24,356 ticks and \d+ bars of BTCUSDT, ETHUSDT into dataset 1/,
    );
    expect(first.stderr).not.toContain('\r');

    const { ticks } = loadCapture(UM_2024_07_18);
    const files = ['BTCUSDT', 'ETHUSDT'].map((s) => {
      const path = join(dir, `${s}-aggTrades-2024-07-18.csv`);
      const lines = ticks
        .filter((t) => t.symbol === s)
        .map((t) => aggTradeLine(t, { spot: false, us: false }));
      writeFileSync(path, [AGG_TRADES_HEADER, ...lines].join('\n') + '\n');
      return path;
    });
    const second = pairdesk('import', ...files, '--db', db, '--name', 'July CSV');
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toBe('dataset 2\n');

    for (const tf of ['1s', '1m', '5m']) {
      const out = (id: number) => {
        const file = join(dir, `bars-${id}-${tf}.csv`);
        const r = pairdesk(
          'export',
          '--db',
          db,
          '--dataset',
          String(id),
          '--bars',
          tf,
          '--out',
          file,
        );
        expect(r.status, r.stderr).toBe(0);
        return readFileSync(file, 'utf8');
      };
      const a = out(1);
      expect(a.split('\n').length).toBeGreaterThan(3);
      expect(out(2)).toBe(a);
    }
    const list = pairdesk('datasets', '--db', db, '--json');
    const labels = (JSON.parse(list.stdout) as { label: string }[]).map((d) => d.label);
    expect(labels).toContain('July CSV');
  });

  it('export → import round trip: ticks give identical bars; 1 s bars give identical 1 s bars', () => {
    expect(pairdesk('import', UM_2024_07_18, '--db', db).stdout).toBe('dataset 1\n');
    const exportTo = (id: number, what: string[], file: string): string => {
      const r = pairdesk('export', '--db', db, '--dataset', String(id), ...what, '--out', file);
      expect(r.status, r.stderr).toBe(0);
      return readFileSync(file, 'utf8');
    };
    const ticksCsv = join(dir, 'ticks.csv');
    exportTo(1, ['--ticks'], ticksCsv);
    const fromTicks = pairdesk('import', ticksCsv, '--db', db);
    expect(fromTicks.status, fromTicks.stderr).toBe(0);
    expect(fromTicks.stdout).toBe('dataset 2\n');
    for (const tf of ['1s', '1m', '5m']) {
      expect(exportTo(2, ['--bars', tf], join(dir, `b2-${tf}.csv`))).toBe(
        exportTo(1, ['--bars', tf], join(dir, `b1-${tf}.csv`)),
      );
    }
    expect(exportTo(2, ['--ticks'], join(dir, 'ticks2.csv'))).toBe(readFileSync(ticksCsv, 'utf8'));

    const bars1s = join(dir, 'bars-1s.csv');
    const original = exportTo(1, ['--bars', '1s'], bars1s);
    const fromBars = pairdesk('import', bars1s, '--db', db);
    expect(fromBars.status, fromBars.stderr).toBe(0);
    expect(fromBars.stdout).toBe('dataset 3\n');
    expect(exportTo(3, ['--bars', '1s'], join(dir, 'b3-1s.csv'))).toBe(original);
  });

  it('reports every bad line on stderr and writes the full reject report', () => {
    const file = join(FORMATS, 'bad-BTCUSDT-aggTrades-2024-07-18.csv');
    const r = pairdesk('import', file, '--db', db, '--symbol', 'BTCUSDT');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('dataset 1\n');
    const rejected = /rejected (\d+) lines?: /.exec(r.stderr);
    expect(rejected).not.toBeNull();
    const n = Number(rejected?.[1]);
    expect(r.stderr.match(/bad-BTCUSDT-aggTrades-2024-07-18\.csv:\d+ {2}/g)).toHaveLength(n);
    const report = /full reject report: (.+)$/m.exec(r.stderr)?.[1] ?? '';
    expect(existsSync(report)).toBe(true);
    expect(readFileSync(report, 'utf8').trim().split('\n')).toHaveLength(n + 1);
  });

  it('exits 1 with the accepted formats when nothing can be imported, leaving no dataset', () => {
    const junk = join(dir, 'notes.txt');
    writeFileSync(junk, 'hello\nworld\n');
    const r = pairdesk('import', junk, '--db', db);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/accepted formats: .*aggTrades/);
    const list = pairdesk('datasets', '--db', db);
    expect(list.stdout.trim()).toBe('no datasets');
  });

  it('asks for --symbol when the name does not say it, and takes it', () => {
    const file = join(dir, 'mystery.csv');
    writeFileSync(file, readFileSync(join(FORMATS, 'BTCUSDT-aggTrades-2024-07-18.csv')));
    const without = pairdesk('import', file, '--db', db);
    expect(without.status).toBe(1);
    expect(without.stderr).toMatch(/--symbol/);
    const withSymbol = pairdesk('import', file, '--db', db, '--symbol', 'btcusdt');
    expect(withSymbol.status, withSymbol.stderr).toBe(0);
    expect(withSymbol.stderr).toMatch(/of BTCUSDT into dataset/);
  });

  it('usage errors are one line, exit 2', () => {
    for (const args of [
      ['import', UM_2024_07_18],
      ['import', '--db', db],
      ['import', join(dir, 'missing.csv'), '--db', db],
      ['import', UM_2024_07_18, '--db', db, '--symbol', 'btc-usdt'],
    ]) {
      const r = pairdesk(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^pairdesk import: /);
    }
  });
});
