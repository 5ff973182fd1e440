/**
 * Decode + validate throughput against a bare `split('\n')` + `JSON.parse` reference, over the
 * same in-memory aggTrade lines. Run alone: `npx tsx bench/decode.ts`.
 *
 * Lines: the real USD-M futures `@trade` messages of the captures in
 * tests/fixtures/binance-real, folded into `aggTrade` messages the way Binance aggregates
 * (consecutive fills of one symbol at the same price, taker side and trade time), laid out exactly
 * like the live `aggTrade` payload (with `nq`) and wrapped in the combined-stream envelope
 * (`{"stream":"btcusdt@aggTrade","data":{…}}`, ~180 bytes — what a multi-symbol connection
 * receives). `envelope: false` gives the raw-stream form (~145 bytes).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { decodeMessage } from '../src/core/binance/decode';
import { TickValidator } from '../src/core/validation/tickValidator';
import { REAL_DATA_DIR } from './realData';

export { REAL_DATA_DIR };
export const UM_CAPTURES = [
  'um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz',
  'um-btcusdt-ethusdt-2024-08-08T2354Z.ndjson.gz',
];

export interface DecodeBenchResult {
  lines: number;
  avgLineBytes: number;
  /** Messages/s: split + decodeMessage + TickValidator.validate. */
  decodeValidatePerSec: number;
  /** Messages/s: split + JSON.parse (the reference). */
  bareJsonParsePerSec: number;
  /** decodeValidatePerSec / bareJsonParsePerSec; > 1 means faster than bare JSON.parse. */
  ratio: number;
}

interface RawTrade {
  s: string;
  t: number;
  p: string;
  q: string;
  T: number;
  E: number;
  m: boolean;
}

/** Sum of decimal strings with the same number of decimals, exactly (BigInt on scaled digits). */
function sumDecimals(values: string[]): string {
  const scale = values[0].length - values[0].indexOf('.') - 1;
  let total = 0n;
  for (const v of values) total += BigInt(v.replace('.', ''));
  const digits = total.toString().padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/**
 * Folds futures `@trade` lines (combined envelope) into aggTrade lines. Aggregate ids start at a
 * realistic magnitude per symbol and are contiguous, like Binance's.
 */
export function tradesToAggTradeLines(tradeLines: string[], envelope = true): string[] {
  const trades: RawTrade[] = [];
  for (const line of tradeLines) {
    const o = JSON.parse(line) as { stream: string; data: RawTrade & { e: string } };
    if (o.data.e === 'trade') trades.push(o.data);
  }
  const nextAggId = new Map<string, number>([
    ['BTCUSDT', 2_254_012_345],
    ['ETHUSDT', 1_873_456_789],
  ]);
  const out: string[] = [];
  let i = 0;
  while (i < trades.length) {
    const first = trades[i];
    let j = i + 1;
    while (
      j < trades.length &&
      trades[j].s === first.s &&
      trades[j].p === first.p &&
      trades[j].m === first.m &&
      trades[j].T === first.T
    ) {
      j++;
    }
    const group = trades.slice(i, j);
    const last = group[group.length - 1];
    const a = nextAggId.get(first.s) ?? 1_000_000_000;
    nextAggId.set(first.s, a + 1);
    const q = sumDecimals(group.map((t) => t.q));
    const data =
      `{"e":"aggTrade","E":${last.E},"s":"${first.s}","a":${a},"p":"${first.p}","q":"${q}",` +
      `"nq":"${q}","f":${first.t},"l":${last.t},"T":${last.T},"m":${first.m}}`;
    out.push(envelope ? `{"stream":"${first.s.toLowerCase()}@aggTrade","data":${data}}` : data);
    i = j;
  }
  return out;
}

/** Reads a gzip NDJSON capture into lines. */
export function readCaptureLines(file: string): string[] {
  const text = gunzipSync(readFileSync(`${REAL_DATA_DIR}/${file}`)).toString('utf8');
  return text.split('\n').filter((l) => l.length > 0);
}

/** The bench's standard input: both futures captures as aggTrade lines. */
export function loadBenchLines(envelope = true): string[] {
  // One pass over both captures so aggregate ids stay unique and increasing across them.
  const tradeLines: string[] = [];
  for (const f of UM_CAPTURES) {
    for (const l of readCaptureLines(f)) if (l.includes('@trade"')) tradeLines.push(l);
  }
  return tradesToAggTradeLines(tradeLines, envelope);
}

function bareJsonParse(big: string): number {
  const parts = big.split('\n');
  let n = 0;
  for (let k = 0; k < parts.length; k++) {
    const v: unknown = JSON.parse(parts[k]);
    if (v !== null) n++;
  }
  return n;
}

function decodeValidate(big: string): number {
  const parts = big.split('\n');
  // Fresh validator per pass: the same lines again would (correctly) be duplicates.
  const validator = new TickValidator({ symbols: ['BTCUSDT', 'ETHUSDT'] });
  let n = 0;
  for (let k = 0; k < parts.length; k++) {
    const msg = decodeMessage(parts[k]);
    if (msg.kind === 'trade' && validator.validate(msg.tick) === null) n++;
  }
  return n;
}

function timeIt(fn: (big: string) => number, big: string, expected: number): number {
  const t0 = performance.now();
  const n = fn(big);
  const ms = performance.now() - t0;
  if (n !== expected) throw new Error(`bench pass handled ${n} of ${expected} lines`);
  return ms;
}

/**
 * Measures both pipelines over `lines` (joined into one string; each pass splits it again).
 * Passes alternate to share thermal/GC conditions; each figure is the best of `rounds` passes
 * after `warmup` passes, in messages per second.
 */
export async function runDecodeBench(
  lines: string[],
  options: { rounds?: number; warmup?: number } = {},
): Promise<DecodeBenchResult> {
  const rounds = options.rounds ?? 15;
  const warmup = options.warmup ?? 5;
  const big = lines.join('\n');
  const n = lines.length;
  for (let w = 0; w < warmup; w++) {
    timeIt(bareJsonParse, big, n);
    timeIt(decodeValidate, big, n);
  }
  let bestBare = Infinity;
  let bestDecode = Infinity;
  for (let r = 0; r < rounds; r++) {
    bestBare = Math.min(bestBare, timeIt(bareJsonParse, big, n));
    bestDecode = Math.min(bestDecode, timeIt(decodeValidate, big, n));
    await new Promise((resolve) => setImmediate(resolve)); // let the loop breathe between rounds
  }
  const bareJsonParsePerSec = (n / bestBare) * 1000;
  const decodeValidatePerSec = (n / bestDecode) * 1000;
  return {
    lines: n,
    avgLineBytes: (big.length - (n - 1)) / n,
    decodeValidatePerSec,
    bareJsonParsePerSec,
    ratio: decodeValidatePerSec / bareJsonParsePerSec,
  };
}

async function main(): Promise<void> {
  for (const envelope of [true, false]) {
    const r = await runDecodeBench(loadBenchLines(envelope));
    const fmt = (x: number): string => `${(x / 1e6).toFixed(2)} M msg/s`;
    console.log(
      `${envelope ? 'combined envelope' : 'raw stream      '}  ${r.lines} lines, ` +
        `${r.avgLineBytes.toFixed(1)} B avg | decode+validate ${fmt(r.decodeValidatePerSec)} | ` +
        `bare split+JSON.parse ${fmt(r.bareJsonParsePerSec)} | ratio ${r.ratio.toFixed(2)}x`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
