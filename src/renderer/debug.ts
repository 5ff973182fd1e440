/**
 * Read-only hook for end-to-end tests: counts and values only, never API access.
 * `window.__pairdeskDebug.barCount('BTCUSDT', '1m')`.
 */
import type { Bar, Timeframe } from '../core/market/types';
import { chartPointCount, takeRenderSamples, type RenderSample } from './charts/registry';
import { seriesKey } from './state/barsMerge';
import { barsStore } from './state/barsStore';

export interface PairDeskDebug {
  barCount(symbol: string, timeframe: Timeframe): number;
  lastBar(symbol: string, timeframe: Timeframe): Bar | null;
  /** Copies of every bar the view holds for the series, oldest first. */
  bars(symbol: string, timeframe: Timeframe): Bar[];
  chartPointCount(symbol: string): number;
  /** Chart updates with their paint time and data time since the last call (benchmarks). */
  takeRenderSamples(): RenderSample[];
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
    takeRenderSamples: () => takeRenderSamples(),
  };
  Object.defineProperty(target, '__pairdeskDebug', {
    value: Object.freeze(hook),
    writable: false,
    configurable: true,
  });
}
