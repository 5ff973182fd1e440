import type { AnalyticsSelection } from '../../src/core/contract/contract';
import type { Bar } from '../../src/core/market/types';
import { KALMAN_DEFAULTS } from '../../src/core/stats/kalman';

/** BTCUSDT/ETHUSDT at 1s, W = 30, lookback 1000, static hedge, Kalman defaults; `over` on top. */
export function analyticsSelection(over: Partial<AnalyticsSelection> = {}): AnalyticsSelection {
  return {
    pairA: 'BTCUSDT',
    pairB: 'ETHUSDT',
    timeframe: '1s',
    rollingWindow: 30,
    lookback: 1000,
    hedgeMethod: 'static',
    kalmanDelta: KALMAN_DEFAULTS.delta,
    kalmanVe: KALMAN_DEFAULTS.ve,
    ...over,
  };
}

/** A flat bar (open = high = low = close = vwap): one trade of volume 1, no taker buys. */
export function flatBar(symbol: string, startMs: number, close: number, timeframeMs = 1000): Bar {
  return {
    symbol,
    timeframeMs,
    startMs,
    open: close,
    high: close,
    low: close,
    close,
    volume: 1,
    quoteVolume: close,
    trades: 1,
    takerBuyVolume: 0,
    vwap: close,
  };
}
