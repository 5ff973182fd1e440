/** The pair on one scale: each close ÷ its first loaded close × 100. Extended tail-only. */
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Timeframe } from '../../core/market/types';
import {
  OVERLAY_WRITERS,
  overlayDataOption,
  overlayOption,
  overlayStyleOption,
} from '../charts/options';
import { PALETTES } from '../charts/palette';
import { registerChartCounter } from '../charts/registry';
import { SplitSync } from '../charts/tailSync';
import { measureUntilNextFrame, UpdateGate } from '../charts/updateGate';
import { seriesPointCount, useChart } from '../charts/useChart';
import { seriesKey } from '../state/barsMerge';
import { barsStore, useBars } from '../state/barsStore';
import { useSession } from '../state/sessionStore';
import { MIN_BARS_TO_DRAW, WarmupMessage } from './WarmupMessage';

interface Props {
  symbolA: string;
  symbolB: string;
  timeframe: Timeframe;
}

export function OverlayChart({ symbolA, symbolB, timeframe }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useChart(container);
  const theme = useSession((s) => s.settings?.theme ?? 'dark');
  const simulated = useSession((s) => s.source?.simulated ?? false);
  const keyA = seriesKey(symbolA, timeframe);
  const keyB = seriesKey(symbolB, timeframe);
  const axis = useRef({ digits: 1 }).current;
  const config = { palette: PALETTES[theme], simulated, nameA: symbolA, nameB: symbolB, axis };
  const configRef = useRef(config);
  configRef.current = config;

  useLayoutEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    // Overlap 1: the live line starts at the history's last point, so the line is unbroken.
    const syncA = new SplitSync(OVERLAY_WRITERS, 300, 1);
    const syncB = new SplitSync(OVERLAY_WRITERS, 300, 1);
    instance.setOption(overlayOption(configRef.current, syncA, syncB), { notMerge: true });
    const apply = () => {
      const { series } = barsStore.getState();
      const a = syncA.sync(series[keyA] ?? null);
      const b = syncB.sync(series[keyB] ?? null);
      if (a === 'none' && b === 'none') return;
      instance.setOption(
        overlayDataOption(
          { hist: a === 'all' ? syncA.hist : null, live: syncA.live },
          { hist: b === 'all' ? syncB.hist : null, live: syncB.live },
        ),
        { lazyUpdate: true },
      );
    };
    const gate = new UpdateGate(() => {
      const startedAt = performance.now();
      apply();
      measureUntilNextFrame(gate, startedAt);
    });
    apply();
    const unsubscribe = barsStore.subscribe((state, previous) => {
      if (
        state.series[keyA] !== previous.series[keyA] ||
        state.series[keyB] !== previous.series[keyB]
      )
        gate.request();
    });
    const unregister = registerChartCounter('overlay', () =>
      seriesPointCount(instance, [0, 1], syncA.full.length, syncA.historyLength > 0 ? 1 : 0),
    );
    return () => {
      gate.dispose();
      unsubscribe();
      unregister();
    };
  }, [chart, keyA, keyB]);

  useEffect(() => {
    chart.current?.setOption(
      overlayStyleOption({
        palette: PALETTES[theme],
        simulated,
        nameA: symbolA,
        nameB: symbolB,
        axis,
      }),
    );
  }, [chart, theme, simulated, symbolA, symbolB, axis]);

  const needed = MIN_BARS_TO_DRAW;
  const countA = useBars((s) => Math.min(s.series[keyA]?.bars.length ?? 0, needed));
  const countB = useBars((s) => Math.min(s.series[keyB]?.bars.length ?? 0, needed));
  const statusA = useBars((s) => s.series[keyA]?.status ?? 'loading');
  const statusB = useBars((s) => s.series[keyB]?.status ?? 'loading');
  const errorA = useBars((s) => s.series[keyA]?.error ?? null);
  const errorB = useBars((s) => s.series[keyB]?.error ?? null);
  const waitingA = countA < needed;
  const waiting = waitingA || countB < needed;

  return (
    <section className="chart-panel chart-panel-overlay" aria-label="Pair overlay">
      <header className="chart-header">
        <h2 className="chart-symbol">
          {symbolA} <span className="muted">vs</span> {symbolB}
        </h2>
        <span className="chart-tf">{timeframe}</span>
        <span className="chart-hint-inline muted">normalised to 100 at the first loaded bar</span>
        {simulated && <span className="badge badge-simulated">SIMULATED</span>}
        <span className="chart-hint">UTC</span>
      </header>
      <div className="chart-body">
        <div
          ref={container}
          className="chart-canvas"
          data-testid="chart-overlay"
          role="img"
          aria-label={`${symbolA} and ${symbolB} normalised to a common start`}
        />
        {waiting && (
          <WarmupMessage
            symbol={waitingA ? symbolA : symbolB}
            timeframe={timeframe}
            have={waitingA ? countA : countB}
            needed={needed}
            status={waitingA ? statusA : statusB}
            error={waitingA ? errorA : errorB}
            purpose="to compare the pair"
          />
        )}
      </div>
    </section>
  );
}
