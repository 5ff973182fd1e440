/**
 * Generic OHLC(V) CSV (#10, seed 003): the committed fixtures (the real capture's BTCUSDT bars
 * written with `;`/tab/`,` separators and ISO / epoch s / ms / µs times) are detected with the
 * unit stated, their timeframe inferred, and read through createRowReader back to the bars they
 * were written from; bad lines are rejected with line, reason and field; other timeframes refused.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/core/formats/detect';
import { inspectHead } from '../../../src/core/formats/inspect';
import { OhlcCsvReader, parseOhlcHeader, splitOhlcLine } from '../../../src/core/formats/ohlcCsv';
import { describeTimeUnit, parseOhlcTime } from '../../../src/core/formats/ohlcTime';
import { createRowReader } from '../../../src/core/formats/rowReaders';
import type { Bar } from '../../../src/core/market/types';
import {
  badOhlcLines,
  barsOf,
  loadCapture,
  OHLC_FIXTURES,
} from '../../../scripts/make-format-fixtures';
import { REPO_ROOT } from '../../support/realData';

const DIR = join(REPO_ROOT, 'tests/fixtures/formats');
const linesOf = (file: string): string[] => {
  const text = readFileSync(join(DIR, file), 'utf8');
  return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
};
const btc = loadCapture().ticks.filter((t) => t.symbol === 'BTCUSDT');

/** What an OHLC file keeps of a bar: prices and (when it has the column) volume. */
function asOhlc(b: Bar, withVolume: boolean): Bar {
  return {
    ...b,
    volume: withVolume ? b.volume : 0,
    quoteVolume: 0,
    trades: 0,
    takerBuyVolume: 0,
    vwap: NaN,
  };
}

function readAll(lines: readonly string[], fileName: string, symbol?: string) {
  const head = inspectHead(lines.slice(0, 20), fileName);
  expect(head.detection.ok).toBe(true);
  if (!head.detection.ok) throw new Error(head.detection.reason);
  const reader = createRowReader({
    detected: head.detection,
    symbol: symbol ?? head.symbols[0],
    timeframeMs: head.barsTimeframeMs ?? undefined,
  });
  if ('error' in reader) throw new Error(reader.error);
  const bars: Bar[] = [];
  lines.forEach((line, i) => {
    const r = reader.push(line, i + 1);
    if (r.kind === 'item' && r.item.kind === 'bar') bars.push(r.item.bar);
  });
  return { head, reader, bars };
}

const UNIT_WORDS = {
  'iso-no-zone': 'without a time zone, read as UTC',
  s: 'epoch seconds',
  ms: 'epoch milliseconds',
  us: 'epoch microseconds',
  iso: 'with a time zone',
} as const;

describe('OHLC CSV fixtures', () => {
  for (const f of OHLC_FIXTURES) {
    it(`${f.name}: detected, unit stated, timeframe inferred, bars read back`, () => {
      const lines = linesOf(f.name);
      const { head, reader, bars } = readAll(lines, f.name);
      expect(head.detection).toMatchObject({ ok: true, format: 'ohlc-csv', hasHeader: true });
      if (!head.detection.ok) return;
      expect(head.detection.ohlc?.timeUnit).toBe(f.variant.time);
      expect(head.detection.reason).toContain(UNIT_WORDS[f.variant.time]);
      expect(head.detection.ohlc?.layout.separator).toBe(f.variant.separator);
      expect(head.symbols).toEqual(['BTCUSDT']);
      expect(head.needsSymbol).toBe(false);
      expect(head.barsTimeframeMs).toBe(f.tfMs);
      expect(head.replayable).toBe(false);
      expect(reader.yields).toBe('bars');
      expect(reader.tally.rejected).toBe(0);
      const withVolume = f.variant.header.includes('Volume') || f.variant.header.includes('volume');
      const want = barsOf(btc, [f.tfMs])
        .slice(0, 30)
        .map((b) => asOhlc(b, withVolume));
      expect(bars).toEqual(want);
    });
  }

  it('bad lines: each rejected with its line number, reason and field; good lines kept', () => {
    const m1 = barsOf(btc, [60_000]);
    const { lines, rejects } = badOhlcLines(m1);
    expect(linesOf('ohlc-bad-lines-BTCUSDT-1m.csv')).toEqual(lines);
    const { reader, bars } = readAll(lines, 'ohlc-bad-lines-BTCUSDT-1m.csv');
    const got = reader.tally.firstRejects.map((r) =>
      r.field === undefined
        ? { line: r.line, reason: r.reason }
        : { line: r.line, reason: r.reason, field: r.field },
    );
    expect(got).toEqual(rejects);
    for (const r of reader.tally.firstRejects) expect(r.message.length).toBeGreaterThan(10);
    expect(reader.tally.rejected).toBe(rejects.length);
    expect(reader.tally.skipped).toBe(2); // header + blank line
    expect(bars.map((b) => b.startMs)).toEqual([0, 1, 2, 3, 4, 5].map((i) => m1[i].startMs));
    const msg = (line: number) => reader.tally.firstRejects.find((r) => r.line === line)?.message;
    expect(msg(7)).toBe('high "31924.2" is below low "63848.4"');
    expect(msg(10)).toContain('already read');
    expect(msg(12)).toContain('earlier than the previous one');
    expect(msg(13)).toContain('not on a 1 m boundary');
  });

  it('hourly bars are refused with the reason, at inspection and at createRowReader', () => {
    const hours = [0, 1, 2].map((h) => `2024-07-18T0${h}:00:00Z,100,101,99,100.5,3`);
    const lines = ['time,open,high,low,close,volume', ...hours];
    const head = inspectHead(lines, 'BTCUSDT-hourly.csv');
    expect(head.detection.ok).toBe(false);
    expect(head.barsTimeframeMs).toBe(3_600_000);
    if (!head.detection.ok) {
      expect(head.detection.reason).toContain(
        'bars every 1 h; PairDesk analyses 1 s, 1 m and 5 m bars',
      );
    }
    const d = detectFormat(lines);
    if (!d.ok) throw new Error(d.reason);
    expect(createRowReader({ detected: d, symbol: 'BTCUSDT' })).toEqual({
      error: 'bars every 1 h; PairDesk analyses 1 s, 1 m and 5 m bars',
    });
  });

  it('needs a symbol when the name does not give one; one row gives no timeframe', () => {
    const lines = ['Time;Open;High;Low;Close', '2024-07-18 23:57:00;1;2;0.5;1.5'];
    const head = inspectHead(lines, 'prices.csv');
    expect(head).toMatchObject({ needsSymbol: true, symbols: [], barsTimeframeMs: null });
    if (!head.detection.ok) throw new Error(head.detection.reason);
    expect(createRowReader({ detected: head.detection })).toEqual({
      error: 'OHLC CSV files hold one symbol and do not name it: give the symbol (e.g. BTCUSDT)',
    });
    const r = createRowReader({ detected: head.detection, symbol: 'ethusdt' });
    expect(r).toHaveProperty('error');
    const ok = createRowReader({
      detected: head.detection,
      symbol: 'ethusdt',
      timeframeMs: 60_000,
    });
    if ('error' in ok) throw new Error(ok.error);
    ok.push(lines[0], 1);
    const row = ok.push(lines[1], 2);
    expect(row).toMatchObject({
      kind: 'item',
      item: {
        kind: 'bar',
        bar: { symbol: 'ETHUSDT', startMs: Date.UTC(2024, 6, 18, 23, 57), close: 1.5 },
      },
    });
  });

  it('a time column with neither ISO nor epoch times is not accepted', () => {
    const d = detectFormat(['date,open,high,low,close', '18/07/2024,1,2,0.5,1.5']);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toContain('neither ISO 8601 date-times nor epoch');
  });
});

describe('OHLC CSV pieces', () => {
  it('header: case-insensitive, quoted, BOM, extra columns, preferred time column', () => {
    const h = parseOhlcHeader('\uFEFF"Symbol";"Open Time";"OPEN";"High";"Low";"Close";"Vol"');
    expect(h).toMatchObject({ separator: ';', time: 1, open: 2, high: 3, low: 4, close: 5 });
    expect(h?.volume).toBeUndefined();
    expect(parseOhlcHeader('date\ttime\topen\thigh\tlow\tclose')?.time).toBe(1);
    expect(parseOhlcHeader('time,open,high,close')).toBeNull();
    expect(parseOhlcHeader('agg_trade_id,price,quantity')).toBeNull();
  });

  it('quoted data rows: separators inside quotes, doubled quotes', () => {
    expect(splitOhlcLine('"2024-07-18 23:57:00","1,5", 2 ,"a""b"\r', ',')).toEqual([
      '2024-07-18 23:57:00',
      '1,5',
      '2',
      'a"b',
    ]);
    expect(splitOhlcLine('1;"2', ';')).toBeNull();
  });

  it('times: zones and offsets, invalid dates, units out of range', () => {
    expect(parseOhlcTime('2024-07-18T23:57:00+02:00', 'iso')).toBe(Date.UTC(2024, 6, 18, 21, 57));
    expect(parseOhlcTime('2024-07-18T23:57:00.250-0130', 'iso')).toBe(
      Date.UTC(2024, 6, 19, 1, 27, 0, 250),
    );
    expect(parseOhlcTime('2024-07-18', 'iso-no-zone')).toBe(Date.UTC(2024, 6, 18));
    expect(parseOhlcTime('2024-02-30 00:00:00', 'iso-no-zone')).toBe(
      'is not a valid calendar date and time',
    );
    expect(parseOhlcTime('2024-07-18T23:57:00.0001Z', 'iso')).toBe('has a sub-millisecond part');
    expect(parseOhlcTime('1721347020000', 's')).toContain('outside 1970-01-01');
    expect(parseOhlcTime('1721347020000123', 'us')).toBe('has a sub-millisecond part');
    expect(describeTimeUnit('iso-no-zone')).toBe(
      'times are ISO 8601 date-times without a time zone, read as UTC',
    );
  });

  it('never throws, one outcome per line (fast-check)', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('"', '""', '1e5', '-0', 'NaN', '2024-07-18T23:57:00Z', '1721347020'),
      fc.double().map(String),
    );
    const line = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.array(cell, { maxLength: 8 }).map((c) => c.join(',')),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const reader = new OhlcCsvReader({ symbol: 'BTCUSDT', timeframeMs: 60_000 });
        reader.push('time,open,high,low,close,volume', 1);
        lines.forEach((l, i) => reader.push(l, i + 2));
        expect(reader.tally.lines).toBe(lines.length + 1);
        detectFormat(['time;open;high;low;close', ...lines]);
      }),
      { numRuns: 300 },
    );
  });
});
