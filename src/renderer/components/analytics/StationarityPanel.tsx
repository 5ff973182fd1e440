/**
 * Stationarity of the spread: Engle–Granger first (the right test for a spread built from an
 * estimated hedge ratio), then ADF on the spread, half-life and Hurst, all from the main side's
 * report. `StationarityView` is pure (props in, markup out) so it can be rendered in tests.
 */
import type { ReactNode } from 'react';
import type {
  AnalyticsSelection,
  StationarityReport,
  TestOutcome,
} from '../../../core/contract/contract';
import { runTests } from '../../actions';
import {
  DASH,
  formatDuration,
  formatFixed,
  formatInteger,
  formatPValue,
  formatUtcDateTime,
  HEDGE_LABEL,
  significantDigits,
} from '../../lib/format';
import { analyticsSelectionOf, sameSelection } from '../../../core/contract/analyticsSelection';
import { useAnalytics } from '../../state/analyticsStore';
import { useSession } from '../../state/sessionStore';

const LEVELS = ['1%', '5%', '10%'] as const;
type Level = (typeof LEVELS)[number];

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** The critical value levels the statistic beats (is below): left-tailed tests. */
export function levelsBeaten(outcome: TestOutcome): Set<Level> {
  const beaten = new Set<Level>();
  if (!outcome.ok || !finite(outcome.stat)) return beaten;
  for (const level of LEVELS) {
    const crit = outcome.crit[level];
    if (finite(crit) && outcome.stat < crit) beaten.add(level);
  }
  return beaten;
}

function TestCard({
  testId,
  title,
  nullHypothesis,
  detail,
  outcome,
  rejectWords,
  children,
}: {
  testId: string;
  title: string;
  nullHypothesis: string;
  detail: string;
  outcome: TestOutcome | null;
  /** What rejecting the null means, e.g. `cointegrated`. */
  rejectWords: string;
  children?: ReactNode;
}) {
  const beaten = outcome ? levelsBeaten(outcome) : new Set<Level>();
  const strongest = LEVELS.find((l) => beaten.has(l));
  let verdict: ReactNode = null;
  if (outcome?.ok && finite(outcome.stat)) {
    // Factual: which critical value the statistic is below (the reading weighs the p-value).
    verdict = strongest ? (
      <span
        className="stat-verdict pass"
        title={`The statistic is below the ${strongest} critical value: ${rejectWords} at ${strongest}`}
      >
        beats {strongest.replace('%', ' %')} critical
      </span>
    ) : (
      <span className="stat-verdict fail" title="The statistic is above every critical value">
        beats no critical value
      </span>
    );
  }
  return (
    <section className="stat-card" data-testid={testId} aria-label={title}>
      <header className="stat-card-header">
        <h3>{title}</h3>
        {verdict}
      </header>
      <div className="stat-card-sub muted">
        H₀: {nullHypothesis} · {detail}
      </div>
      {!outcome ? (
        <p className="stat-empty muted">Not run yet.</p>
      ) : !outcome.ok ? (
        <p className="stat-reason" data-testid={`${testId}-reason`}>
          Could not run: {outcome.reason}
        </p>
      ) : (
        <>
          <div className="stat-figures">
            <div className="stat-figure">
              <span className="stat-label">Statistic</span>
              <span className="stat-value num" data-testid={`${testId}-stat`}>
                {formatFixed(outcome.stat, 3)}
              </span>
            </div>
            <div className="stat-figure">
              <span className="stat-label">p-value</span>
              <span className="stat-value num" data-testid={`${testId}-pvalue`}>
                {formatPValue(outcome.pvalue)}
              </span>
            </div>
            <div className="stat-figure stat-figure-small">
              <span className="stat-label">Used lag</span>
              <span className="num">{finite(outcome.usedlag) ? outcome.usedlag : DASH}</span>
            </div>
            <div className="stat-figure stat-figure-small">
              <span className="stat-label">nobs</span>
              <span className="num">
                {finite(outcome.nobs) ? formatInteger(outcome.nobs) : DASH}
              </span>
            </div>
          </div>
          <table className="stat-crit">
            <thead>
              <tr>
                <th scope="row">Critical value</th>
                {LEVELS.map((l) => (
                  <th key={l} scope="col">
                    {l.replace('%', ' %')}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row" className="muted">
                  statistic below?
                </th>
                {LEVELS.map((l) => {
                  const hit = beaten.has(l);
                  return (
                    <td
                      key={l}
                      className={hit ? 'num beaten' : 'num'}
                      title={
                        hit
                          ? `The statistic is below the ${l} critical value: H₀ rejected at ${l}`
                          : `The statistic is not below the ${l} critical value`
                      }
                    >
                      {formatFixed(outcome.crit[l], 3)}
                      <span className="crit-mark" aria-label={hit ? 'beaten' : 'not beaten'}>
                        {hit ? ' ✓' : ''}
                      </span>
                    </td>
                  );
                })}
              </tr>
            </tbody>
          </table>
        </>
      )}
      {children}
    </section>
  );
}

/** The static OLS of A on B the Engle–Granger test starts from: β ± se(β), α, R². */
function HedgeRegressionCard({ report }: { report: StationarityReport | null }) {
  const fit = report?.hedgeRegression ?? null;
  // se(β) sets how many digits of β mean anything: two significant digits of the error.
  const digits = fit ? significantDigits(fit.seBeta, 2) : 2;
  return (
    <section
      className="stat-card stat-metrics"
      aria-label="Hedge regression"
      data-testid="stationarity-ols"
    >
      <div className="stat-metric">
        <span className="stat-label">OLS hedge ratio</span>
        <span className="stat-value num" data-testid="stationarity-ols-beta">
          {fit ? (
            <>
              {formatFixed(fit.beta, digits)}
              <span className="muted"> ± {formatFixed(fit.seBeta, digits)}</span>
            </>
          ) : (
            DASH
          )}
        </span>
        <span className="stat-caption muted">
          {fit
            ? 'A on B with intercept, ± standard error of β'
            : report
              ? 'not fitted for this sample'
              : 'A on B with intercept'}
        </span>
      </div>
      <div className="stat-metric">
        <span className="stat-label">R²</span>
        <span className="stat-value num" data-testid="stationarity-ols-r2">
          {fit ? formatFixed(fit.r2, 4) : DASH}
        </span>
        <span className="stat-caption muted" data-testid="stationarity-ols-alpha">
          α = {fit ? formatFixed(fit.alpha, significantDigits(fit.alpha, 6)) : DASH}
          {report ? ` · ${formatInteger(report.bars)} bars` : ''}
        </span>
      </div>
    </section>
  );
}

export interface StationarityViewProps {
  report: StationarityReport | null;
  running: boolean;
  error: string | null;
  /** The selection now chosen: a report for another one is flagged. */
  current: AnalyticsSelection | null;
  onRun: () => void;
  /** No session yet: the button is disabled. */
  disabled?: boolean;
}

export function StationarityView({
  report,
  running,
  error,
  current,
  onRun,
  disabled = false,
}: StationarityViewProps) {
  const method = report?.selection.hedgeMethod ?? current?.hedgeMethod ?? 'static';
  const stale = report !== null && current !== null && !sameSelection(report.selection, current);
  const halfLifeBars = report?.halfLifeBars ?? null;
  const halfLifeMs = report?.halfLifeMs ?? null;
  const hurst = report?.hurst ?? null;
  return (
    <aside className="stationarity" data-testid="stationarity-panel" aria-label="Stationarity">
      <header className="stationarity-header">
        <h2>Stationarity</h2>
        <button
          type="button"
          className="run-button"
          data-testid="stationarity-run"
          disabled={running || disabled}
          aria-busy={running}
          title="Run Engle–Granger, ADF, half-life and Hurst now (R)"
          onClick={onRun}
        >
          {running ? (
            <>
              <span className="warmup-spinner small-spinner" aria-hidden="true" /> Running…
            </>
          ) : (
            <>
              Run now <kbd>R</kbd>
            </>
          )}
        </button>
      </header>
      <div className="stationarity-meta muted" data-testid="stationarity-last-run">
        {report ? (
          <>
            Last run <span className="num">{formatUtcDateTime(report.computedAtMs)}</span> UTC ·
            took <span className="num">{formatDuration(report.durationMs)}</span> ·{' '}
            <span className="num">{formatInteger(report.bars)}</span> bars ·{' '}
            {report.selection.pairA}/{report.selection.pairB} {report.selection.timeframe}, W ={' '}
            {report.selection.rollingWindow}
          </>
        ) : (
          'No run yet: the tests run on their own every few new bars, or press Run now.'
        )}
      </div>
      {error && (
        <div className="stat-error" role="alert" data-testid="stationarity-error">
          Could not run the tests: {error}
        </div>
      )}
      {stale && (
        <div className="stat-stale" role="status">
          This report is for an earlier selection; a new one follows shortly (or press Run now).
        </div>
      )}
      <HedgeRegressionCard report={report} />
      <TestCard
        testId="stationarity-eg"
        title="Engle–Granger"
        nullHypothesis="no cointegration"
        detail="coint(A, B), constant, lag by AIC"
        outcome={report?.engleGranger ?? null}
        rejectWords="cointegrated"
      />
      <TestCard
        testId="stationarity-adf"
        title="ADF on the spread"
        nullHypothesis="unit root"
        detail={`A − β·B with the ${HEDGE_LABEL[method]} β, constant, lag by AIC`}
        outcome={report?.adf ?? null}
        rejectWords="stationary"
      >
        <p className="stat-note" data-testid="stationarity-adf-note">
          Plain ADF p-values on an OLS residual overstate stationarity: β was fitted to make the
          spread look stationary. Engle–Granger&apos;s critical values account for the estimated β —
          read it first.
        </p>
      </TestCard>
      <section className="stat-card stat-metrics" aria-label="Mean reversion">
        <div className="stat-metric">
          <span className="stat-label">Half-life</span>
          <span className="stat-value num" data-testid="stationarity-half-life">
            {finite(halfLifeBars) ? (
              <>
                {formatFixed(halfLifeBars, halfLifeBars < 10 ? 2 : 1)} bars
                <span className="muted"> ≈ {formatDuration(halfLifeMs)}</span>
              </>
            ) : (
              DASH
            )}
          </span>
          <span className="stat-caption muted">
            {!report || finite(halfLifeBars)
              ? 'time for a deviation to halve'
              : report.adf.ok
                ? 'no mean reversion (λ ≥ 0)'
                : 'not estimated for this sample'}
          </span>
        </div>
        <div className="stat-metric">
          <span className="stat-label">Hurst exponent</span>
          <span className="stat-value num" data-testid="stationarity-hurst">
            {finite(hurst) ? formatFixed(hurst, 3) : DASH}
          </span>
          <span className="stat-caption muted">
            {report && !finite(hurst) ? 'not defined for this sample · ' : ''}
            variance of lagged differences · &lt; 0.5 mean-reverting, 0.5 random walk, &gt; 0.5
            trending
          </span>
        </div>
      </section>
      <section className="stat-reading" aria-label="Reading">
        <h3>Reading</h3>
        <p data-testid="stationarity-reading">
          {report ? report.reading : 'Waiting for the first run.'}
        </p>
      </section>
    </aside>
  );
}

export function StationarityPanel() {
  const report = useAnalytics((s) => s.report);
  const running = useAnalytics((s) => s.testsRunning);
  const error = useAnalytics((s) => s.testsError);
  const settings = useSession((s) => s.settings);
  const current = settings ? analyticsSelectionOf(settings) : null;
  return (
    <StationarityView
      report={report}
      running={running}
      error={error}
      current={current}
      disabled={!settings}
      onRun={() => void runTests()}
    />
  );
}
