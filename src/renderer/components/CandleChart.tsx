/**
 * One symbol's candles with volume below. The chart is created once; live bars extend it via
 * TailSync (only the tail is rewritten) and data-only `setOption` calls. Those run and paint
 * synchronously, in the animation frame that applied the bars (no extra frame of latency),
 * sharing that frame with the other chart (chartFrames) and paced only when costly (UpdateGate).
 */
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Timeframe } from '../../core/market/types';
import {
  candleDataOption,
  candleOption,
  candleStyleOption,
  CANDLE_WRITERS,
} from '../charts/options';
import { PALETTES } from '../charts/palette';
import { formatPriceFast } from '../charts/priceFormat';
import { noteChartRender, registerChartCounter, registerChartProbe } from '../charts/registry';
import { SplitSync } from '../charts/tailSync';
import { chartFrames, UpdateGate } from '../charts/updateGate';
import { seriesPointCount, useChart } from '../charts/useChart';
import { seriesKey } from '../state/barsMerge';
import { barsStore, useBars } from '../state/barsStore';
import { sessionStore, useSession } from '../state/sessionStore';
import { WarmupMessage, MIN_BARS_TO_DRAW } from './WarmupMessage';

/** Bars shown when a history first loads; the rest is a zoom/pan away. */
const INITIAL_VISIBLE_BARS = 160;

interface Props {
  symbol: string;
  timeframe: Timeframe;
  role: 'A' | 'B';
}

export function CandleChart({ symbol, timeframe, role }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useChart(container);
  const theme = useSession((s) => s.settings?.theme ?? 'dark');
  const simulated = useSession((s) => s.source?.simulated ?? false);
  const key = seriesKey(symbol, timeframe);
  const configRef = useRef({ palette: PALETTES[theme], simulated });
  configRef.current = { palette: PALETTES[theme], simulated };

  // Data: (re)built when the series changes, then extended tail-only on every store update.
  useLayoutEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const sync = new SplitSync(CANDLE_WRITERS);
    let zoomedLoadId = -1;
    instance.setOption(candleOption(configRef.current, sync.hist, sync.live), { notMerge: true });
    const apply = () => {
      const series = barsStore.getState().series[key] ?? null;
      const result = sync.sync(series);
      if (result === 'none') return;
      const option = candleDataOption(result === 'all' ? sync.hist : null, sync.live);
      if (series && series.loadId !== zoomedLoadId && !series.inFlight && series.bars.length > 0) {
        zoomedLoadId = series.loadId;
        // A new history: show its most recent bars; zoom and pan reach the rest.
        const bars = series.bars;
        const startValue = bars[Math.max(0, bars.length - INITIAL_VISIBLE_BARS)].startMs;
        option.dataZoom = [
          { id: 'inside', startValue, end: 100 },
          { id: 'slider', startValue, end: 100 },
        ];
      }
      instance.setOption(option, { silent: true });
      const last = sessionStore.getState().prices[symbol];
      // From the tick leaving the feed (its event time) to this update being painted.
      noteChartRender(symbol, last ? (last.eventTimeMs ?? last.timeMs) : null);
    };
    const update = () => {
      const startedAt = performance.now();
      apply();
      gate.recordCost(performance.now() - startedAt);
    };
    const gate = new UpdateGate(() => chartFrames.run(update));
    apply();
    const unsubscribe = barsStore.subscribe((state, previous) => {
      if (state.series[key] !== previous.series[key]) gate.request();
    });
    const unregister = registerChartCounter(symbol, () =>
      seriesPointCount(instance, [0, 1], sync.full.length),
    );
    // The zoom window (bar starts, ms), for "export the visible range".
    const unregisterZoom = registerChartProbe(`candles-zoom-${role}`, () => {
      const option = instance.getOption() as {
        dataZoom?: { startValue?: number; endValue?: number }[];
      };
      const zoom = option.dataZoom?.[0];
      return zoom ? { startValue: zoom.startValue ?? null, endValue: zoom.endValue ?? null } : null;
    });
    return () => {
      gate.dispose();
      chartFrames.cancel(update);
      unsubscribe();
      unregister();
      unregisterZoom();
    };
  }, [chart, key, symbol, role]);

  // Theme and SIMULATED label: colours only, the data stays.
  useEffect(() => {
    chart.current?.setOption(candleStyleOption({ palette: PALETTES[theme], simulated }));
  }, [chart, theme, simulated]);

  const needed = MIN_BARS_TO_DRAW;
  const count = useBars((s) => Math.min(s.series[key]?.bars.length ?? 0, needed));
  const status = useBars((s) => s.series[key]?.status ?? 'loading');
  const error = useBars((s) => s.series[key]?.error ?? null);

  return (
    <section className="chart-panel" aria-label={`${symbol} candles`}>
      <ChartHeader symbol={symbol} timeframe={timeframe} role={role} simulated={simulated} />
      <div className="chart-body">
        <div
          ref={container}
          className="chart-canvas"
          data-testid={`chart-candles-${symbol}`}
          role="img"
          aria-label={`${symbol} ${timeframe} candlestick chart with volume, times in UTC`}
        />
        {count < needed && (
          <WarmupMessage
            symbol={symbol}
            timeframe={timeframe}
            have={count}
            needed={needed}
            status={status}
            error={error}
          />
        )}
      </div>
    </section>
  );
}

function ChartHeader({
  symbol,
  timeframe,
  role,
  simulated,
}: {
  symbol: string;
  timeframe: Timeframe;
  role: 'A' | 'B';
  simulated: boolean;
}) {
  const key = seriesKey(symbol, timeframe);
  const last = useSession((s) => s.prices[symbol]?.price ?? null);
  const firstOpen = useBars((s) => s.series[key]?.bars[0]?.open ?? null);
  const lastClose = useBars((s) => {
    const bars = s.series[key]?.bars;
    return bars && bars.length > 0 ? bars[bars.length - 1].close : null;
  });
  const price = last ?? lastClose;
  const change =
    price !== null && firstOpen !== null && firstOpen !== 0
      ? ((price - firstOpen) / firstOpen) * 100
      : null;
  return (
    <header className="chart-header">
      <span className={`pair-role pair-role-${role.toLowerCase()}`}>{role}</span>
      <h2 className="chart-symbol">{symbol}</h2>
      <span className="chart-tf">{timeframe}</span>
      <span className="chart-price num">{price !== null ? formatPriceFast(price) : '—'}</span>
      {change !== null && (
        <span
          className={`chart-change num ${change >= 0 ? 'up' : 'down'}`}
          title="Change over the loaded history"
        >
          {change >= 0 ? '+' : ''}
          {change.toFixed(2)}%
        </span>
      )}
      {simulated && <span className="badge badge-simulated">SIMULATED</span>}
      <span className="chart-hint">UTC</span>
    </header>
  );
}
