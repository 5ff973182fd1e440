/**
 * Read-only hook for end-to-end tests: counts and values only, never API access.
 * `window.__pairdeskDebug.barCount('BTCUSDT', '1m')`.
 */
import type { AnalyticsSelection } from '../core/contract/contract';
import type { Bar, Timeframe } from '../core/market/types';
import {
  chartPointCount,
  chartProbe,
  takeRenderSamples,
  type RenderSample,
} from './charts/registry';
import { alertsStore } from './state/alertsStore';
import { analyticsStore, rowAt } from './state/analyticsStore';
import type { AnalyticsRow } from './state/analyticsStore';
import { seriesKey } from './state/barsMerge';
import { barsStore } from './state/barsStore';

export interface PairDeskDebug {
  barCount(symbol: string, timeframe: Timeframe): number;
  lastBar(symbol: string, timeframe: Timeframe): Bar | null;
  /** Copies of every bar the view holds for the series, oldest first. */
  bars(symbol: string, timeframe: Timeframe): Bar[];
  chartPointCount(symbol: string): number;
  /** performance.now() when the series' current history arrived, or null. */
  historyAt(symbol: string, timeframe: Timeframe): number | null;
  /** Chart updates with their paint time and data time since the last call (benchmarks). */
  takeRenderSamples(): RenderSample[];
  /** Aligned rows the Analytics tab holds. */
  analyticsRowCount(): number;
  /** The selection those rows were computed on (null before the first series). */
  analyticsSelection(): AnalyticsSelection | null;
  /** A copy of the newest analytics row (null = undefined at that bar), or null without rows. */
  lastAnalyticsRow(): AnalyticsRow | null;
  /** Copies of the analytics rows, oldest first (the last `limit` when given). */
  analyticsRows(limit?: number): AnalyticsRow[];
  /** Alert markers drawn on an analytics panel ('zscore' or 'spread'). */
  alertMarkerCount(panel: string): number;
  /** The z-score panel's zoom window (time ms), null when not mounted. */
  analyticsZoom(): { startValue: number | null; endValue: number | null } | null;
  /** Rows the Alerts tab holds and the unacknowledged count. */
  alertCounts(): { rows: number; total: number; unacknowledged: number; markers: number };
}

declare global {
  interface Window {
    __pairdeskDebug?: PairDeskDebug;
  }
}

export function installDebugHook(target: Window): void {
  const hook: PairDeskDebug = {
    barCount: (symbol, timeframe) =>
      barsStore.getState().series[seriesKey(symbol, timeframe)]?.bars.length ?? 0,
    lastBar: (symbol, timeframe) => {
      const bars = barsStore.getState().series[seriesKey(symbol, timeframe)]?.bars;
      const last = bars?.[bars.length - 1];
      return last ? { ...last } : null;
    },
    bars: (symbol, timeframe) =>
      (barsStore.getState().series[seriesKey(symbol, timeframe)]?.bars ?? []).map((b) => ({
        ...b,
      })),
    chartPointCount: (symbol) => chartPointCount(symbol),
    historyAt: (symbol, timeframe) =>
      barsStore.getState().series[seriesKey(symbol, timeframe)]?.historyAtMs ?? null,
    takeRenderSamples: () => takeRenderSamples(),
    analyticsRowCount: () => analyticsStore.getState().columns.startMs.length,
    analyticsSelection: () => {
      const { selection } = analyticsStore.getState();
      return selection ? { ...selection } : null;
    },
    lastAnalyticsRow: () => {
      const { columns } = analyticsStore.getState();
      return rowAt(columns, columns.startMs.length - 1);
    },
    analyticsRows: (limit) => {
      const { columns } = analyticsStore.getState();
      const n = columns.startMs.length;
      const from = limit === undefined ? 0 : Math.max(0, n - Math.max(0, Math.floor(limit)));
      const rows: AnalyticsRow[] = [];
      for (let i = from; i < n; i++) {
        const row = rowAt(columns, i);
        if (row) rows.push(row);
      }
      return rows;
    },
    alertMarkerCount: (panel) => Number(chartProbe(`alert-markers-${panel}`) ?? 0),
    analyticsZoom: () =>
      chartProbe('analytics-zoom') as { startValue: number | null; endValue: number | null } | null,
    alertCounts: () => {
      const s = alertsStore.getState();
      return {
        rows: s.rows.length,
        total: s.total,
        unacknowledged: s.unacknowledged,
        markers: s.markers.length,
      };
    },
  };
  Object.defineProperty(target, '__pairdeskDebug', {
    value: Object.freeze(hook),
    writable: false,
    configurable: true,
  });
}
