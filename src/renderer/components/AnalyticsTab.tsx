/** Placeholder until the analytics engine lands (next issue). */
import { useSession } from '../state/sessionStore';
import { useBars } from '../state/barsStore';
import { seriesKey } from '../state/barsMerge';

export function AnalyticsTab() {
  const settings = useSession((s) => s.settings);
  const countA = useBars((s) =>
    settings ? (s.series[seriesKey(settings.pairA, settings.timeframe)]?.bars.length ?? 0) : 0,
  );
  const countB = useBars((s) =>
    settings ? (s.series[seriesKey(settings.pairB, settings.timeframe)]?.bars.length ?? 0) : 0,
  );
  if (!settings) return null;
  const window = settings.rollingWindow;
  const have = Math.min(countA, countB);
  const missing = Math.max(0, window - have);
  const short = countA <= countB ? settings.pairA : settings.pairB;
  return (
    <div className="placeholder" data-testid="analytics-placeholder">
      <h2>Pair analytics</h2>
      <p>
        Spread, hedge ratio ({settings.hedgeMethod}), rolling z-score, correlation and cointegration
        tests arrive with the analytics engine in the next release.
      </p>
      {missing > 0 ? (
        <p className="warmup-inline" data-testid="warmup-message">
          Waiting for {missing} more {settings.timeframe} bars of {short} to fill the rolling window
          of {window}.
        </p>
      ) : (
        <p className="muted">
          {have} {settings.timeframe} bars of {settings.pairA} / {settings.pairB} are ready for a
          rolling window of {window}.
        </p>
      )}
    </div>
  );
}
