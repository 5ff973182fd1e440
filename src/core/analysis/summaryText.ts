/** Human-readable lines for a `PairSummary` (what `analyze` prints on stdout). */
import type { CriticalValuesJson, PairSummary } from './pairAnalysis';

function num(x: number | null, digits = 6): string {
  if (x === null) return 'n/a';
  if (x === 0) return '0';
  const ax = Math.abs(x);
  if (ax >= 1e-4 && ax < 1e7) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1);
}

function pval(p: number | null): string {
  if (p === null) return 'n/a';
  return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

function crit(c: CriticalValuesJson): string {
  return `crit 1% ${num(c['1%'], 4)}  5% ${num(c['5%'], 4)}  10% ${num(c['10%'], 4)}`;
}

/** Verdict at 5 % from a p-value, in words. */
function verdict(p: number | null, yes: string, no: string): string {
  if (p === null) return '';
  return p < 0.05 ? `  → ${yes} at 5%` : `  → ${no} at 5%`;
}

export function formatSummaryText(s: PairSummary): string[] {
  const lines = [
    `pair        ${s.pair} (A = ${s.pair.split('/')[0]}, B = ${s.pair.split('/')[1] ?? '?'}) · timeframe ${s.timeframe} · hedge ${s.hedge} · window ${s.window}`,
    `bars        ${s.bars} aligned${s.from !== null ? ` (${s.from} → ${s.to})` : ''}`,
    `OLS A~B     β ${num(s.ols.beta)} (se ${num(s.ols.se_beta)})  α ${num(s.ols.alpha)}  R² ${num(s.ols.r2, 4)}`,
    `ADF spread  stat ${num(s.adf.stat, 5)}  p ${pval(s.adf.pvalue)}  lag ${s.adf.usedlag ?? 'n/a'}  nobs ${s.adf.nobs ?? 'n/a'}  ${crit(s.adf.crit)}${verdict(s.adf.pvalue, 'stationary', 'not stationary')}`,
    `EG coint    stat ${num(s.eg.stat, 5)}  p ${pval(s.eg.pvalue)}  ${crit(s.eg.crit)}${verdict(s.eg.pvalue, 'cointegrated', 'not cointegrated')}`,
    `half-life   ${s.half_life_bars === null ? 'n/a' : `${num(s.half_life_bars, 4)} bars`}`,
    `Hurst       ${num(s.hurst, 4)}`,
    `Kalman      β ${num(s.kalman.beta)}  α ${num(s.kalman.alpha)} (final state; δ ${s.kalman.delta}, Ve ${s.kalman.ve})`,
  ];
  for (const note of s.notes) lines.push(`note        ${note}`);
  return lines;
}
