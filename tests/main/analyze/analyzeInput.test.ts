/**
 * `pairdesk analyze` on hand-made input: bad lines (counted, reported with file:line, good lines
 * kept), several files, gzip, truncated gzip, degenerate data (one symbol, too few bars, constant
 * series, empty file), and the CLI surface (--help, usage errors) through the real entry point.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { PairSummary } from '../../../src/core/analysis/pairAnalysis';
import {
  readAnalyticsCsv,
  referenceAlignedCloses,
  runAnalyzeCli,
  spawnCli,
  tempDir,
} from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const T0 = Date.UTC(2024, 6, 19, 0, 0, 0);
const HEADER = 'time,start_ms,close_a,close_b,hedge_ratio,spread,zscore,correlation';

/** Raw futures aggTrade payload in Binance's exact layout. */
function agg(s: string, a: number, p: string, T: number, q = '0.100'): string {
  return `{"e":"aggTrade","E":${T + 1},"s":"${s}","a":${a},"p":"${p}","q":"${q}","nq":"${q}","f":${a * 2},"l":${a * 2 + 1},"T":${T},"m":true}`;
}

/** Futures trade in the combined-stream envelope. */
function trade(s: string, t: number, p: string, T: number, X = 'MARKET'): string {
  return `{"stream":"${s.toLowerCase()}@trade","data":{"e":"trade","E":${T + 1},"T":${T},"s":"${s}","t":${t},"p":"${p}","q":"0.010","X":"${X}","m":false}}`;
}

function summaryOf(path: string): PairSummary {
  const text = readFileSync(path, 'utf8');
  expect(text).not.toMatch(/NaN|Infinity/);
  return JSON.parse(text) as PairSummary;
}

describe('bad lines', () => {
  // 12 seconds of both symbols, two trades a second each, plus bad and ignorable lines.
  const good: string[] = [];
  for (let s = 0; s < 12; s++) {
    const T = T0 + s * 1000;
    good.push(agg('BTCUSDT', 100 + 2 * s, (64000 + s * 3 + (s % 3)).toFixed(1), T + 100));
    good.push(trade('ETHUSDT', 500 + 2 * s, (3400 + s * 0.2 - (s % 2) * 0.05).toFixed(2), T + 200));
    good.push(agg('BTCUSDT', 101 + 2 * s, (64001 + s * 3).toFixed(1), T + 700));
    good.push(trade('ETHUSDT', 501 + 2 * s, (3400.1 + s * 0.2).toFixed(2), T + 900));
  }
  const lines: string[] = [
    ...good.slice(0, 4),
    '{not json', // 5: malformed_json
    agg('BTCUSDT', 900, 'abc', T0 + 1500), // 6: bad_price (decoder)
    ...good.slice(4, 10),
    agg('BTCUSDT', 901, '-5.0', T0 + 2500), // 13: bad_price (validator)
    good[2], // 14: duplicate aggTrade id 101
    '{"e":"depthUpdate","E":1,"s":"BTCUSDT"}', // 15: unknown_message
    '', // 16: blank, ignored
    '{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":1,"s":"BTCUSDT","b":"1.0","B":"1","a":"1.1","A":"1","T":1,"E":1}}', // 17: ignored
    trade('BTCUSDT', 777, '1.00', T0 + 3500, 'INSURANCE_FUND'), // 18: valid, not in bars
    agg('SOLUSDT', 5, '150.00', T0 + 3600), // 19: other symbol
    agg('BTCUSDT', 902, '64000.0', Date.UTC(2100, 0, 1)), // 20: implausible_time
    ...good.slice(10),
  ];
  const expectedRejects = [
    { line: 5, reason: 'malformed_json' },
    { line: 6, reason: 'bad_price' },
    { line: 13, reason: 'bad_price' },
    { line: 14, reason: 'duplicate' },
    { line: 15, reason: 'unknown_message' },
    { line: 20, reason: 'implausible_time' },
  ];
  // CRLF on one good line and no newline at the very end: both must still count as good lines.
  const text = `${lines.slice(0, 3).join('\n')}\r\n${lines.slice(3).join('\n')}`;
  const file = tmp.file('bad.ndjson');
  writeFileSync(file, text);
  const reference = referenceAlignedCloses(good.join('\n'), 'BTCUSDT', 'ETHUSDT');

  it('counts and reports every bad line with file:line and reason, keeps the good ones', async () => {
    const csv = tmp.file('bad.csv');
    const json = tmp.file('bad.json');
    const r = await runAnalyzeCli([
      file,
      '--pair',
      'btcusdt/ethusdt',
      '--window',
      '3',
      '--out',
      csv,
      '--json',
      json,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('rejected 6 lines');
    for (const e of expectedRejects)
      expect(r.stderr).toMatch(new RegExp(`bad\\.ndjson:${e.line}\\s+${e.reason}`));
    expect(r.stderr).toMatch(/bad_price 2/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toContain(`${good.length} trades into bars`);
    expect(r.stdout).toContain('1 non-MARKET');
    expect(r.stdout).toContain('1 trades of other symbols');
    expect(r.stdout).toContain('1 other messages');
    expect(r.stdout).toContain('6 rejected');

    const t = readAnalyticsCsv(csv);
    expect(t.header).toBe(HEADER);
    expect(t.rows).toBe(12);
    expect(t.col('start_ms')).toEqual(reference.startMs);
    expect(t.col('close_a')).toEqual(reference.a);
    expect(t.col('close_b')).toEqual(reference.b);
    const s = summaryOf(json);
    expect(s.bars).toBe(12);
    expect(s.ols.beta).not.toBeNull();
  });

  it('several files are read in order as one stream; line numbers are per file', async () => {
    const f1 = tmp.file('part1.ndjson');
    const f2 = tmp.file('part2.ndjson.gz');
    writeFileSync(f1, `${lines.slice(0, 12).join('\n')}\n`);
    writeFileSync(f2, gzipSync(`${lines.slice(12).join('\n')}\n`));
    const csv = tmp.file('parts.csv');
    const r = await runAnalyzeCli([
      f1,
      f2,
      '--pair',
      'BTCUSDT/ETHUSDT',
      '--window',
      '3',
      '--out',
      csv,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 files/);
    expect(r.stderr).toMatch(/part1\.ndjson:5\s+malformed_json/);
    expect(r.stderr).toMatch(/part2\.ndjson\.gz:2\s+duplicate/);
    expect(r.stderr).toMatch(/part2\.ndjson\.gz:8\s+implausible_time/);
    const t = readAnalyticsCsv(csv);
    expect(t.col('close_a')).toEqual(reference.a);
    expect(t.col('close_b')).toEqual(reference.b);
  });

  it('a truncated gzip keeps what was read, warns, and notes it in the summary', async () => {
    const gz = gzipSync(Buffer.from(`${lines.join('\n')}\n`.repeat(50)));
    const f = tmp.file('truncated.ndjson.gz');
    writeFileSync(f, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const json = tmp.file('truncated.json');
    const r = await runAnalyzeCli([
      f,
      '--pair',
      'BTCUSDT/ETHUSDT',
      '--window',
      '3',
      '--json',
      json,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /warning: input incomplete: .*truncated\.ndjson\.gz: gzip data ends early/,
    );
    const s = summaryOf(json);
    expect(s.notes.some((n) => n.includes('input incomplete'))).toBe(true);
  });
});

describe('degenerate input → nulls and plain notes (exit 0, no NaN), or an error when a symbol has no data', () => {
  it('one symbol only: an error naming what the input has, exit 1, nothing written', async () => {
    const f = tmp.file('btc-only.ndjson');
    writeFileSync(
      f,
      Array.from({ length: 50 }, (_, i) =>
        agg('BTCUSDT', i, (64000 + i).toFixed(1), T0 + i * 1000),
      ).join('\n'),
    );
    const csv = tmp.file('btc-only.csv');
    const json = tmp.file('btc-only.json');
    const r = await runAnalyzeCli([f, '--pair', 'BTCUSDT/ETHUSDT', '--out', csv, '--json', json]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('pairdesk analyze: no trades for ETHUSDT; the input has BTCUSDT');
    expect(existsSync(csv) || existsSync(json)).toBe(false);
  });

  it('too few bars: OLS defined, tests and Kalman null with reasons', async () => {
    const f = tmp.file('short.ndjson');
    const ls: string[] = [];
    for (let i = 0; i < 3; i++) {
      ls.push(agg('BTCUSDT', i, (64000 + i * 2 + (i % 3)).toFixed(1), T0 + i * 1000));
      ls.push(agg('ETHUSDT', i, (3400 + i * 0.1 + (i % 2) * 0.03).toFixed(2), T0 + i * 1000 + 1));
    }
    writeFileSync(f, `${ls.join('\n')}\n`);
    const csv = tmp.file('short.csv');
    const json = tmp.file('short.json');
    const r = await runAnalyzeCli([f, '--pair', 'BTCUSDT/ETHUSDT', '--out', csv, '--json', json]);
    expect(r.code).toBe(0);
    const s = summaryOf(json);
    expect(s.bars).toBe(3);
    expect(s.ols.beta).not.toBeNull();
    expect(s.kalman).toEqual({ beta: null, alpha: null, delta: 1e-7, ve: 10 });
    expect(s.adf.stat).toBeNull();
    expect(s.adf.crit).toEqual({ '1%': null, '5%': null, '10%': null });
    expect(s.eg.stat).toBeNull();
    expect(s.hurst).toBeNull();
    expect(s.half_life_bars).toBeNull();
    expect(s.notes.some((n) => /fewer than the window of 60/.test(n))).toBe(true);
    expect(s.notes.some((n) => /^ADF on the spread: not enough data/.test(n))).toBe(true);
    expect(
      s.notes.some((n) => /^Kalman filter: 3 bars do not get past the 60-bar warm-up/.test(n)),
    ).toBe(true);
    expect(s.notes.some((n) => /^Hurst exponent of the spread: not enough data/.test(n))).toBe(
      true,
    );
    const t = readAnalyticsCsv(csv);
    expect(t.rows).toBe(3);
    expect(t.col('zscore').every(Number.isNaN)).toBe(true);
    expect(t.col('correlation').every(Number.isNaN)).toBe(true);
  });

  it('constant B: no hedge ratio, spread-based results null', async () => {
    const f = tmp.file('flat.ndjson');
    const ls: string[] = [];
    for (let i = 0; i < 300; i++) {
      ls.push(
        agg(
          'BTCUSDT',
          i,
          (64000 + Math.round(10 * Math.sin(i / 7)) / 10).toFixed(1),
          T0 + i * 1000,
        ),
      );
      ls.push(agg('ETHUSDT', i, '3400.00', T0 + i * 1000 + 1));
    }
    writeFileSync(f, `${ls.join('\n')}\n`);
    const json = tmp.file('flat.json');
    const r = await runAnalyzeCli([f, '--pair', 'BTCUSDT/ETHUSDT', '--json', json]);
    expect(r.code).toBe(0);
    const s = summaryOf(json);
    expect(s.bars).toBe(300);
    expect(s.ols).toEqual({ beta: null, alpha: null, r2: null, se_beta: null });
    expect(s.adf.stat).toBeNull();
    expect(s.half_life_bars).toBeNull();
    expect(s.notes.some((n) => /OLS of A on B: constant series/.test(n))).toBe(true);
    expect(s.notes.some((n) => /spread undefined/.test(n))).toBe(true);
  });

  it('empty file: no trades at all, exit 1', async () => {
    const f = tmp.file('empty.ndjson');
    writeFileSync(f, '');
    const json = tmp.file('empty.json');
    const r = await runAnalyzeCli([f, '--pair', 'BTCUSDT/ETHUSDT', '--json', json]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'pairdesk analyze: no trades for BTCUSDT or ETHUSDT; the input has no trades at all',
    );
    expect(existsSync(json)).toBe(false);
  });
});

describe('CLI surface (spawned entry point)', () => {
  it('analyze --help lists the options and exits 0', () => {
    const r = spawnCli(['analyze', '--help']);
    expect(r.code).toBe(0);
    for (const opt of [
      '--pair',
      '--timeframe',
      '--window',
      '--lookback',
      '--hedge',
      '--out',
      '--json',
      'FILE...',
    ]) {
      expect(r.stdout).toContain(opt);
    }
  });

  it('usage errors: one line, exit 2, no stack trace', () => {
    const noPair = spawnCli(['analyze', 'x.ndjson']);
    expect(noPair.code).toBe(2);
    expect(noPair.stderr).toContain('--pair is required');
    const missing = spawnCli(['analyze', tmp.file('nope.ndjson'), '--pair', 'BTCUSDT/ETHUSDT']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.ndjson: no such file/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('bad option values are usage errors (in-process)', async () => {
    const f = tmp.file('any.ndjson');
    writeFileSync(f, '');
    expect((await runAnalyzeCli([f, '--pair', 'BTCUSDT'])).code).toBe(2);
    expect((await runAnalyzeCli([f, '--pair', 'BTCUSDT/BTCUSDT'])).code).toBe(2);
    expect((await runAnalyzeCli([f, '--pair', 'BTCUSDT/ETHUSDT', '--timeframe', '2s'])).code).toBe(
      2,
    );
    expect((await runAnalyzeCli([f, '--pair', 'BTCUSDT/ETHUSDT', '--window', '1'])).code).toBe(2);
    expect((await runAnalyzeCli([f, '--pair', 'BTCUSDT/ETHUSDT', '--hedge', 'magic'])).code).toBe(
      2,
    );
    expect((await runAnalyzeCli([f, '--pair', 'BTCUSDT/ETHUSDT', '--lookback', '0'])).code).toBe(2);
  });

  it('an unwritable output is reported in one line, exit 1', async () => {
    const f = tmp.file('any2.ndjson');
    writeFileSync(f, `${agg('BTCUSDT', 1, '64000.0', T0)}\n${agg('ETHUSDT', 1, '3400.00', T0)}\n`);
    const r = await runAnalyzeCli([
      f,
      '--pair',
      'BTCUSDT/ETHUSDT',
      '--out',
      tmp.file('no/such/dir/a.csv'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ENOENT/);
    expect(r.stderr.split('\n')).toHaveLength(1);
  });
});
