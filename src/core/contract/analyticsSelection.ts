import type { AnalyticsSelection } from './contract';

/** The analytics-relevant fields of a selection or of the whole settings, as a fresh object. */
export function analyticsSelectionOf(s: AnalyticsSelection): AnalyticsSelection {
  return {
    pairA: s.pairA,
    pairB: s.pairB,
    timeframe: s.timeframe,
    rollingWindow: s.rollingWindow,
    lookback: s.lookback,
    hedgeMethod: s.hedgeMethod,
    kalmanDelta: s.kalmanDelta,
    kalmanVe: s.kalmanVe,
  };
}

/** Whether two selections ask for the same analytics (null never matches). */
export function sameSelection(a: AnalyticsSelection | null, b: AnalyticsSelection | null): boolean {
  return (
    a !== null &&
    b !== null &&
    a.pairA === b.pairA &&
    a.pairB === b.pairB &&
    a.timeframe === b.timeframe &&
    a.rollingWindow === b.rollingWindow &&
    a.lookback === b.lookback &&
    a.hedgeMethod === b.hedgeMethod &&
    a.kalmanDelta === b.kalmanDelta &&
    a.kalmanVe === b.kalmanVe
  );
}
