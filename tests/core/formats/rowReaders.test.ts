/**
 * createRowReader over every ImportFormat (#10). The key property: the real capture (futures
 * trades, BTCUSDT + ETHUSDT) as its NDJSON file, and converted to each trade format — aggTrades
 * CSV and trades CSV (one file per symbol, one shared validator) and a PairDesk tick export —
 * yields, through createRowReader + BarAggregator, the identical 1 s, 1 m and 5 m bars.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AGG_TRADES_HEADER } from '../../../src/core/formats/aggTrades';
import { detectFormat, type Detected } from '../../../src/core/formats/detect';
import { inspectHead } from '../../../src/core/formats/inspect';
import type { RowReader } from '../../../src/core/formats/rowReader';
import { BOOK_TICKER_REFUSAL, createRowReader } from '../../../src/core/formats/rowReaders';
import { TRADES_HEADER } from '../../../src/core/formats/trades';
import type { Bar, Tick } from '../../../src/core/market/types';
import { TickValidator } from '../../../src/core/validation/tickValidator';
import {
  aggTradeLine,
  barsOf,
  loadCapture,
  tickExportText,
  tradeLine,
} from '../../../scripts/make-format-fixtures';
import { UM_2024_07_18 } from '../../support/realData';

const NDJSON = gunzipSync(readFileSync(UM_2024_07_18)).toString('utf8').split('\n');
const { ticks } = loadCapture();
const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];
const TIMEFRAMES = [1000, 60_000, 300_000];

/** Bars in one order (files per symbol close bars in another order than an interleaved capture). */
function sorted(bars: Bar[]): Bar[] {
  return bars.sort(
    (a, b) =>
      a.symbol.localeCompare(b.symbol) || a.timeframeMs - b.timeframeMs || a.startMs - b.startMs,
  );
}

function detected(lines: readonly string[], name = 'file'): Detected {
  const d = detectFormat(lines.slice(0, 20), name);
  if (!d.ok) throw new Error(d.reason);
  return d;
}

function reader(r: RowReader | { error: string }): RowReader {
  if ('error' in r) throw new Error(r.error);
  return r;
}

/** Every tick the reader yields for `lines`. */
function ticksOf(rr: RowReader, lines: readonly string[]): Tick[] {
  const out: Tick[] = [];
  lines.forEach((line, i) => {
    const r = rr.push(line, i + 1);
    if (r.kind === 'item' && r.item.kind === 'tick') out.push(r.item.tick);
  });
  return out;
}

/** The files of one import read in order with one shared validator; their ticks. */
function importFiles(files: Array<{ lines: string[]; symbol?: string }>): Tick[] {
  const validator = new TickValidator({ now: () => Date.UTC(2100, 0, 1) });
  const out: Tick[] = [];
  for (const f of files) {
    const rr = reader(
      createRowReader({ detected: detected(f.lines), symbol: f.symbol, validator }),
    );
    out.push(...ticksOf(rr, f.lines));
    expect(rr.tally.rejected).toBe(0);
  }
  return out;
}

describe('the real capture in every trade format gives the NDJSON path’s bars', () => {
  const ndjsonTicks = (() => {
    const rr = reader(createRowReader({ detected: detected(NDJSON) }));
    const got = ticksOf(rr, NDJSON);
    expect(rr.format).toBe('ndjson-combined');
    expect(rr.tally.rejected).toBe(0);
    // bookTicker lines are skipped, not rejected.
    expect(rr.tally.skipped).toBeGreaterThan(1000);
    return got;
  })();
  const want = sorted(barsOf(ndjsonTicks, TIMEFRAMES));

  it('NDJSON through createRowReader = the NDJSON decode of the fixtures script', () => {
    expect(ndjsonTicks).toEqual(ticks);
    expect(want.filter((b) => b.timeframeMs === 1000).length).toBeGreaterThan(800);
    expect(want.filter((b) => b.timeframeMs === 300_000).length).toBeGreaterThanOrEqual(4);
  });

  for (const format of ['aggTrades', 'trades'] as const) {
    for (const v of [
      { spot: false, us: false },
      { spot: true, us: true },
    ]) {
      it(`${format} CSV (${v.spot ? 'spot, µs' : 'futures, header, ms'}), one file per symbol`, () => {
        const files = SYMBOLS.map((symbol) => {
          const own = ticks.filter((t) => t.symbol === symbol);
          const lines = own.map((t) =>
            format === 'aggTrades' ? aggTradeLine(t, v) : tradeLine(t, v),
          );
          if (!v.spot) lines.unshift(format === 'aggTrades' ? AGG_TRADES_HEADER : TRADES_HEADER);
          return { lines, symbol };
        });
        expect(sorted(barsOf(importFiles(files), TIMEFRAMES))).toEqual(want);
      });
    }
  }

  it('PairDesk tick export (both symbols in one file)', () => {
    const lines = tickExportText(ticks).trimEnd().split('\n');
    expect(sorted(barsOf(importFiles([{ lines }]), TIMEFRAMES))).toEqual(want);
  });
});

describe('createRowReader', () => {
  const btc = ticks.filter((t) => t.symbol === 'BTCUSDT').slice(0, 50);
  const aggLines = [
    AGG_TRADES_HEADER,
    ...btc.map((t) => aggTradeLine(t, { spot: false, us: false })),
  ];

  it('a shared validator catches a trade repeated across the files of one import', () => {
    const validator = new TickValidator({ now: () => Date.UTC(2100, 0, 1) });
    const d = detected(aggLines);
    const first = reader(createRowReader({ detected: d, symbol: 'btcusdt', validator }));
    const second = reader(createRowReader({ detected: d, symbol: 'BTCUSDT', validator }));
    expect(ticksOf(first, aggLines)).toHaveLength(50);
    expect(ticksOf(second, aggLines)).toHaveLength(0);
    expect(second.tally.byReason.get('duplicate')).toBe(50);
    // Without one, each file's reader has its own.
    const own = reader(createRowReader({ detected: d, symbol: 'BTCUSDT' }));
    expect(ticksOf(own, aggLines)).toHaveLength(50);
  });

  it('refuses bookTicker files and one-symbol files without a symbol, in plain words', () => {
    const book = detectFormat([
      'update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time',
    ]);
    if (!book.ok) throw new Error(book.reason);
    expect(createRowReader({ detected: book, symbol: 'ETHUSDT' })).toEqual({
      error: BOOK_TICKER_REFUSAL,
    });
    expect(BOOK_TICKER_REFUSAL).toBe(
      'bookTicker files hold quotes, not trades: PairDesk builds bars from trades — import the aggTrades or trades file of the same day',
    );
    for (const lines of [
      aggLines,
      [TRADES_HEADER],
      [
        'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore',
      ],
    ]) {
      const r = createRowReader({ detected: detected(lines) });
      expect(r).toHaveProperty('error');
      if ('error' in r) expect(r.error).toContain('give the symbol');
    }
  });

  it('NDJSON: other event types are skips, broken lines rejects with line numbers', () => {
    const lines = [
      NDJSON[0],
      '{"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT"}}',
      '{"result":null,"id":1}',
      '{"stream":"btcusdt@trade","data":{"e":"trade"',
      '',
      '{"e":"trade","E":1721347022956,"T":1721347022956,"s":"BTCUSDT","t":1,"p":"-5","q":"1","X":"MARKET","m":true}',
    ];
    const rr = reader(createRowReader({ detected: detected(lines) }));
    const outcomes = lines.map((l, i) => {
      const r = rr.push(l, i + 1);
      return r.kind === 'skip'
        ? r.why
        : r.kind === 'reject'
          ? `${r.reject.line}:${r.reject.reason}`
          : r.kind;
    });
    expect(outcomes[1]).toBe('not_a_trade');
    expect(outcomes[2]).toBe('not_a_trade');
    expect(outcomes[3]).toBe('4:malformed_json');
    expect(outcomes[4]).toBe('blank');
    expect(outcomes[5]).toBe('6:bad_price');
  });

  it('klines: the file name’s interval is checked; bars of the file come out', () => {
    const kl = readFileSync(
      new URL('../../fixtures/formats/BTCUSDT-1m-2024-07-18.csv', import.meta.url),
      'utf8',
    )
      .trimEnd()
      .split('\n');
    const head = inspectHead(kl.slice(0, 20), 'BTCUSDT-1m-2024-07-18.csv');
    expect(head).toMatchObject({
      symbols: ['BTCUSDT'],
      barsTimeframeMs: 60_000,
      replayable: false,
    });
    if (!head.detection.ok) throw new Error(head.detection.reason);
    const rr = reader(
      createRowReader({ detected: head.detection, symbol: 'BTCUSDT', timeframeMs: 60_000 }),
    );
    let bars = 0;
    kl.forEach((l, i) => {
      if (rr.push(l, i + 1).kind === 'item') bars++;
    });
    expect(bars).toBe(kl.length - 1);
    expect(
      createRowReader({ detected: head.detection, symbol: 'BTCUSDT', timeframeMs: 3_600_000 }),
    ).toEqual({
      error: 'bars every 1 h; PairDesk analyses 1 s, 1 m and 5 m bars',
    });
    expect(inspectHead(kl.slice(0, 20), 'BTCUSDT-1h-2024-07-18.csv').detection.ok).toBe(false);
  });

  it('inspectHead on the NDJSON capture: both symbols, replayable, no symbol needed', () => {
    expect(inspectHead(NDJSON.slice(0, 40), 'capture.ndjson')).toMatchObject({
      detection: { ok: true, format: 'ndjson-combined' },
      symbols: ['BTCUSDT', 'ETHUSDT'],
      needsSymbol: false,
      barsTimeframeMs: null,
      replayable: true,
    });
  });
});
