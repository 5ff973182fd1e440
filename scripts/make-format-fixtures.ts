/**
 * Writes the data.binance.vision format fixtures of #10 under tests/fixtures/formats/ from the
 * real capture tests/fixtures/binance-real/um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz:
 *
 *   npx tsx scripts/make-format-fixtures.ts
 *
 * The capture holds futures `trade` and `bookTicker` messages. Trades are decoded by the NDJSON
 * path (decodeMessage + TickValidator) and written back as each Binance CSV variant; each trade
 * becomes one aggTrade (agg_trade_id = first = last = trade id). µs variants use the ms time
 * × 1000 plus a sub-ms part (tradeId mod 1000) so the truncation to ms is exercised. Klines are
 * the capture's bars from BarAggregator. The converters are exported so the tests can convert
 * the whole capture in memory and compare against the NDJSON decode.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { BarAggregator } from '../src/core/bars/barAggregator';
import { decodeMessage } from '../src/core/binance/decode';
import { AGG_TRADES_HEADER } from '../src/core/formats/aggTrades';
import { BOOK_TICKER_HEADER } from '../src/core/formats/bookTicker';
import { KLINES_HEADER } from '../src/core/formats/klines';
import { TRADES_HEADER } from '../src/core/formats/trades';
import { ANALYTICS_CSV_HEADER, analyticsCsvRows } from '../src/core/analysis/analyticsCsv';
import { analyzePair, type PairAnalysisSeries } from '../src/core/analysis/pairAnalysis';
import { csvRow } from '../src/core/csv/csvWriter';
import {
  BAR_CSV_HEADER,
  barCsvCells,
  TICK_CSV_HEADER,
  tickCsvCells,
} from '../src/core/formats/exportHeaders';
import { analyticsFileName } from '../src/core/formats/analyticsFileName';
import type { Bar, Tick } from '../src/core/market/types';
import { alignCloses } from '../src/core/stats/align';
import { TickValidator } from '../src/core/validation/tickValidator';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CAPTURE = join(
  ROOT,
  'tests/fixtures/binance-real/um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz',
);
export const OUT_DIR = join(ROOT, 'tests/fixtures/formats');

export interface RawQuote {
  s: string;
  u: number;
  b: string;
  B: string;
  a: string;
  A: string;
  T: number;
  E: number;
}

/** The capture through the NDJSON path: validated ticks in recorded order, and raw quotes. */
export function loadCapture(path = CAPTURE): { ticks: Tick[]; quotes: RawQuote[] } {
  const validator = new TickValidator({ now: () => Date.UTC(2100, 0, 1) });
  const ticks: Tick[] = [];
  const quotes: RawQuote[] = [];
  for (const line of gunzipSync(readFileSync(path)).toString('utf8').split('\n')) {
    if (line.length === 0) continue;
    const msg = decodeMessage(line);
    if (msg.kind === 'trade') {
      if (validator.validate(msg.tick) === null) ticks.push(msg.tick);
    } else if (msg.kind === 'bookTicker') {
      quotes.push((JSON.parse(line) as { data: RawQuote }).data);
    }
  }
  return { ticks, quotes };
}

/** µs time used by the µs variants: ms × 1000 plus a deterministic sub-ms part. */
export function microsOf(t: Tick): number {
  return t.timeMs * 1000 + (t.tradeId % 1000);
}

export function aggTradeLine(t: Tick, variant: { spot: boolean; us: boolean }): string {
  const time = variant.us ? microsOf(t) : t.timeMs;
  const cols = [t.tradeId, t.priceText, t.qtyText, t.tradeId, t.tradeId, time, t.isBuyerMaker];
  if (variant.spot) cols.push(true);
  return cols.join(',');
}

export function tradeLine(t: Tick, variant: { spot: boolean; us: boolean }): string {
  const time = variant.us ? microsOf(t) : t.timeMs;
  const cols = [
    t.tradeId,
    t.priceText,
    t.qtyText,
    (t.price * t.qty).toFixed(8),
    time,
    t.isBuyerMaker,
  ];
  if (variant.spot) cols.push(true);
  return cols.join(',');
}

export function quoteLine(q: RawQuote): string {
  return [q.u, q.b, q.B, q.a, q.A, q.T, q.E].join(',');
}

/** Closed bars of `ticks` at `timeframesMs`, all intervals closed at the end. */
export function barsOf(ticks: readonly Tick[], timeframesMs: readonly number[]): Bar[] {
  const out: Bar[] = [];
  const agg = new BarAggregator(timeframesMs, {
    onBarClosed: (b) => out.push(b),
    onBarRevised: (b) => out.push(b),
  });
  for (const t of ticks) agg.add(t);
  agg.advance(Number.MAX_SAFE_INTEGER / 2);
  return out;
}

export function klineLine(b: Bar, ticks: readonly Tick[], us: boolean): string {
  let takerQuote = 0;
  for (const t of ticks) {
    if (
      t.symbol === b.symbol &&
      !t.isBuyerMaker &&
      t.timeMs >= b.startMs &&
      t.timeMs < b.startMs + b.timeframeMs
    ) {
      takerQuote += t.price * t.qty;
    }
  }
  const k = us ? 1000 : 1;
  return [
    b.startMs * k,
    b.open,
    b.high,
    b.low,
    b.close,
    b.volume,
    (b.startMs + b.timeframeMs) * k - 1,
    b.quoteVolume,
    b.trades,
    b.takerBuyVolume,
    takerQuote.toFixed(8),
    0,
  ].join(',');
}

/** A futures aggTrades file with a bad line of each kind between good ones (lines numbered 1…). */
export function badAggTradesLines(good: readonly Tick[]): string[] {
  const g = good.slice(0, 6).map((t) => aggTradeLine(t, { spot: false, us: false }));
  const t = good[6];
  return [
    AGG_TRADES_HEADER,
    g[0],
    g[1],
    `${t.tradeId},${t.priceText},${t.qtyText},${t.tradeId},${t.tradeId},${t.timeMs}`, // 6 columns
    g[2],
    `${t.tradeId + 1},abc,${t.qtyText},${t.tradeId},${t.tradeId},${t.timeMs},false`, // price
    `${t.tradeId + 2},${t.priceText},-0.5,${t.tradeId},${t.tradeId},${t.timeMs},false`, // qty < 0
    `${t.tradeId + 3},${t.priceText},${t.qtyText},${t.tradeId},${t.tradeId},12345,false`, // time
    g[1], // duplicate of line 3
    `${t.tradeId + 4},${t.priceText},${t.qtyText},${t.tradeId},${t.tradeId},${t.timeMs},maybe`, // flag
    g[3],
    '',
    g[4],
    g[5],
  ];
}

/** `export --ticks` text of `ticks` (the CLI's row, header first), `\n`-terminated lines. */
export function tickExportText(ticks: readonly Tick[]): string {
  let out = csvRow(TICK_CSV_HEADER);
  for (const t of ticks) {
    out += csvRow(tickCsvCells(t));
  }
  return out;
}

/** `export --bars` text of `bars` (the CLI's row, header first). */
export function barExportText(bars: readonly Bar[]): string {
  let out = csvRow(BAR_CSV_HEADER);
  for (const b of bars) {
    out += csvRow(barCsvCells(b));
  }
  return out;
}

/** The analytics series of BTCUSDT/ETHUSDT at `tfMs` (rolling hedge, window 30) and its CSV. */
export function analyticsOf(
  ticks: readonly Tick[],
  tfMs: number,
): { series: PairAnalysisSeries; text: string } {
  const bars = barsOf(ticks, [tfMs]);
  const aligned = alignCloses(
    bars.filter((b) => b.symbol === 'BTCUSDT'),
    bars.filter((b) => b.symbol === 'ETHUSDT'),
    tfMs,
  );
  const { series } = analyzePair(aligned, {
    pair: 'BTCUSDT/ETHUSDT',
    timeframe: `${tfMs / 1000}s`,
    window: 30,
    hedge: 'rolling',
  });
  const n = series.startMs.length;
  return { series, text: ANALYTICS_CSV_HEADER + analyticsCsvRows(series, 0, n) };
}

export type OhlcTimeStyle = 'iso' | 'iso-no-zone' | 's' | 'ms' | 'us';

export interface OhlcVariant {
  separator: ',' | ';' | '\t';
  time: OhlcTimeStyle;
  /** Header names, in order; the time column first. */
  header: readonly string[];
  /** Quote every header name. */
  quoteHeader?: boolean;
}

function ohlcTime(ms: number, style: OhlcTimeStyle): string {
  switch (style) {
    case 'iso':
      return new Date(ms).toISOString();
    case 'iso-no-zone':
      return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
    case 's':
      return String(ms / 1000);
    case 'ms':
      return String(ms);
    case 'us':
      return String(ms * 1000);
  }
}

/** Generic OHLC(V) CSV lines of `bars` (volume written when the header has it). */
export function ohlcLines(bars: readonly Bar[], v: OhlcVariant): string[] {
  const head = v.header.map((h) => (v.quoteHeader === true ? `"${h}"` : h)).join(v.separator);
  const withVolume = v.header.some((h) => h.toLowerCase() === 'volume');
  return [
    head,
    ...bars.map((b) => {
      const cells = [ohlcTime(b.startMs, v.time), b.open, b.high, b.low, b.close];
      if (withVolume) cells.push(b.volume);
      return cells.join(v.separator);
    }),
  ];
}

/**
 * A comma OHLC file (ms times, 1 m bars) with one bad line per reject reason between good ones;
 * the expected (line, reason, field) are listed next to it for the test.
 */
export function badOhlcLines(bars: readonly Bar[]): {
  lines: string[];
  rejects: Array<{ line: number; reason: string; field?: string }>;
} {
  const g = ohlcLines(bars.slice(0, 6), {
    separator: ',',
    time: 'ms',
    header: ['time', 'open', 'high', 'low', 'close', 'volume'],
  });
  const b = bars[6];
  const row = (t: string | number, o: unknown, h: unknown, l: unknown, c: unknown, vol: unknown) =>
    [t, o, h, l, c, vol].join(',');
  const t = b.startMs;
  const lines = [
    g[0], // 1 header
    g[1], // 2
    g[2], // 3
    [t, b.open, b.high, b.low, b.close].join(','), // 4: 5 columns
    row('yesterday', b.open, b.high, b.low, b.close, b.volume), // 5: time
    row(t, 'abc', b.high, b.low, b.close, b.volume), // 6: open
    row(t, b.open, b.low / 2, b.low, b.close, b.volume), // 7: high below low
    row(t, b.low, b.high, (b.low + b.high) / 2, b.high, b.volume), // 8: low above open
    row(t, b.open, b.high, b.low, b.close, -1), // 9: volume
    g[2].replace(/,[^,]*$/, `,${b.volume}`), // 10: same time as line 3 (duplicate)
    g[3], // 11
    g[1], // 12: earlier than line 11
    row(t + 1234, b.open, b.high, b.low, b.close, b.volume), // 13: off the 1 m grid
    `${t},"${b.open},${b.high},${b.low},${b.close},${b.volume}`, // 14: unclosed quote
    '', // 15 blank
    g[4], // 16
    g[5], // 17
    g[6], // 18
  ];
  return {
    lines,
    rejects: [
      { line: 4, reason: 'wrong_column_count' },
      { line: 5, reason: 'implausible_time', field: 'time' },
      { line: 6, reason: 'bad_price', field: 'open' },
      { line: 7, reason: 'bad_price', field: 'high' },
      { line: 8, reason: 'bad_price', field: 'low' },
      { line: 9, reason: 'bad_qty', field: 'volume' },
      { line: 10, reason: 'duplicate', field: 'time' },
      { line: 12, reason: 'out_of_order', field: 'time' },
      { line: 13, reason: 'bad_interval', field: 'time' },
      { line: 14, reason: 'bad_quotes' },
    ],
  };
}

/** The OHLC fixture files: name → variant and the bars' timeframe. */
export const OHLC_FIXTURES: ReadonlyArray<{ name: string; tfMs: number; variant: OhlcVariant }> = [
  {
    name: 'ohlc-semicolon-iso-BTCUSDT-1m.csv',
    tfMs: 60_000,
    variant: {
      separator: ';',
      time: 'iso-no-zone',
      header: ['Date', 'Open', 'High', 'Low', 'Close', 'Volume'],
      quoteHeader: true,
    },
  },
  {
    name: 'ohlc-tab-epoch-s-BTCUSDT-1m.csv',
    tfMs: 60_000,
    variant: { separator: '\t', time: 's', header: ['timestamp', 'open', 'high', 'low', 'close'] },
  },
  {
    name: 'ohlc-comma-epoch-ms-BTCUSDT-1s.csv',
    tfMs: 1000,
    variant: {
      separator: ',',
      time: 'ms',
      header: ['time', 'open', 'high', 'low', 'close', 'volume'],
    },
  },
  {
    name: 'ohlc-comma-epoch-us-BTCUSDT-1s.csv',
    tfMs: 1000,
    variant: {
      separator: ',',
      time: 'us',
      header: ['Datetime', 'Open', 'High', 'Low', 'Close', 'Volume'],
    },
  },
  {
    name: 'ohlc-comma-iso-zoned-BTCUSDT-1m.csv',
    tfMs: 60_000,
    variant: {
      separator: ',',
      time: 'iso',
      header: ['open_time', 'open', 'high', 'low', 'close', 'volume'],
    },
  },
];

/** Small PairDesk export fixtures of the capture: name → text. */
export function pairdeskExportFixtures(ticks: readonly Tick[]): Array<[string, string]> {
  const first = [
    ...ticks.filter((t) => t.symbol === 'BTCUSDT').slice(0, 30),
    ...ticks.filter((t) => t.symbol === 'ETHUSDT').slice(0, 30),
  ];
  // As the CLI writes them: by symbol, then time.
  const bars1m = barsOf(ticks, [60_000]).sort(
    (a, b) => a.symbol.localeCompare(b.symbol) || a.startMs - b.startMs,
  );
  const analytics = analyticsOf(ticks, 1000);
  const s = analytics.series;
  const name = analyticsFileName(
    ['BTCUSDT', 'ETHUSDT'],
    '1s',
    s.startMs[0],
    s.startMs[s.startMs.length - 1],
  );
  return [
    ['pairdesk-ticks.csv', tickExportText(first)],
    ['pairdesk-bars-1m.csv', barExportText(bars1m)],
    [name, analytics.text],
  ];
}

function write(name: string, lines: readonly string[]): void {
  writeFileSync(join(OUT_DIR, name), `${lines.join('\n')}\n`);
}

export function main(): void {
  mkdirSync(OUT_DIR, { recursive: true });
  const { ticks, quotes } = loadCapture();
  const btc = ticks.filter((t) => t.symbol === 'BTCUSDT').slice(0, 40);
  const eth = quotes.filter((q) => q.s === 'ETHUSDT').slice(0, 40);
  const agg = (v: { spot: boolean; us: boolean }): string[] => btc.map((t) => aggTradeLine(t, v));
  const trd = (v: { spot: boolean; us: boolean }): string[] => btc.map((t) => tradeLine(t, v));
  write('BTCUSDT-aggTrades-2024-07-18.csv', [
    AGG_TRADES_HEADER,
    ...agg({ spot: false, us: false }),
  ]);
  write('spot-ms-BTCUSDT-aggTrades-2024-07-18.csv', agg({ spot: true, us: false }));
  write('spot-us-BTCUSDT-aggTrades-2024-07-18.csv', agg({ spot: true, us: true }));
  write('BTCUSDT-trades-2024-07-18.csv', [TRADES_HEADER, ...trd({ spot: false, us: false })]);
  write('spot-ms-BTCUSDT-trades-2024-07-18.csv', trd({ spot: true, us: false }));
  write('spot-us-BTCUSDT-trades-2024-07-18.csv', trd({ spot: true, us: true }));
  write('ETHUSDT-bookTicker-2024-07-18.csv', [BOOK_TICKER_HEADER, ...eth.map(quoteLine)]);
  const btcAll = ticks.filter((t) => t.symbol === 'BTCUSDT');
  const m1 = barsOf(btcAll, [60_000]);
  write('BTCUSDT-1m-2024-07-18.csv', [
    KLINES_HEADER,
    ...m1.map((b) => klineLine(b, btcAll, false)),
  ]);
  const s1 = barsOf(btcAll, [1_000]).slice(0, 30);
  write(
    'spot-us-BTCUSDT-1s-2024-07-18.csv',
    s1.map((b) => klineLine(b, btcAll, true)),
  );
  write('bad-BTCUSDT-aggTrades-2024-07-18.csv', badAggTradesLines(btcAll));
  for (const f of OHLC_FIXTURES) {
    write(f.name, ohlcLines(barsOf(btcAll, [f.tfMs]).slice(0, 30), f.variant));
  }
  write('ohlc-bad-lines-BTCUSDT-1m.csv', badOhlcLines(m1).lines);
  for (const [name, text] of pairdeskExportFixtures(ticks)) {
    writeFileSync(join(OUT_DIR, name), text);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
