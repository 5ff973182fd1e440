/**
 * Market summary card: the pair's state in a few plain lines from core's marketSummary, each
 * coloured by its tone and followed by the rule that chose the words (so a reader can check
 * why "weak" or "drifting"). Recomputed at most once a second: the volatility medians sort the
 * whole lookback.
 */
import { useEffect, useState } from 'react';
import { marketSummary } from '../../../core/alerts/marketSummary';
import type { SummaryLine } from '../../../core/alerts/marketSummary';
import { summaryInput } from '../../lib/summaryInput';
import { analyticsStore, useAnalytics } from '../../state/analyticsStore';
import { useSession } from '../../state/sessionStore';

const TOPIC_LABEL: Readonly<Record<SummaryLine['topic'], string>> = {
  zscore: 'Spread',
  correlation: 'Correlation',
  cointegration: 'Cointegration',
  volatility: 'Volatility',
  hedge: 'Hedge ratio',
};

const MIN_INTERVAL_MS = 1_000;

function useSummary(): SummaryLine[] | null {
  const rev = useAnalytics((s) => s.rev);
  const epoch = useAnalytics((s) => s.epoch);
  const selection = useAnalytics((s) => s.selection);
  const report = useAnalytics((s) => s.report);
  const threshold = useSession((s) => s.settings?.alertThreshold ?? 2);
  const critical = useSession((s) => s.settings?.alertCritical ?? 3);
  const [lines, setLines] = useState<SummaryLine[] | null>(null);
  const [computedAt, setComputedAt] = useState(0);
  useEffect(() => {
    if (!selection) return undefined;
    const compute = () => {
      const { columns } = analyticsStore.getState();
      setLines(
        marketSummary(
          summaryInput(selection, columns, report, {
            alertThreshold: threshold,
            alertCritical: critical,
          }),
        ),
      );
      setComputedAt(Date.now());
    };
    const wait = computedAt + MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      compute();
      return undefined;
    }
    const timer = setTimeout(compute, wait);
    return () => clearTimeout(timer);
    // computedAt is read, not watched: a new row schedules, the timer computes.
  }, [rev, epoch, selection, report, threshold, critical]);
  return lines;
}

export function MarketSummaryCard() {
  const lines = useSummary();
  const selection = useAnalytics((s) => s.selection);
  return (
    <section className="market-summary" data-testid="market-summary" aria-label="Market summary">
      <header className="market-summary-header">
        <h2>Market summary</h2>
        {selection && (
          <span className="muted small">
            {selection.pairA}/{selection.pairB} {selection.timeframe}
          </span>
        )}
      </header>
      {lines === null ? (
        <p className="muted small">Waiting for the analytics…</p>
      ) : (
        <ul className="market-summary-lines">
          {lines.map((line) => (
            <li
              key={line.topic}
              className={`summary-line tone-${line.tone}`}
              data-testid={`summary-${line.topic}`}
              data-tone={line.tone}
              title={`Rule: ${line.rule}`}
            >
              <span className="summary-topic">{TOPIC_LABEL[line.topic]}</span>
              <span className="summary-text">{line.text}</span>
              <span className="summary-rule muted">{line.rule}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
