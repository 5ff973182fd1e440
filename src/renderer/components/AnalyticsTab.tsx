/**
 * Analytics tab: five panels on one time axis (spread with its bands, z-score, hedge ratio,
 * correlation, volatility) and the stationarity panel beside them. Everything shown comes from
 * the main side's analytics; while there is nothing to draw the main side's warm-up reason says
 * why, in plain words.
 */
import { analyticsSelectionOf } from '../../core/contract/analyticsSelection';
import {
  formatFixed,
  formatInteger,
  formatParameter,
  HEDGE_LABEL,
  sentence,
  significantDigits,
} from '../lib/format';
import { analyticsVisibleRange, exportCsv } from '../fileActions';
import { analyticsStore, useAnalytics } from '../state/analyticsStore';
import { useSession } from '../state/sessionStore';
import { AnalyticsPanel } from './analytics/AnalyticsPanel';
import { MarketSummaryCard } from './analytics/MarketSummaryCard';
import { selectionChangeText } from './analytics/selectionChange';
import { StationarityPanel } from './analytics/StationarityPanel';

function useWarmupText(): string | null {
  const rows = useAnalytics((s) => s.columns.startMs.length);
  const load = useAnalytics((s) => s.load);
  const warmup = useAnalytics((s) => s.warmup);
  const error = useAnalytics((s) => s.error);
  if (warmup) return sentence(warmup);
  if (rows > 0) return null;
  if (load === 'error') return `The analytics are not available yet: ${error ?? 'unknown error'}`;
  if (load === 'ready') return 'Waiting for the first aligned bar of the pair';
  return 'Loading the analytics…';
}

function Summary() {
  const rows = useAnalytics((s) => s.columns.startMs.length);
  const selection = useAnalytics((s) => s.selection);
  const threshold = useSession((s) => s.settings?.alertThreshold ?? 2);
  // The β of the last row (static: one β for the whole series).
  useAnalytics((s) => s.rev);
  const { columns } = analyticsStore.getState();
  const beta = columns.hedgeRatio[columns.hedgeRatio.length - 1] ?? null;
  if (!selection) return null;
  return (
    <div className="analytics-summary" data-testid="analytics-summary">
      <span>
        <span className="num" data-testid="analytics-rows">
          {formatInteger(rows)}
        </span>{' '}
        aligned <span className="chart-tf">{selection.timeframe}</span> bars
      </span>
      <span className="sep" aria-hidden="true" />
      <span>
        W <span className="num strong">{selection.rollingWindow}</span>
      </span>
      <span className="sep" aria-hidden="true" />
      <span>
        lookback <span className="num strong">{formatInteger(selection.lookback)}</span>
      </span>
      <span className="sep" aria-hidden="true" />
      <span>
        hedge <span className="strong">{HEDGE_LABEL[selection.hedgeMethod]}</span>
        {beta !== null && (
          <>
            {' '}
            β = <span className="num strong">{formatFixed(beta, significantDigits(beta, 5))}</span>
          </>
        )}
      </span>
      <span className="sep" aria-hidden="true" />
      <span>
        alert at |z| ≥ <span className="num strong">{threshold}</span>
      </span>
      <span className="chart-hint">UTC</span>
      <button
        type="button"
        className="link-button"
        data-testid="analytics-export"
        disabled={rows === 0}
        title="Export the analytics of the visible range as CSV"
        onClick={() => void exportCsv({ what: 'analytics', ...(analyticsVisibleRange() ?? {}) })}
      >
        Export CSV
      </button>
    </div>
  );
}

export function AnalyticsTab() {
  const settings = useSession((s) => s.settings);
  const selection = useAnalytics((s) => s.selection);
  const rows = useAnalytics((s) => s.columns.startMs.length);
  const warmupText = useWarmupText();
  const loadError = useAnalytics((s) => (s.inFlight ? null : s.error));
  if (!settings) return null;
  const change = rows > 0 ? selectionChangeText(analyticsSelectionOf(settings), selection) : null;
  // The new rows could not be had (analytics down): say so instead of "recomputing" forever.
  const recomputing = change && (loadError ? `${change} failed: ${loadError}` : `${change}…`);
  const W = selection?.rollingWindow ?? settings.rollingWindow;
  const k = settings.alertThreshold;
  const pairA = selection?.pairA ?? settings.pairA;
  const pairB = selection?.pairB ?? settings.pairB;
  const kalmanDelta = selection?.kalmanDelta ?? settings.kalmanDelta;
  const kalmanVe = selection?.kalmanVe ?? settings.kalmanVe;
  return (
    <div className="analytics-layout">
      <div className="analytics-main">
        <Summary />
        {recomputing && (
          <div className="analytics-warmup-strip" role="status" data-testid="analytics-recomputing">
            <span className="warmup-spinner" aria-hidden="true" />
            <span>{recomputing}</span>
          </div>
        )}
        {warmupText && rows > 0 && (
          <div className="analytics-warmup-strip" role="status" data-testid="analytics-warmup">
            <span className="warmup-spinner" aria-hidden="true" />
            <span>{warmupText}</span>
          </div>
        )}
        <div className="analytics-charts">
          <AnalyticsPanel
            id="spread"
            title="Spread"
            subtitle={`A − β·B, mean ± ${k}σ, W = ${W}`}
            testId="analytics-chart-spread"
            ariaLabel="Spread with its rolling mean and threshold bands, times in UTC"
          />
          <AnalyticsPanel
            id="zscore"
            title="Z-score"
            subtitle={`(spread − mean) / σ, W = ${W}, alert at |z| ≥ ${k}`}
            testId="analytics-chart-zscore"
            ariaLabel="Rolling z-score of the spread with the alert thresholds, times in UTC"
          />
          <AnalyticsPanel
            id="hedge"
            title="Hedge ratio"
            subtitle={`A on B; Kalman δ = ${formatParameter(kalmanDelta)}, Ve = ${formatParameter(kalmanVe)}`}
            testId="analytics-chart-hedge"
            ariaLabel="Rolling OLS and Kalman hedge ratios and the one in use, times in UTC"
          />
          <AnalyticsPanel
            id="correlation"
            title="Correlation"
            subtitle={`of log returns, W = ${W}`}
            testId="analytics-chart-correlation"
            ariaLabel="Rolling correlation of the log returns, times in UTC"
          />
          <AnalyticsPanel
            id="volatility"
            title="Volatility"
            subtitle={`of log returns, W = ${W}, annualised`}
            bottom
            testId="analytics-chart-volatility"
            ariaLabel="Annualised volatility of each leg, times in UTC"
          />
          {warmupText && rows === 0 && (
            <div className="warmup analytics-warmup" data-testid="analytics-warmup" role="status">
              <span className="warmup-spinner" aria-hidden="true" />
              <span>
                {warmupText}
                <span className="warmup-sub muted">
                  The panels fill in as aligned bars of {pairA} and {pairB} arrive.
                </span>
              </span>
            </div>
          )}
        </div>
      </div>
      <div className="analytics-side">
        <MarketSummaryCard />
        <StationarityPanel />
      </div>
    </div>
  );
}
