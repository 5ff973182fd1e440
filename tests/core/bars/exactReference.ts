/**
 * Independent exact reference for the bar tests: doubles as exact dyadic rationals (BigInt
 * significand · 2^exponent), summed exactly, rounded once to the nearest double, ties to even.
 * Shares no code with src/core/bars.
 */
import { mulberry32 } from '../../support/prng';
import type { Bar, Tick } from '../../../src/core/market/types';

/** x = m · 2^e exactly (m a BigInt, e ≥ −1074). */
export interface Dyadic {
  m: bigint;
  e: number;
}

const view = new DataView(new ArrayBuffer(8));

/** Exact decomposition of a finite double from its IEEE-754 bits. */
export function decompose(x: number): Dyadic {
  if (!Number.isFinite(x)) throw new RangeError(`not finite: ${x}`);
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  const m = expBits === 0 ? frac : frac | (1n << 52n);
  const e = expBits === 0 ? -1074 : expBits - 1075;
  return { m: negative ? -m : m, e };
}

/** 2^k as a double, built from bits (k in [−1074, 1023]). */
function pow2(k: number): number {
  if (k > 1023) return Number.POSITIVE_INFINITY;
  if (k >= -1022) {
    view.setBigUint64(0, BigInt(k + 1023) << 52n);
  } else {
    view.setBigUint64(0, 1n << BigInt(k + 1074));
  }
  return view.getFloat64(0);
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** m · 2^e rounded to the nearest double, ties to even (subnormals handled; overflow → ±∞). */
export function roundDyadic(m: bigint, e: number): number {
  if (m === 0n) return 0;
  const negative = m < 0n;
  const a = negative ? -m : m;
  const top = bitLength(a) - 1 + e; // exponent of the leading bit
  const ulp = Math.max(top - 52, -1074);
  const shift = ulp - e;
  let q: bigint;
  if (shift <= 0) {
    q = a << BigInt(-shift);
  } else {
    const s = BigInt(shift);
    q = a >> s;
    const rem = a - (q << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  // q ≤ 2^53, so Number(q) is exact, and q · 2^ulp is representable (or overflows).
  let v: number;
  if (ulp > 971) v = Number(q) * pow2(ulp - 100) * pow2(100);
  else v = Number(q) * pow2(ulp);
  return negative ? -v : v;
}

/** Exact sum of dyadics, as a dyadic. */
export function addDyadics(terms: readonly Dyadic[]): Dyadic {
  if (terms.length === 0) return { m: 0n, e: 0 };
  let e = Infinity;
  for (const t of terms) if (t.e < e) e = t.e;
  let m = 0n;
  for (const t of terms) m += t.m << BigInt(t.e - e);
  return { m, e };
}

/** Correctly rounded Σ xs. */
export function refSum(xs: readonly number[]): number {
  const d = addDyadics(xs.map(decompose));
  return roundDyadic(d.m, d.e);
}

/** Exact a · b as a dyadic. */
export function mulExact(a: number, b: number): Dyadic {
  const x = decompose(a);
  const y = decompose(b);
  return { m: x.m * y.m, e: x.e + y.e };
}

/** Correctly rounded Σ a_i · b_i (each product exact). */
export function refSumOfProducts(pairs: readonly (readonly [number, number])[]): number {
  const d = addDyadics(pairs.map(([a, b]) => mulExact(a, b)));
  return roundDyadic(d.m, d.e);
}

/** Whether hi + lo equals a · b exactly. */
export function isExactProduct(a: number, b: number, hi: number, lo: number): boolean {
  const p = mulExact(a, b);
  const s = addDyadics([decompose(hi), decompose(lo)]);
  // Compare p.m·2^p.e with s.m·2^s.e exactly.
  const e = Math.min(p.e, s.e);
  return p.m << BigInt(p.e - e) === s.m << BigInt(s.e - e);
}

/** Bars computed directly from tick sets, keyed `${symbol}|${timeframeMs}|${startMs}`. */
export function directBars(
  ticks: readonly Tick[],
  timeframesMs: readonly number[],
): Map<string, Bar> {
  const groups = new Map<string, Tick[]>();
  for (const t of ticks) {
    if (t.tradeType !== 'MARKET') continue;
    for (const tf of timeframesMs) {
      const start = Math.floor(t.timeMs / tf) * tf;
      const key = barKey(t.symbol, tf, start);
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = []));
      g.push(t);
    }
  }
  const out = new Map<string, Bar>();
  for (const [key, g] of groups) {
    const [symbol, tfText, startText] = key.split('|');
    const sorted = [...g].sort((a, b) => a.timeMs - b.timeMs || a.tradeId - b.tradeId);
    let high = -Infinity;
    let low = Infinity;
    for (const t of sorted) {
      high = Math.max(high, t.price);
      low = Math.min(low, t.price);
    }
    const volume = refSum(sorted.map((t) => t.qty));
    const quoteVolume = refSumOfProducts(sorted.map((t) => [t.price, t.qty] as const));
    out.set(key, {
      symbol,
      timeframeMs: Number(tfText),
      startMs: Number(startText),
      open: sorted[0].price,
      high,
      low,
      close: sorted[sorted.length - 1].price,
      volume,
      quoteVolume,
      trades: sorted.length,
      takerBuyVolume: refSum(sorted.filter((t) => !t.isBuyerMaker).map((t) => t.qty)),
      vwap: quoteVolume / volume,
    });
  }
  return out;
}

export function barKey(symbol: string, timeframeMs: number, startMs: number): string {
  return `${symbol}|${timeframeMs}|${startMs}`;
}

/** Collects sink events and checks the "closed once, then revisions" protocol. */
export class RecordingSink {
  readonly final = new Map<string, Bar>();
  readonly closedCount = new Map<string, number>();
  readonly errors: string[] = [];
  closed = 0;
  revised = 0;
  ticks = 0;
  /** Called before each event is recorded; tests hook in timing checks. */
  check: ((bar: Bar, kind: 'closed' | 'revised') => void) | null = null;

  onBarClosed(bar: Bar): void {
    this.check?.(bar, 'closed');
    const key = barKey(bar.symbol, bar.timeframeMs, bar.startMs);
    const n = (this.closedCount.get(key) ?? 0) + 1;
    this.closedCount.set(key, n);
    if (n > 1) this.errors.push(`closed twice: ${key}`);
    this.final.set(key, bar);
    this.closed++;
  }

  onBarRevised(bar: Bar): void {
    this.check?.(bar, 'revised');
    const key = barKey(bar.symbol, bar.timeframeMs, bar.startMs);
    if (!this.closedCount.has(key)) this.errors.push(`revised before closed: ${key}`);
    this.final.set(key, bar);
    this.revised++;
  }

  onTick(): void {
    this.ticks++;
  }
}

export function shuffle<T>(xs: readonly T[], rand: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Compares two bars field by field with Object.is (bit-exact, distinguishes −0). */
export function barDiff(a: Bar, b: Bar): string | null {
  const fields = Object.keys(b) as (keyof Bar)[];
  for (const f of fields) {
    if (!Object.is(a[f], b[f])) return `${String(f)}: got ${String(a[f])}, want ${String(b[f])}`;
  }
  if (Object.keys(a).length !== fields.length) return 'field count differs';
  return null;
}

/** Deterministic PRNG for shuffles inside properties. */
export const rng = mulberry32;
