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
  for (const sym of [options.symbolA, options.symbolB]) {
    if ((bars.get(sym)?.length ?? 0) === 0) {
      summary.notes.unshift(`no MARKET trades of ${sym} in the input`);
    }
  }
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
