/**
 * What the Analytics tab says while the main side recomputes for new settings: the rows on
 * screen still belong to the previous selection until the reset event brings the new ones
 * (about a second at a 100 k-bar lookback), so the tab names what is changing.
 */
import type { AnalyticsSelection } from '../../../core/contract/contract';
import { sameSelection } from '../../../core/contract/analyticsSelection';
import { formatInteger, formatParameter, HEDGE_LABEL } from '../../lib/format';

/**
 * "Recomputing from stored bars: W 60 → 30, hedge static OLS → Kalman" when the rows held
 * (`held`) were computed on another selection than the settings ask for (`wanted`); null when
 * they match or nothing is held yet (the warm-up message covers that).
 */
export function selectionChangeText(
  wanted: AnalyticsSelection,
  held: AnalyticsSelection | null,
): string | null {
  if (held === null || sameSelection(wanted, held)) return null;
  const changes: string[] = [];
  if (wanted.pairA !== held.pairA || wanted.pairB !== held.pairB) {
    changes.push(`pair ${held.pairA}/${held.pairB} → ${wanted.pairA}/${wanted.pairB}`);
  }
  if (wanted.timeframe !== held.timeframe) {
    changes.push(`timeframe ${held.timeframe} → ${wanted.timeframe}`);
  }
  if (wanted.rollingWindow !== held.rollingWindow) {
    changes.push(`W ${held.rollingWindow} → ${wanted.rollingWindow}`);
  }
  if (wanted.lookback !== held.lookback) {
    changes.push(`lookback ${formatInteger(held.lookback)} → ${formatInteger(wanted.lookback)}`);
  }
  if (wanted.hedgeMethod !== held.hedgeMethod) {
    changes.push(`hedge ${HEDGE_LABEL[held.hedgeMethod]} → ${HEDGE_LABEL[wanted.hedgeMethod]}`);
  }
  const kalman: string[] = [];
  if (wanted.kalmanDelta !== held.kalmanDelta) {
    kalman.push(`δ ${formatParameter(held.kalmanDelta)} → ${formatParameter(wanted.kalmanDelta)}`);
  }
  if (wanted.kalmanVe !== held.kalmanVe) {
    kalman.push(`Ve ${formatParameter(held.kalmanVe)} → ${formatParameter(wanted.kalmanVe)}`);
  }
  if (kalman.length > 0) changes.push(`Kalman ${kalman.join(', ')}`);
  return `Recomputing from stored bars: ${changes.join(', ')}`;
}
