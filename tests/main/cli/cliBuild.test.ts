/**
 * The built CLI (scripts/cliBuild.mjs → out/cli): complete, linked, equal in behaviour to the
 * TypeScript sources, and rebuilt exactly when a source changes.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { init, parse } from 'es-module-lexer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_OUT } from '../../../scripts/cliBuild.mjs';
import { cliArgs } from '../../support/cli';
import { REPO_ROOT, UM_2024_07_18 } from '../../support/realData';

function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, suffix));
    else if (entry.name.endsWith(suffix)) out.push(path);
  }
  return out;
}

describe('the built CLI in out/cli (built by the test run’s globalSetup)', () => {
  it('has one module per source module outside src/main/electron', () => {
    const sources = [
      ...filesUnder(join(REPO_ROOT, 'src', 'core'), '.ts'),
      ...filesUnder(join(REPO_ROOT, 'src', 'main'), '.ts'),
    ]
      .filter((f) => !f.endsWith('.d.ts') && !f.includes(`${join('src', 'main', 'electron')}`))
      .map((f) => relative(join(REPO_ROOT, 'src'), f).replace(/\.ts$/, '.js'))
      .sort();
    const built = filesUnder(CLI_OUT, '.js')
      .map((f) => relative(CLI_OUT, f))
      .sort();
    expect(built).toEqual(sources);
    expect(existsSync(join(CLI_OUT, 'main', 'analytics', 'analyticsWorker.js'))).toBe(true);
  });

  it('links every relative import, static and dynamic, to a built file', async () => {
    await init;
    let checked = 0;
    const broken: string[] = [];
    for (const file of filesUnder(CLI_OUT, '.js')) {
      const [imports] = parse(readFileSync(file, 'utf8'), file);
      for (const imp of imports) {
        if (imp.n === undefined || !imp.n.startsWith('.')) continue;
        checked++;
        if (!imp.n.endsWith('.js') || !existsSync(resolve(dirname(file), imp.n))) {
          broken.push(`${relative(CLI_OUT, file)} → ${imp.n}`);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('writes the same analytics.csv and summary.json as the TypeScript sources', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pairdesk-clibuild-'));
    try {
      const run = (argv: string[], tag: string): void => {
        const args = [
          'analyze',
          UM_2024_07_18,
          '--pair',
          'BTCUSDT/ETHUSDT',
          '--timeframe',
          '1s',
          '--hedge',
          'kalman',
          '--out',
          join(dir, `${tag}.csv`),
          '--json',
          join(dir, `${tag}.json`),
        ];
        const res = spawnSync(process.execPath, [...argv, ...args], {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        });
        expect(res.status, res.stderr).toBe(0);
      };
      run(cliArgs([]), 'built');
      run(['--import', 'tsx', 'src/main/cli/index.ts'], 'source');
      const built = readFileSync(join(dir, 'built.csv'), 'utf8');
      expect(built.split('\n').length).toBeGreaterThan(100);
      expect(built).toBe(readFileSync(join(dir, 'source.csv'), 'utf8'));
      expect(readFileSync(join(dir, 'built.json'), 'utf8')).toBe(
        readFileSync(join(dir, 'source.json'), 'utf8'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run pairdesk (scripts/pairdesk.mjs) in a copy of the project', () => {
  let project: string;

  beforeAll(() => {
    // A project of its own, so touching a source cannot disturb the other tests' out/cli.
    project = mkdtempSync(join(tmpdir(), 'pairdesk-project-'));
    for (const part of ['src/core', 'src/main', 'scripts', 'package.json', 'tsconfig.json']) {
      cpSync(join(REPO_ROOT, part), join(project, part), { recursive: true });
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const pairdesk = (...args: string[]) =>
    spawnSync(process.execPath, [join(project, 'scripts', 'pairdesk.mjs'), ...args], {
      cwd: project,
      encoding: 'utf8',
    });

  it('builds on first run, reuses a fresh build, rebuilds when a source changes', () => {
    const first = pairdesk('datasets', '--help');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/built the CLI into out\/cli \(first run; \d+ modules/);
    expect(first.stdout).toMatch(/datasets/);

    const second = pairdesk('datasets', '--help');
    expect(second.status).toBe(0);
    expect(second.stderr).not.toMatch(/built the CLI/);

    // Dated in the future: rebuilt once, then reused (not rebuilt until that time passes).
    const source = join(project, 'src', 'core', 'stats', 'ols.ts');
    const later = new Date(Date.now() + 60_000);
    utimesSync(source, later, later);
    const third = pairdesk('datasets', '--help');
    expect(third.status).toBe(0);
    expect(third.stderr).toMatch(/built the CLI into out\/cli \(sources changed;/);
    expect(pairdesk('datasets', '--help').stderr).not.toMatch(/built the CLI/);

    // Restored with an older time (cp -p, a backup): older than the build, still a change.
    const past = new Date(Date.now() - 100_000);
    utimesSync(source, past, past);
    expect(pairdesk('datasets', '--help').stderr).toMatch(/sources changed/);
    expect(pairdesk('datasets', '--help').stderr).not.toMatch(/built the CLI/);
  });

  it('rebuilds when a source is added or deleted, and the build follows', () => {
    const unused = join(project, 'src', 'core', 'unusedScratch.ts');
    const built = join(project, 'out', 'cli', 'core', 'unusedScratch.js');
    expect(pairdesk('datasets', '--help').stderr).not.toMatch(/built the CLI/);
    writeFileSync(unused, 'export const unused = 1;\n');
    expect(pairdesk('datasets', '--help').stderr).toMatch(/sources changed/);
    expect(existsSync(built)).toBe(true);
    expect(pairdesk('datasets', '--help').stderr).not.toMatch(/built the CLI/);

    rmSync(unused);
    expect(pairdesk('datasets', '--help').stderr).toMatch(/sources changed/);
    expect(existsSync(built)).toBe(false);
  });

  it('exits with the command’s own status and message', () => {
    const res = pairdesk(
      'analyze',
      join(project, 'no-such-file.ndjson'),
      '--pair',
      'BTCUSDT/ETHUSDT',
    );
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/pairdesk analyze: .*no-such-file\.ndjson/);
  });
});
