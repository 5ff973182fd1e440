/**
 * PairDesk's own exports read back losslessly (#10): the real capture's ticks written as
 * `export --ticks` text, its 1 s / 1 m / 5 m bars as `export --bars` text and its analytics
 * series as the analytics CSV, each read back through detectFormat/inspectHead + createRowReader,
 * give exactly what was written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AnalyticsCsvReader,
  type AnalyticsCsvRow,
} from '../../../src/core/formats/analyticsCsvReader';
import {
  analyticsFileName,
  parseAnalyticsFileName,
} from '../../../src/core/formats/analyticsFileName';
import { inferTimeframeMs } from '../../../src/core/formats/barTimeframe';
import { inspectHead } from '../../../src/core/formats/inspect';
import type { ImportRow } from '../../../src/core/formats/rowReader';
import { createRowReader } from '../../../src/core/formats/rowReaders';
import type { Bar, Tick } from '../../../src/core/market/types';
import {
  analyticsOf,
  barExportText,
  barsOf,
  loadCapture,
  tickExportText,
} from '../../../scripts/make-format-fixtures';
import { REPO_ROOT } from '../../support/realData';

const DIR = join(REPO_ROOT, 'tests/fixtures/formats');
const { ticks } = loadCapture();

function lines(text: string): string[] {
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/** Reads `text` as the file `name` through inspectHead + createRowReader; the rows and reader. */
function importText(text: string, name: string, extra: { pair?: [string, string] } = {}) {
  const all = lines(text);
  const head = inspectHead(all.slice(0, 20), name);
  if (!head.detection.ok) throw new Error(head.detection.reason);
  const reader = createRowReader({
    detected: head.detection,
    timeframeMs: head.barsTimeframeMs ?? undefined,
    pair:
      extra.pair ?? (head.symbols.length === 2 ? [head.symbols[0], head.symbols[1]] : undefined),
  });
  if ('error' in reader) throw new Error(reader.error);
  const rows: ImportRow[] = [];
  all.forEach((line, i) => {
    const r = reader.push(line, i + 1);
    if (r.kind === 'item') rows.push(r.item);
  });
  return { head, reader, rows };
}

const bySymbolThenTime = (a: Bar, b: Bar): number =>
  a.symbol.localeCompare(b.symbol) || a.startMs - b.startMs;

describe('PairDesk tick export', () => {
  it('the real capture’s ticks → export --ticks text → read back: identical ticks', () => {
    const { head, reader, rows } = importText(tickExportText(ticks), 'ticks.csv');
    expect(head.detection).toMatchObject({ ok: true, format: 'pairdesk-ticks' });
    expect(head.replayable).toBe(true);
    expect(head.needsSymbol).toBe(false);
    expect(reader.yields).toBe('ticks');
    expect(reader.tally.rejected).toBe(0);
    const got = rows.map((r) => (r.kind === 'tick' ? r.tick : null));
    // What the file holds is exact; what it does not (event time, stream) is filled as documented.
    const want: Tick[] = ticks.map((t) => ({
      ...t,
      eventTimeMs: t.timeMs,
      stream: 'aggTrade',
      tradeType: 'MARKET',
    }));
    expect(got).toHaveLength(24_356);
    expect(got).toEqual(want);
  });

  it('the committed fixture names both symbols in its head; a bad line is reported with its field', () => {
    const text = readFileSync(join(DIR, 'pairdesk-ticks.csv'), 'utf8');
    const all = lines(text);
    expect(inspectHead(all, 'pairdesk-ticks.csv').symbols).toEqual(['BTCUSDT', 'ETHUSDT']);
    const bad = [
      all[0],
      all[1],
      all[1],
      all[2].replace(/,true$|,false$/, ',yes'),
      'btc,1,2,3,4,true',
    ];
    const { reader, rows } = importText(bad.join('\n'), 'x.csv');
    expect(rows).toHaveLength(1);
    expect(reader.tally.firstRejects.map((r) => [r.line, r.reason, r.field])).toEqual([
      [3, 'duplicate', 'trade_id'],
      [4, 'bad_flag', 'is_buyer_maker'],
      [5, 'implausible_time', 'time_ms'],
    ]);
  });
});

describe('PairDesk bar export', () => {
  for (const tf of [1000, 60_000, 300_000]) {
    it(`the capture’s ${tf / 1000} s bars → export --bars text → read back: identical bars`, () => {
      const want = barsOf(ticks, [tf]).sort(bySymbolThenTime);
      const { head, reader, rows } = importText(barExportText(want), 'bars.csv');
      expect(head.detection).toMatchObject({ ok: true, format: 'pairdesk-bars' });
      expect(head.barsTimeframeMs).toBe(tf);
      expect(head.replayable).toBe(false);
      expect(reader.tally.rejected).toBe(0);
      expect(rows.map((r) => (r.kind === 'bar' ? r.bar : null))).toEqual(want);
    });
  }

  it('numbers the writer puts in exponent form, −0, and the empty vwap of a zero-volume bar', () => {
    const odd: Bar[] = [
      {
        symbol: 'XYZUSDT',
        timeframeMs: 1000,
        startMs: 1_721_347_022_000,
        open: 1e-7,
        high: 2.5e-7,
        low: 1e-7,
        close: (1 / 7) * 1e-6, // 17 significant digits in exponent form
        volume: 0,
        quoteVolume: -0,
        trades: 0,
        takerBuyVolume: 1e21,
        vwap: NaN,
      },
      {
        symbol: 'XYZUSDT',
        timeframeMs: 1000,
        startMs: 1_721_347_023_000,
        open: 0.1 + 0.2,
        high: 0.30000000000000004,
        low: 0.3,
        close: 0.3,
        volume: 123456789.12345679,
        quoteVolume: 5e-324,
        trades: 9_007_199_254_740_991,
        takerBuyVolume: 0,
        vwap: 0.30000000000000004,
      },
    ];
    const text = barExportText(odd);
    expect(text).toContain('1e-7');
    expect(text).toContain(',-0,');
    const { rows } = importText(text, 'bars.csv');
    const got = rows.map((r) => (r.kind === 'bar' ? r.bar : null));
    expect(got).toEqual(odd);
    expect(Object.is(got[0]?.quoteVolume, -0)).toBe(true);
    expect(Number.isNaN(got[0]?.vwap)).toBe(true);
  });

  it('inferTimeframeMs: the smallest positive gap; null without two distinct starts', () => {
    expect(inferTimeframeMs([0, 120_000, 180_000, 300_000])).toBe(60_000);
    expect(inferTimeframeMs([5, 5])).toBeNull();
    expect(inferTimeframeMs([7])).toBeNull();
    expect(inferTimeframeMs([300, 0, 100])).toBe(100);
  });
});

describe('analytics CSV', () => {
  const { series, text } = analyticsOf(ticks, 1000);
  const n = series.startMs.length;
  const nullable = (x: number): number | null => (Number.isNaN(x) ? null : x);

  it('reads back every column exactly (empty = null)', () => {
    const reader = new AnalyticsCsvReader(1000);
    const got: AnalyticsCsvRow[] = [];
    lines(text).forEach((l, i) => {
      const r = reader.push(l, i + 1);
      if (r.kind === 'item') got.push(r.item);
    });
    expect(reader.tally.rejected).toBe(0);
    expect(got).toHaveLength(n);
    const want: AnalyticsCsvRow[] = [];
    for (let i = 0; i < n; i++) {
      want.push({
        time: new Date(series.startMs[i]).toISOString(),
        startMs: series.startMs[i],
        closeA: series.a[i],
        closeB: series.b[i],
        hedgeRatio: nullable(series.hedgeRatio[i]),
        spread: nullable(series.spread[i]),
        zscore: nullable(series.zscore[i]),
        correlation: nullable(series.correlation[i]),
      });
    }
    expect(got).toEqual(want);
    expect(got.filter((r) => r.zscore === null).length).toBeGreaterThan(0);
    expect(got.filter((r) => r.zscore !== null).length).toBeGreaterThan(100);
  });

  it('as an import: the name gives pair and timeframe; each line two close-only bars', () => {
    const name = analyticsFileName(
      ['BTCUSDT', 'ETHUSDT'],
      '1s',
      series.startMs[0],
      series.startMs[n - 1],
    );
    expect(name).toBe('BTCUSDT-ETHUSDT-1s-analytics-20240718T2357Z-20240719T0005Z.csv');
    expect(readFileSync(join(DIR, name), 'utf8')).toBe(text);
    expect(parseAnalyticsFileName(`/tmp/${name}`)).toEqual({
      pair: ['BTCUSDT', 'ETHUSDT'],
      timeframe: '1s',
      timeframeMs: 1000,
    });
    const { head, reader, rows } = importText(text, name);
    expect(head).toMatchObject({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      needsSymbol: false,
      barsTimeframeMs: 1000,
    });
    expect(reader.yields).toBe('bars');
    expect(rows).toHaveLength(n);
    const closeOnly = (symbol: string, startMs: number, close: number): Bar => ({
      symbol,
      timeframeMs: 1000,
      startMs,
      open: close,
      high: close,
      low: close,
      close,
      volume: 0,
      quoteVolume: 0,
      trades: 0,
      takerBuyVolume: 0,
      vwap: NaN,
    });
    rows.forEach((r, i) => {
      expect(r).toEqual({
        kind: 'bar',
        bar: closeOnly('BTCUSDT', series.startMs[i], series.a[i]),
        second: closeOnly('ETHUSDT', series.startMs[i], series.b[i]),
      });
    });
  });

  it('without a pair from the name the import asks for it; a time not matching start_ms is rejected', () => {
    const head = inspectHead(lines(text).slice(0, 20), 'analytics.csv');
    expect(head).toMatchObject({ needsSymbol: true, symbols: [], barsTimeframeMs: 1000 });
    if (!head.detection.ok) throw new Error(head.detection.reason);
    expect(createRowReader({ detected: head.detection })).toHaveProperty('error');
    const reader = new AnalyticsCsvReader();
    const r = reader.push('2024-07-18T23:57:01.000Z,1721347020000,1,2,,,,', 5);
    expect(r).toMatchObject({
      kind: 'reject',
      reject: { line: 5, reason: 'implausible_time', field: 'time' },
    });
  });
});
