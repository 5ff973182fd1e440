/**
 * The `analyze` pipeline: capture files → bars (ingestFiles) → aligned closes (alignCloses) →
 * per-bar series and summary (analyzePair) → analytics.csv / summary.json. No printing here; the
 * CLI command formats the result.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import {
  ANALYTICS_CSV_HEADER,
  analyticsCsvRows,
  IsoTimeFormatter,
} from '../../core/analysis/analyticsCsv';
import {
  analyzePair,
  type HedgeMethod,
  type PairAnalysisSeries,
  type PairSummary,
} from '../../core/analysis/pairAnalysis';
import { TIMEFRAME_MS, type Timeframe } from '../../core/market/types';
import { alignCloses } from '../../core/stats/align';
import type { KalmanConfig } from '../../core/stats/kalman';
import { ingestFiles, type IngestStats } from './ingestFiles';

export interface AnalyzeOptions {
  files: readonly string[];
  /** A (dependent) and B symbols, upper case. */
  symbolA: string;
  symbolB: string;
  timeframe: Timeframe;
  window: number;
  lookback?: number;
  hedge: HedgeMethod;
  /** Kalman δ and Ve (default KALMAN_DEFAULTS). */
  kalman?: KalmanConfig;
  /** analytics.csv path (not written when undefined). */
  csvPath?: string;
  /** summary.json path (not written when undefined). */
  jsonPath?: string;
  keepRejects?: number;
  now?: () => number;
}

/**
 * The input has nothing to analyse for a requested symbol: no point computing a table of n/a.
 * Carries the ingest counters so the caller can still show what the input held.
 */
export class AnalyzeInputError extends Error {
  constructor(
    message: string,
    readonly ingest: IngestStats,
  ) {
    super(message);
    this.name = 'AnalyzeInputError';
  }
}

/** `BTCUSDT, ETHUSDT` or `A, B, C … and 12 more`. */
function symbolListText(symbols: readonly string[]): string {
  const shown = symbols.slice(0, 10).join(', ');
  return symbols.length > 10 ? `${shown} and ${symbols.length - 10} more` : shown;
}

/** Throws AnalyzeInputError when a symbol of the pair has no bars. */
function checkPairData(stats: IngestStats, symbolA: string, symbolB: string): void {
  const pair = [symbolA, symbolB];
  const absent = pair.filter((s) => (stats.tradesBySymbol[s] ?? 0) === 0);
  if (absent.length > 0) {
    const present = Object.keys(stats.tradesBySymbol);
    throw new AnalyzeInputError(
      `no trades for ${absent.join(' or ')}; the input has ${present.length > 0 ? symbolListText(present) : 'no trades at all'}`,
      stats,
    );
  }
  const unusable = pair.filter((s) => (stats.barsPerSymbol[s] ?? 0) === 0);
  if (unusable.length > 0) {
    const s = unusable[0];
    const n = stats.tradesBySymbol[s];
    throw new AnalyzeInputError(
      `no usable trades for ${s}: its ${n} trade${n === 1 ? ' was' : 's were'} rejected or not MARKET`,
      stats,
    );
  }
}

export interface AnalyzeResult {
  summary: PairSummary;
  series: PairAnalysisSeries;
  ingest: IngestStats;
  /** Wall time per stage (ms). */
  timings: { ingestMs: number; statsMs: number; writeMs: number; totalMs: number };
}

/** Rows per CSV write: bounds the string built at once (~100 bytes a row). */
const CSV_ROWS_PER_WRITE = 20_000;

export function writeAnalyticsCsv(path: string, series: PairAnalysisSeries): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, ANALYTICS_CSV_HEADER);
    const fmt = new IsoTimeFormatter();
    const n = series.startMs.length;
    for (let i = 0; i < n; i += CSV_ROWS_PER_WRITE) {
      writeSync(fd, analyticsCsvRows(series, i, Math.min(n, i + CSV_ROWS_PER_WRITE), fmt));
    }
  } finally {
    closeSync(fd);
  }
}

/** JSON text of the summary; numbers are finite or null by construction of PairSummary. */
export function summaryJson(summary: PairSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

export async function runAnalyze(options: AnalyzeOptions): Promise<AnalyzeResult> {
  const t0 = performance.now();
  const tfMs = TIMEFRAME_MS[options.timeframe];
  const { bars, stats } = await ingestFiles({
    files: options.files,
    symbols: [options.symbolA, options.symbolB],
    timeframeMs: tfMs,
    keepRejects: options.keepRejects,
    now: options.now,
  });
  checkPairData(stats, options.symbolA, options.symbolB);
  const t1 = performance.now();
  const aligned = alignCloses(
    bars.get(options.symbolA) ?? [],
    bars.get(options.symbolB) ?? [],
    tfMs,
  );
  const { series, summary } = analyzePair(aligned, {
    pair: `${options.symbolA}/${options.symbolB}`,
    timeframe: options.timeframe,
    window: options.window,
    hedge: options.hedge,
    lookback: options.lookback,
    kalman: options.kalman,
  });
  for (const e of stats.readErrors) summary.notes.push(`input incomplete: ${e}`);
  const t2 = performance.now();
  if (options.csvPath !== undefined) writeAnalyticsCsv(options.csvPath, series);
  if (options.jsonPath !== undefined) writeFileSync(options.jsonPath, summaryJson(summary));
  const t3 = performance.now();
  return {
    summary,
    series,
    ingest: stats,
    timings: { ingestMs: t1 - t0, statsMs: t2 - t1, writeMs: t3 - t2, totalMs: t3 - t0 },
  };
}
