/**
 * The `analyze` pipeline: capture files → bars (ingestFiles) → aligned closes (alignCloses) →
 * per-bar series and summary (analyzePair) → analytics.csv / summary.json, and the z-score alert
 * rule's events over the series (evaluateZScoreAlerts, the live rule's code) → alerts.csv. No
 * printing here; the CLI command formats the result.
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
import { ALERTS_CSV_HEADER, alertsCsvRows, countAlertKinds } from '../../core/alerts/alertsCsv';
import { evaluateZScoreAlerts } from '../../core/alerts/evaluateSeries';
import type { AlertEvent, AlertKind, ZScoreRuleParams } from '../../core/alerts/types';
import { TIMEFRAME_MS, type Timeframe } from '../../core/market/types';
import { alignCloses } from '../../core/stats/align';
import type { KalmanConfig } from '../../core/stats/kalman';
import { ingestFiles, type IngestStats } from './ingestFiles';
import { ingestFormats } from './ingestFormats';

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
  /**
   * alerts.csv: the z-score rule's events over the analysed bars (starting armed at the first
   * bar after the lookback), with these levels. Not evaluated when undefined.
   */
  alerts?: { path: string; params: ZScoreRuleParams };
  keepRejects?: number;
  now?: () => number;
  /**
   * Some input is not an NDJSON capture (CSV, zip, PairDesk export…): read through the general
   * format path (ingestFormats) instead of the NDJSON fast path. See `analyzeInputs`.
   */
  anyFormat?: boolean;
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
  /** The z-score rule's events and their counts per kind, when `alerts` was given. */
  alerts?: { events: AlertEvent[]; counts: Record<AlertKind, number> };
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

/** alerts.csv: header `time,start_ms,kind,side,zscore,threshold`, one row per event. */
export function writeAlertsCsv(path: string, events: readonly AlertEvent[]): void {
  // Events are few (one per crossing), so one string is fine.
  writeFileSync(path, ALERTS_CSV_HEADER + alertsCsvRows(events));
}

/** JSON text of the summary; numbers are finite or null by construction of PairSummary. */
export function summaryJson(summary: PairSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

export async function runAnalyze(options: AnalyzeOptions): Promise<AnalyzeResult> {
  const t0 = performance.now();
  const tfMs = TIMEFRAME_MS[options.timeframe];
  const ingest = options.anyFormat === true ? ingestFormats : ingestFiles;
  const { bars, stats } = await ingest({
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
  let alerts: AnalyzeResult['alerts'];
  if (options.alerts !== undefined) {
    const events = evaluateZScoreAlerts(series.startMs, series.zscore, options.alerts.params);
    alerts = { events, counts: countAlertKinds(events) };
  }
  const t2 = performance.now();
  if (options.csvPath !== undefined) writeAnalyticsCsv(options.csvPath, series);
  if (options.jsonPath !== undefined) writeFileSync(options.jsonPath, summaryJson(summary));
  if (options.alerts !== undefined && alerts !== undefined) {
    writeAlertsCsv(options.alerts.path, alerts.events);
  }
  const t3 = performance.now();
  return {
    summary,
    series,
    ingest: stats,
    alerts,
    timings: { ingestMs: t1 - t0, statsMs: t2 - t1, writeMs: t3 - t2, totalMs: t3 - t0 },
  };
}
