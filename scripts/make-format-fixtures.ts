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
import type { Bar, Tick } from '../src/core/market/types';
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
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
