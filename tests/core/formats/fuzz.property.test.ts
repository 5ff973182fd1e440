/**
 * Readers, the detector, inspectHead and createRowReader never throw, whatever the line; every
 * line gets exactly one outcome.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AggTradesReader } from '../../../src/core/formats/aggTrades';
import { BookTickerReader } from '../../../src/core/formats/bookTicker';
import { KlinesReader } from '../../../src/core/formats/klines';
import { TradesReader } from '../../../src/core/formats/trades';
import { detectFormat } from '../../../src/core/formats/detect';
import { symbolFromFileName } from '../../../src/core/formats/fileName';
import { AnalyticsCsvReader } from '../../../src/core/formats/analyticsCsvReader';
import { inspectHead } from '../../../src/core/formats/inspect';
import { OhlcCsvReader } from '../../../src/core/formats/ohlcCsv';
import { PairdeskBarsReader } from '../../../src/core/formats/pairdeskBars';
import { PairdeskTicksReader } from '../../../src/core/formats/pairdeskTicks';
import { createRowReader } from '../../../src/core/formats/rowReaders';

/** Lines that look roughly like CSV rows: numbers, flags, junk, separated by commas. */
const field = fc.oneof(
  fc.string(),
  fc.constantFrom('true', 'false', 'True', '', '-1', '0', '1e5', '.5', '1.', 'NaN'),
  fc.bigInt({ min: -1n, max: 10n ** 18n }).map(String),
  fc.double().map(String),
  fc.integer({ min: 1_483_228_800_000, max: 4_102_444_800_000 }).map(String),
  fc.integer({ min: 1_483_228_800_000, max: 4_102_444_800_000 }).map((n) => `${n}123`),
);
const csvLine = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.array(field, { minLength: 0, maxLength: 14 }).map((f) => f.join(',')),
);

describe('format readers never throw', () => {
  it('on arbitrary lines', () => {
    fc.assert(
      fc.property(fc.array(csvLine, { maxLength: 30 }), (lines) => {
        const readers = [
          new AggTradesReader({ symbol: 'BTCUSDT' }),
          new TradesReader({ symbol: 'BTCUSDT' }),
          new KlinesReader({ symbol: 'BTCUSDT' }),
          new BookTickerReader({ symbol: 'BTCUSDT' }),
          new PairdeskTicksReader(),
          new PairdeskBarsReader(60_000),
          new AnalyticsCsvReader(1000),
          new OhlcCsvReader({ symbol: 'BTCUSDT', timeframeMs: 60_000 }),
        ];
        for (const r of readers) {
          lines.forEach((line, i) => {
            const res = r.push(line, i + 1);
            expect(['item', 'skip', 'reject']).toContain(res.kind);
            if (res.kind === 'reject') expect(res.reject.message.length).toBeLessThan(400);
          });
          const t = r.tally;
          expect(t.items + t.skipped + t.rejected).toBe(lines.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('headed files never make the detector, inspector or readers throw', () => {
  const header = fc.constantFrom(
    'symbol,trade_id,time_ms,price,qty,is_buyer_maker',
    'symbol,start_ms,open,high,low,close,volume,quote_volume,trades,taker_buy_volume,vwap',
    'time,start_ms,close_a,close_b,hedge_ratio,spread,zscore,correlation',
    'time,open,high,low,close,volume',
    '"Date";"Open";"High";"Low";"Close"',
    'timestamp\topen\thigh\tlow\tclose\tvolume',
  );
  const cells = fc.array(field, { maxLength: 12 });
  const sep = fc.constantFrom(',', ';', '\t');
  it('on a known header followed by arbitrary rows', () => {
    fc.assert(
      fc.property(header, fc.array(fc.tuple(cells, sep), { maxLength: 20 }), (h, rows) => {
        const lines = [h, ...rows.map(([c, s]) => c.join(s))];
        const head = inspectHead(
          lines,
          'BTCUSDT-ETHUSDT-1m-analytics-20240718T2357Z-20240719T0005Z.csv',
        );
        if (!head.detection.ok) return;
        const r = createRowReader({
          detected: head.detection,
          symbol: 'BTCUSDT',
          pair: ['BTCUSDT', 'ETHUSDT'],
          timeframeMs: head.barsTimeframeMs ?? 60_000,
        });
        if ('error' in r) return;
        lines.forEach((l, i) => r.push(l, i + 1));
        expect(r.tally.lines).toBe(lines.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('detectFormat and symbolFromFileName never throw', () => {
  it('on arbitrary lines and names', () => {
    fc.assert(
      fc.property(fc.array(csvLine, { maxLength: 5 }), fc.string(), (lines, name) => {
        const d = detectFormat(lines, name);
        expect(typeof d.reason).toBe('string');
        symbolFromFileName(name);
        const head = inspectHead(lines, name);
        expect(head.detection.ok).toBe(d.ok || head.detection.ok);
        if (head.detection.ok) {
          const r = createRowReader({
            detected: head.detection,
            symbol: 'BTCUSDT',
            pair: ['BTCUSDT', 'ETHUSDT'],
            timeframeMs: 60_000,
          });
          if (!('error' in r)) lines.forEach((l, i) => r.push(l, i + 1));
        }
      }),
      { numRuns: 500 },
    );
  });
});
