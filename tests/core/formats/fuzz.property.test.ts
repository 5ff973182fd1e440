/** Readers and the detector never throw, whatever the line; every line gets exactly one outcome. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AggTradesReader } from '../../../src/core/formats/aggTrades';
import { BookTickerReader } from '../../../src/core/formats/bookTicker';
import { KlinesReader } from '../../../src/core/formats/klines';
import { TradesReader } from '../../../src/core/formats/trades';
import { detectFormat } from '../../../src/core/formats/detect';
import { symbolFromFileName } from '../../../src/core/formats/fileName';

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

describe('detectFormat and symbolFromFileName never throw', () => {
  it('on arbitrary lines and names', () => {
    fc.assert(
      fc.property(fc.array(csvLine, { maxLength: 5 }), fc.string(), (lines, name) => {
        const d = detectFormat(lines, name);
        expect(typeof d.reason).toBe('string');
        symbolFromFileName(name);
      }),
      { numRuns: 500 },
    );
  });
});
