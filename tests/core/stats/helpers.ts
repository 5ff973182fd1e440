import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'fixtures',
  'stats',
);

/** JSON fixture with null → NaN (except `autolag`, where null means none) and "±Infinity" strings → ±Infinity. */
export function loadFixture<T>(name: string): T {
  const text = readFileSync(join(FIXTURE_DIR, name), 'utf8');
  return JSON.parse(text, (k, v: unknown) => {
    if (v === null) return k === 'autolag' ? null : NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    return v;
  }) as T;
}

export function realFixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.startsWith('real_') && f.endsWith('.json'))
    .sort();
}

/** |a − e| / max(|e|, floor). Both NaN → 0; one NaN → Infinity. */
export function relDiff(actual: number, expected: number, floor = 0): number {
  if (Number.isNaN(actual) && Number.isNaN(expected)) return 0;
  if (actual === expected) return 0;
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Infinity;
  const scale = Math.max(Math.abs(expected), floor);
  return Math.abs(actual - expected) / (scale === 0 ? 1 : scale);
}

export function absDiff(actual: number, expected: number): number {
  if (Number.isNaN(actual) && Number.isNaN(expected)) return 0;
  if (actual === expected) return 0;
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Infinity;
  return Math.abs(actual - expected);
}

/** Largest relative deviation over two arrays (NaN positions must match). */
export function maxRelDiff(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  floor = 0,
): number {
  if (actual.length !== expected.length) return Infinity;
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, relDiff(actual[i], expected[i], floor));
  return m;
}

export function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, absDiff(actual[i], expected[i]));
  return m;
}

/** Collects the largest deviation per quantity and prints a table (for the closing note). */
export class DeviationLog {
  private readonly rows = new Map<string, { value: number; kind: string; tol: number }>();

  constructor(private readonly title: string) {}

  record(quantity: string, value: number, kind: 'rel' | 'abs', tol: number): number {
    const cur = this.rows.get(quantity);
    if (!cur || value > cur.value) this.rows.set(quantity, { value, kind, tol });
    return value;
  }

  print(): void {
    const lines = [...this.rows.entries()].map(
      ([q, r]) =>
        `  ${q.padEnd(44)} ${r.kind} ${r.value.toExponential(2).padStart(9)}   (tolerance ${r.tol.toExponential(0)})`,
    );
    console.log(`Largest observed deviations — ${this.title}\n${lines.join('\n')}`);
  }
}

export interface AdfFixture {
  regression: 'c' | 'ct' | 'ctt' | 'n';
  autolag: 'AIC' | 'BIC' | 't-stat' | null;
  maxlag: number;
  stat: number;
  pvalue: number;
  usedlag: number;
  nobs: number;
  crit: [number, number, number];
  icbest: number;
}

export interface CointFixture {
  trend?: 'c' | 'ct' | 'ctt' | 'n';
  autolag: 'aic' | 'bic' | 't-stat' | null;
  maxlag: number;
  stat: number;
  pvalue: number;
  crit: [number, number, number];
  usedlag: number;
}

export interface RealFixture {
  name: string;
  timeframeMs: number;
  window: number;
  barsPerYear: number;
  bars: Record<'BTCUSDT' | 'ETHUSDT', { startMs: number[]; close: number[] }>;
  aligned: { startMs: number[]; a: number[]; b: number[] };
  ols: { beta: number; alpha: number; r2: number; seBeta: number; n: number };
  spread: number[];
  zscore: number[];
  rollingOls: { beta: number[]; alpha: number[] };
  rollingSpreadZ: number[];
  logReturns: { a: number[]; b: number[] };
  corr: number[];
  volA: number[];
  volB: number[];
  adfSpread: AdfFixture[];
  coint: CointFixture[];
  halfLife: { lambda: number; intercept: number; halfLife: number };
  hurstSpread: { maxLags: number; hurst: number };
  hurstA: { maxLags: number; hurst: number };
  kalman: {
    delta: number;
    ve: number;
    priorBeta: number[];
    priorAlpha: number[];
    beta: number[];
    alpha: number[];
    e: number[];
    sqrtQ: number[];
  }[];
}
