/**
 * Issue #8 §4 (and two items of §3): every wrong use of the CLI gets one plain line on stderr
 * and a non-zero exit — 2 for usage errors, 1 for failures — and never a stack trace. Spawns the
 * built CLI (out/cli, what `npm run pairdesk` runs) against real files, ports and a local feed on
 * 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startFeedServer } from '../../../src/main/feedserver';
import { closest, editDistance } from '../../../src/main/cli/suggest';
import { cliArgs } from '../../support/cli';
import { REPO_ROOT } from '../../support/realData';
import { ACCEPTED_FORMATS } from '../../../src/core/formats/detect';

const dir = mkdtempSync(join(tmpdir(), 'pairdesk-wrong-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string): string => join(dir, name);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stderr lines, without empty ones. */
  errLines: string[];
}

/** Runs `pairdesk <args>` asynchronously (a feed server in this process must keep serving). */
function pairdesk(args: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(args), { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pairdesk ${args.join(' ')} did not exit in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, errLines: stderr.split('\n').filter((l) => l !== '') });
    });
  });
}

function expectNoStack(r: Run): void {
  expect(r.stderr).not.toContain('    at ');
  expect(r.stdout).not.toContain('    at ');
}

/** One stderr line, exactly `line`, and this exit code. */
function expectOneLine(r: Run, line: string, code: number): void {
  expect(r.errLines).toEqual([line]);
  expect(r.code).toBe(code);
  expectNoStack(r);
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function busyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, server };
}

const T0 = Date.UTC(2024, 6, 19, 0, 0, 0);
function agg(s: string, a: number, p: string, T: number): string {
  return `{"e":"aggTrade","E":${T + 1},"s":"${s}","a":${a},"p":"${p}","q":"0.100","nq":"0.100","f":${a},"l":${a},"T":${T},"m":true}`;
}
/** A small capture of BTCUSDT and ETHUSDT, combined-stream envelope. */
function capture(seconds: number): string {
  const lines: string[] = [];
  for (let i = 0; i < seconds; i++) {
    for (const [s, p] of [
      ['BTCUSDT', 64000 + i],
      ['ETHUSDT', 3400 + i / 10],
    ] as const) {
      lines.push(
        `{"stream":"${s.toLowerCase()}@aggTrade","data":${agg(s, 100 + i, p.toFixed(2), T0 + i * 1000)}}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('the edit-distance helper', () => {
  it('counts an adjacent swap as one edit and suggests only near names', () => {
    expect(editDistance('analyse', 'analyze')).toBe(1);
    expect(editDistance('tiemframe', 'timeframe')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closest('--timefram', ['--timeframe', '--window'])).toBe('--timeframe');
    expect(closest('exprot', ['export', 'datasets'])).toBe('export');
    expect(closest('--time', ['--timeframe', '--window'])).toBe('--timeframe');
    expect(closest('frobnicate', ['serve', 'export'])).toBeUndefined();
  });
});

describe('usage errors: one line, exit 2', () => {
  it('an unknown command names the nearest one', async () => {
    expectOneLine(
      await pairdesk(['analyse', 'x.ndjson']),
      'pairdesk: unknown command analyse (did you mean analyze?)',
      2,
    );
    expectOneLine(
      await pairdesk(['frobnicate']),
      'pairdesk: unknown command frobnicate (commands: serve, simulate, record, export, import, datasets, analyze)',
      2,
    );
  });

  it('an unknown option names the nearest one instead of parseArgs’ text', async () => {
    expectOneLine(
      await pairdesk(['analyze', 'x.ndjson', '--pair', 'BTCUSDT/ETHUSDT', '--timefram', '1s']),
      'pairdesk analyze: unknown option --timefram (did you mean --timeframe?)',
      2,
    );
    expectOneLine(
      await pairdesk(['export', '--db', 'x.db', '--tick', '--out', 'a.csv']),
      'pairdesk export: unknown option --tick (did you mean --ticks?)',
      2,
    );
    expectOneLine(
      await pairdesk(['datasets', '--frobnicate']),
      'pairdesk datasets: unknown option --frobnicate (see npm run pairdesk -- datasets --help)',
      2,
    );
    expectOneLine(
      await pairdesk(['analyze', 'x.ndjson', '--pair']),
      'pairdesk analyze: --pair needs a value',
      2,
    );
  });

  it('analyze refuses a bar file of unknown timeframe and a file of no known format, saying what is accepted', async () => {
    const csv = file('bars-1m.csv');
    writeFileSync(
      csv,
      'symbol,start_ms,open,high,low,close,volume,quote_volume,trades,taker_buy_volume,vwap\n' +
        'BTCUSDT,1721347020000,64000,64001,63999,64000.5,1.2,76800,12,0.6,64000.2\n',
    );
    expectOneLine(
      await pairdesk(['analyze', csv, '--pair', 'BTCUSDT/ETHUSDT']),
      `pairdesk analyze: ${csv} holds pairdesk-bars bars of an unknown timeframe (fewer than two bars of one symbol in its first lines)`,
      2,
    );
    const text = file('notes.txt');
    writeFileSync(text, 'just some notes\nnothing else\n');
    expectOneLine(
      await pairdesk(['analyze', text, '--pair', 'BTCUSDT/ETHUSDT']),
      `pairdesk analyze: ${text}: not a recognised format (first line has 1 column, no known header); accepted formats: ${ACCEPTED_FORMATS}`,
      2,
    );
  });
});

describe('failures: one line, exit 1', () => {
  it('analyze: no trades for a requested symbol names the symbols the input has', async () => {
    const f = file('pair.ndjson');
    writeFileSync(f, capture(5));
    expectOneLine(
      await pairdesk(['analyze', f, '--pair', 'BTC/ETH']),
      'pairdesk analyze: no trades for BTC or ETH; the input has BTCUSDT, ETHUSDT',
      1,
    );
    expectOneLine(
      await pairdesk(['analyze', f, '--pair', 'BTCUSDT/SOLUSDT']),
      'pairdesk analyze: no trades for SOLUSDT; the input has BTCUSDT, ETHUSDT',
      1,
    );
  });

  it('export and datasets: a missing database is named, and not created', async () => {
    const db = file('nosuch.db');
    expectOneLine(
      await pairdesk(['export', '--db', db, '--ticks', '--out', file('t.csv')]),
      `pairdesk export: database ${db} does not exist`,
      1,
    );
    expectOneLine(
      await pairdesk(['datasets', '--db', db]),
      `pairdesk datasets: database ${db} does not exist`,
      1,
    );
    expect(existsSync(db)).toBe(false);
    const notDb = file('not-a.db');
    writeFileSync(notDb, 'hello, not SQLite at all '.repeat(100));
    expectOneLine(
      await pairdesk(['datasets', '--db', notDb]),
      `pairdesk datasets: ${notDb} is not a SQLite database`,
      1,
    );
  });

  it('simulate and serve on a busy port say the port is in use', async () => {
    const { port, server } = await busyPort();
    try {
      expectOneLine(
        await pairdesk(['simulate', '--port', String(port), '--duration', '1']),
        `pairdesk simulate: port ${port} on 127.0.0.1 is in use; choose another with --port`,
        1,
      );
      const serve = await pairdesk([
        'serve',
        '--port',
        String(port),
        '--source',
        'demo',
        '--db',
        file('serve.db'),
        '--duration',
        '1',
      ]);
      expectOneLine(
        serve,
        `pairdesk serve: port ${port} on 127.0.0.1 is in use; choose another with --port`,
        1,
      );
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('record to a closed port: connection refused, retried, then exit 1 with nothing recorded', async () => {
    const port = await freePort();
    const r = await pairdesk([
      'record',
      '--symbols',
      'btcusdt,ethusdt',
      '--db',
      file('refused.db'),
      '--url',
      `ws://127.0.0.1:${port}`,
      '--duration',
      '3',
    ]);
    expect(r.code).toBe(1);
    expectNoStack(r);
    const retries = r.errLines.slice(0, -1);
    expect(retries.length).toBeGreaterThan(0);
    for (const line of retries) {
      expect(line).toMatch(
        new RegExp(
          `^\\[record\\] connection refused by 127\\.0\\.0\\.1:${port}, retrying in \\d+\\.\\d s$`,
        ),
      );
    }
    expect(r.errLines.at(-1)).toBe(
      `pairdesk record: nothing recorded in 3 s: connection refused by 127.0.0.1:${port} (${retries.length} attempt${retries.length === 1 ? '' : 's'})`,
    );
    expect(r.stdout).not.toContain('code 1006');
  });
});

describe('record against the local feed', () => {
  it('unknown symbols: a warning 10 s after the acknowledgement, exit 1 at the end of --duration', async () => {
    const feed = await startFeedServer({
      port: 0,
      source: { kind: 'sim', symbols: ['BTCUSDT', 'ETHUSDT'], rate: 50, seed: 1 },
    });
    try {
      const r = await pairdesk([
        'record',
        '--symbols',
        'btc,eth',
        '--db',
        file('unknown.db'),
        '--url',
        feed.url,
        '--duration',
        '12',
      ]);
      expect(r.code).toBe(1);
      expectNoStack(r);
      for (const [s, eg] of [
        ['BTC', 'BTCUSDT'],
        ['ETH', 'ETHUSDT'],
      ]) {
        // Checked once a second: 10 s, or 11 under a heavily loaded machine.
        const warning = new RegExp(
          `^\\[record\\] warning: no trades for ${s} since the subscription was acknowledged 1[01] s ago: is it a Binance USD-M symbol \\(e\\.g\\. ${eg}\\)\\?$`,
        );
        expect(r.errLines.filter((l) => warning.test(l))).toHaveLength(1);
      }
      expect(r.errLines.at(-1)).toBe(
        'pairdesk record: nothing recorded in 12 s: the feed sent no trades for BTC, ETH; are they Binance USD-M symbols (e.g. BTCUSDT)?',
      );
    } finally {
      await feed.close();
    }
  }, 40_000);

  it('files the simulator as demo and a replay as replay, with labels saying so; datasets prints tick times', async () => {
    const db = file('sources.db');
    const sim = await startFeedServer({
      port: 0,
      source: { kind: 'sim', symbols: ['BTCUSDT', 'ETHUSDT'], rate: 200, seed: 3 },
    });
    const capturePath = file('small-capture.ndjson');
    writeFileSync(capturePath, capture(30));
    const replay = await startFeedServer({
      port: 0,
      source: {
        kind: 'replay',
        file: capturePath,
        speed: Number.POSITIVE_INFINITY,
        startOnFirstSubscriber: true,
      },
    });
    try {
      const [fromSim, fromReplay] = await Promise.all([
        pairdesk([
          'record',
          '--symbols',
          'btcusdt,ethusdt',
          '--db',
          db,
          '--url',
          sim.url,
          '--duration',
          '3',
        ]),
        pairdesk([
          'record',
          '--symbols',
          'btcusdt,ethusdt',
          '--db',
          file('replay.db'),
          '--url',
          replay.url,
          '--duration',
          '3',
        ]),
      ]);
      for (const r of [fromSim, fromReplay]) {
        expect(r.code, r.stderr).toBe(0);
        expectNoStack(r);
      }
      expect(fromSim.stdout).toContain(
        `[record] dataset 1 (demo, Simulated market (${sim.url})) — the feed says it serves a simulated market`,
      );
      expect(fromReplay.stdout).toContain(
        `[record] dataset 1 (replay, Replay small-capture.ndjson (${replay.url})) — the feed says it serves a replay of small-capture.ndjson`,
      );

      const listed = await pairdesk(['datasets', '--db', file('replay.db')]);
      expect(listed.code).toBe(0);
      const row = listed.stdout.split('\n')[1].split('\t');
      expect(row.slice(0, 2)).toEqual(['1', 'replay']);
      // The first and last ticks of the capture, not the start of its 5-minute bar.
      expect(row[4]).toBe(new Date(T0).toISOString());
      expect(row[5]).toBe(new Date(T0 + 29_000).toISOString());

      const simListed = await pairdesk(['datasets', '--db', db]);
      const simRow = simListed.stdout.split('\n')[1].split('\t');
      expect(simRow[1]).toBe('demo');
      const store = new Database(db, { readonly: true });
      try {
        const span = store
          .prepare('SELECT min(time_ms) AS first, max(time_ms) AS last FROM ticks')
          .get() as { first: number; last: number };
        expect(simRow[4]).toBe(new Date(span.first).toISOString());
        expect(simRow[5]).toBe(new Date(span.last).toISOString());
      } finally {
        store.close();
      }

      // An output folder that does not exist: one line before any row is written.
      const missing = join(dir, 'no-such-folder', 'ticks.csv');
      expectOneLine(
        await pairdesk(['export', '--db', db, '--ticks', '--out', missing]),
        `pairdesk export: cannot write ${missing}: no such folder ${join(dir, 'no-such-folder')}`,
        1,
      );
    } finally {
      await Promise.all([sim.close(), replay.close()]);
    }
  }, 40_000);
});
