/**
 * The numbers the market summary (core's marketSummary) reads, taken from what the renderer
 * already holds: the analytics rows of the selection and the last stationarity report. No
 * statistics are computed here; the report counts only when it is for the same pair and
 * timeframe as the rows.
 */
import type {
  AnalyticsColumns,
  AnalyticsSelection,
  Settings,
  StationarityReport,
} from '../../core/contract/contract';
import type { MarketSummaryInput } from '../../core/alerts/marketSummary';

function lastFinite(column: readonly (number | null)[], from = column.length - 1): number | null {
  for (let i = from; i >= 0; i--) {
    const v = column[i];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

function at(column: readonly (number | null)[], i: number): number | null {
  const v = i >= 0 && i < column.length ? column[i] : null;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function summaryInput(
  selection: AnalyticsSelection,
  columns: AnalyticsColumns,
  report: StationarityReport | null,
  settings: Pick<Settings, 'alertThreshold' | 'alertCritical'>,
): MarketSummaryInput {
  const n = columns.startMs.length;
  const sameData =
    report !== null &&
    report.selection.pairA === selection.pairA &&
    report.selection.pairB === selection.pairB &&
    report.selection.timeframe === selection.timeframe;
  const eg = sameData && report.engleGranger.ok ? report.engleGranger.pvalue : null;
  return {
    symbolA: selection.pairA,
    symbolB: selection.pairB,
    timeframe: selection.timeframe,
    zLast: at(columns.zscore, n - 1),
    zPrev: at(columns.zscore, n - 2),
    alertK: settings.alertThreshold,
    alertCritical: settings.alertCritical,
    correlation: at(columns.correlation, n - 1),
    egPValue: eg,
    halfLifeBars: sameData ? report.halfLifeBars : null,
    volA: at(columns.volA, n - 1),
    volB: at(columns.volB, n - 1),
    volHistoryA: columns.volA,
    volHistoryB: columns.volB,
    betaRolling: columns.betaRolling,
    betaLast: lastFinite(columns.betaRolling),
  };
}
