import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANALYTICS_CSV_HEADER } from '../../../src/core/analysis/analyticsCsv';
import { ACCEPTED_FORMATS, detectFormat } from '../../../src/core/formats/detect';
import { BAR_CSV_HEADER, TICK_CSV_HEADER } from '../../../src/core/formats/exportHeaders';
import { symbolFromFileName } from '../../../src/core/formats/fileName';
import { REPO_ROOT, UM_2024_07_18 } from '../../support/realData';

const DIR = join(REPO_ROOT, 'tests/fixtures/formats');
const head = (file: string): string[] =>
  readFileSync(join(DIR, file), 'utf8').split('\n').slice(0, 10);

describe('detectFormat', () => {
  it.each([
    ['BTCUSDT-aggTrades-2024-07-18.csv', 'aggTrades', true, 'futures', 'ms'],
    ['spot-ms-BTCUSDT-aggTrades-2024-07-18.csv', 'aggTrades', false, 'spot', 'ms'],
    ['spot-us-BTCUSDT-aggTrades-2024-07-18.csv', 'aggTrades', false, 'spot', 'us'],
    ['bad-BTCUSDT-aggTrades-2024-07-18.csv', 'aggTrades', true, 'futures', 'ms'],
    ['BTCUSDT-trades-2024-07-18.csv', 'trades', true, 'futures', 'ms'],
    ['spot-ms-BTCUSDT-trades-2024-07-18.csv', 'trades', false, 'spot', 'ms'],
    ['spot-us-BTCUSDT-trades-2024-07-18.csv', 'trades', false, 'spot', 'us'],
    ['BTCUSDT-1m-2024-07-18.csv', 'klines', true, undefined, 'ms'],
    ['spot-us-BTCUSDT-1s-2024-07-18.csv', 'klines', false, undefined, 'us'],
    ['ETHUSDT-bookTicker-2024-07-18.csv', 'bookTicker', true, undefined, 'ms'],
  ])('%s → %s', (file, format, hasHeader, market, timeUnit) => {
    const d = detectFormat(head(file), file);
    expect(d).toMatchObject({ ok: true, format, hasHeader, timeUnit });
    if (d.ok) expect(d.market).toBe(market);
    expect(d.reason.length).toBeGreaterThan(10);
  });

  it('headerless futures aggTrades (7 columns) and trades (6 columns), and bookTicker', () => {
    expect(detectFormat(['1,2.5,1,1,1,1721347022956,true'])).toMatchObject({
      ok: true,
      format: 'aggTrades',
      market: 'futures',
      hasHeader: false,
    });
    expect(detectFormat(['1,2.5,1,2.5,1721347022956,false'])).toMatchObject({
      ok: true,
      format: 'trades',
      market: 'futures',
    });
    expect(detectFormat(['1,2.5,1,2.6,3,1721347022956,1721347022956'])).toMatchObject({
      ok: true,
      format: 'bookTicker',
      hasHeader: false,
    });
  });

  it('NDJSON captures: combined envelope and raw', () => {
    const lines = gunzipSync(readFileSync(UM_2024_07_18)).toString('utf8').split('\n', 5);
    expect(detectFormat(lines)).toMatchObject({ ok: true, format: 'ndjson-combined' });
    const raw = lines.map((l) => JSON.stringify((JSON.parse(l) as { data: unknown }).data));
    expect(detectFormat(raw)).toMatchObject({ ok: true, format: 'ndjson-raw' });
  });

  it("PairDesk's own exports", () => {
    expect(detectFormat([TICK_CSV_HEADER.join(',')])).toMatchObject({
      ok: true,
      format: 'pairdesk-ticks',
    });
    expect(
      detectFormat([BAR_CSV_HEADER.join(','), 'BTCUSDT,1000,1,1,1,1,1,1,1,0,1']),
    ).toMatchObject({
      ok: true,
      format: 'pairdesk-bars',
    });
    expect(detectFormat([ANALYTICS_CSV_HEADER.trimEnd()])).toMatchObject({
      ok: true,
      format: 'pairdesk-analytics',
    });
  });

  it('content wins over the file name; blank lines and a BOM are ignored', () => {
    const d = detectFormat(
      ['', '\uFEFF' + head('BTCUSDT-trades-2024-07-18.csv')[0]],
      'BTCUSDT-aggTrades-2024-07-18.zip',
    );
    expect(d).toMatchObject({ ok: true, format: 'trades' });
    expect(d.reason).toContain('file name says BTCUSDT aggTrades');
  });

  it('unrecognised input says which formats are accepted', () => {
    for (const lines of [['time;open;high'], ['{"hello":1}'], [], ['{not json']]) {
      const d = detectFormat(lines);
      expect(d.ok).toBe(false);
      expect(d.reason).toContain(ACCEPTED_FORMATS);
    }
  });
});

describe('symbolFromFileName', () => {
  it('reads the Binance archive names', () => {
    expect(symbolFromFileName('BTCUSDT-aggTrades-2024-07-18.zip')).toEqual({
      symbol: 'BTCUSDT',
      kind: 'aggTrades',
      date: '2024-07-18',
    });
    expect(symbolFromFileName('/data/x/BTCUSDT-trades-2024-07-18.csv')).toEqual({
      symbol: 'BTCUSDT',
      kind: 'trades',
      date: '2024-07-18',
    });
    expect(symbolFromFileName('C:\\dl\\BTCUSDT-1m-2024-07-18.zip')).toEqual({
      symbol: 'BTCUSDT',
      kind: 'klines',
      interval: '1m',
      intervalMs: 60_000,
      date: '2024-07-18',
    });
    expect(symbolFromFileName('ETHUSDT-bookTicker-2024-07-18.csv')).toEqual({
      symbol: 'ETHUSDT',
      kind: 'bookTicker',
      date: '2024-07-18',
    });
    expect(symbolFromFileName('BTCUSDT-4h-2024-07.zip')).toMatchObject({
      interval: '4h',
      intervalMs: 14_400_000,
      date: '2024-07',
    });
    expect(symbolFromFileName('BTCUSDT-1M-2024-07.zip')).toEqual({
      symbol: 'BTCUSDT',
      kind: 'klines',
      interval: '1M',
      date: '2024-07',
    });
  });

  it('null when not recognisable', () => {
    for (const name of [
      'capture.ndjson.gz',
      'BTCUSDT-aggTrades.zip',
      'BTCUSDT-foo-2024-07-18.zip',
      'BTCUSDT-1m-2024-13-18.zip',
      'BTCUSDT-aggTrades-2024-07-18.zip.part',
      '',
    ]) {
      expect(symbolFromFileName(name)).toBeNull();
    }
  });
});
