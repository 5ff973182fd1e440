/**
 * One analytics panel (spread, z-score, hedge ratio, correlation or volatility). The chart is
 * created once per selection and threshold; live rows extend it through SplitSync (only the tail
 * is rewritten, the large history series is left alone) with data-only `setOption` calls, paced
 * by an UpdateGate. The panels share one ECharts `connect` group: zoom, pan and crosshair move
 * together.
 */
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import {
  alertMarkerSeries,
  ANALYTICS_GROUP,
  lastValueText,
  markerPoints,
  PANELS,
  panelDataOption,
  panelOption,
  panelStyleOption,
  panelWriters,
} from '../../charts/analyticsOptions';
import type {
  AnalyticsPanelId,
  AxisState,
  ColumnsRef,
  PanelConfig,
} from '../../charts/analyticsOptions';
import { echarts } from '../../charts/echarts';
import { PALETTES } from '../../charts/palette';
import { registerChartCounter, registerChartProbe } from '../../charts/registry';
import { TIMEFRAME_MS } from '../../../core/market/types';
import { alertsStore, useAlerts } from '../../state/alertsStore';
import { SplitSync } from '../../charts/tailSync';
import { measureUntilNextFrame, UpdateGate } from '../../charts/updateGate';
import { seriesPointCount, useChart } from '../../charts/useChart';
import { analyticsStore, lowerBoundMs, rowAt, useAnalytics } from '../../state/analyticsStore';
import type { AnalyticsRow } from '../../state/analyticsStore';
import { useSession } from '../../state/sessionStore';

/** The row at `t`, or the last one before it (the crosshair snaps to rows). */
export function rowAtTime(t: number): AnalyticsRow | null {
  const { columns } = analyticsStore.getState();
  const n = columns.startMs.length;
  if (n === 0) return null;
  let i = lowerBoundMs(columns.startMs, t);
  if (i >= n || columns.startMs[i] !== t) i -= 1;
  return rowAt(columns, Math.max(0, i));
}

interface Props {
  id: AnalyticsPanelId;
  title: string;
  /** What the panel shows, in a few words (header). */
  subtitle: ReactNode;
  bottom?: boolean;
  testId: string;
  ariaLabel: string;
}

export function AnalyticsPanel({ id, title, subtitle, bottom = false, testId, ariaLabel }: Props) {
  const def = PANELS[id];
  const container = useRef<HTMLDivElement>(null);
  const chart = useChart(container);
  const theme = useSession((s) => s.settings?.theme ?? 'dark');
  const threshold = useSession((s) => s.settings?.alertThreshold ?? 2);
  const simulated = useSession((s) => s.source?.simulated ?? false);
  const pairA = useAnalytics((s) => s.selection?.pairA ?? null);
  const pairB = useAnalytics((s) => s.selection?.pairB ?? null);
  const hedgeMethod = useAnalytics((s) => s.selection?.hedgeMethod ?? null);
  const axis = useRef<AxisState>({ digits: 2 }).current;

  const config: PanelConfig = {
    palette: PALETTES[theme],
    threshold,
    selection: pairA && pairB && hedgeMethod ? { pairA, pairB, hedgeMethod } : null,
    bottom,
    rowAt: rowAtTime,
  };
  const configRef = useRef(config);
  configRef.current = config;

  // Data: (re)built when the threshold or the leg names change, then extended tail-only.
  useLayoutEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    instance.group = ANALYTICS_GROUP;
    echarts.connect(ANALYTICS_GROUP);
    const ref: ColumnsRef = {
      columns: analyticsStore.getState().columns,
      threshold: configRef.current.threshold,
    };
    // Overlap 1: each live line starts at its history's last point, so lines are unbroken.
    const sync = new SplitSync<number>(panelWriters(def, ref), 300, 1);
    instance.setOption(panelOption(def, configRef.current, axis, sync.hist, sync.live), {
      notMerge: true,
    });
    const apply = () => {
      const state = analyticsStore.getState();
      ref.columns = state.columns;
      const result = sync.sync({
        bars: state.columns.startMs,
        epoch: state.epoch,
        loadId: 0,
        rev: state.rev,
      });
      if (result === 'none') return;
      instance.setOption(panelDataOption(def, result === 'all' ? sync.hist : null, sync.live), {
        lazyUpdate: true,
      });
    };
    const gate = new UpdateGate(() => {
      const startedAt = performance.now();
      apply();
      measureUntilNextFrame(gate, startedAt);
    });
    apply();
    const unsubscribe = analyticsStore.subscribe((state, previous) => {
      if (state.rev !== previous.rev || state.epoch !== previous.epoch) gate.request();
    });
    // Points of the panel's first line (history + live tail, minus the shared point).
    const unregister = registerChartCounter(`analytics-${id}`, () =>
      seriesPointCount(instance, [0, 1], sync.full.length, sync.historyLength > 0 ? 1 : 0),
    );
    return () => {
      gate.dispose();
      unsubscribe();
      unregister();
    };
  }, [chart, def, id, axis, threshold, pairA, pairB, hedgeMethod]);

  // Alert markers of the selection: redrawn when the events, the theme or the focus change, when
  // the rows are rebuilt (a new static β moves every spread value), and when new rows resolve a
  // marker not placed yet (the spread panel needs its bar).
  const markers = useAlerts((s) => s.markers);
  const focusId = useAlerts((s) => s.focus?.alertId ?? null);
  useEffect(() => {
    const instance = chart.current;
    if (!instance || !def.alertMarkers) return undefined;
    let drawn = -1;
    let lastFocus: number | null = null;
    const draw = (rebuilt: boolean) => {
      const { columns } = analyticsStore.getState();
      const focus = alertsStore.getState().focus?.alertId ?? lastFocus;
      const points = markerPoints(def, markers, columns, focus);
      if (!rebuilt && points.length === drawn && focus === lastFocus) return;
      drawn = points.length;
      lastFocus = focus;
      instance.setOption(
        { series: [alertMarkerSeries(points, configRef.current.palette)] },
        { lazyUpdate: true },
      );
    };
    draw(true);
    const unsubscribe = analyticsStore.subscribe((state, previous) => {
      if (state.epoch !== previous.epoch) draw(true);
      else if (state.rev !== previous.rev) draw(false);
    });
    const unregister = registerChartProbe(`alert-markers-${id}`, () => Math.max(0, drawn));
    return () => {
      unsubscribe();
      unregister();
    };
  }, [chart, def, id, markers, focusId, theme, threshold, pairA, pairB, hedgeMethod]);

  // Bring a focused alert's bar into view (toast click, `alertFocus`): once the rows of its
  // selection are in, zoom to ±60 bars around it; the connected panels follow.
  const focus = useAlerts((s) => s.focus);
  const rows = useAnalytics((s) => s.columns.startMs.length);
  const timeframe = useAnalytics((s) => s.selection?.timeframe ?? null);
  useEffect(() => {
    const instance = chart.current;
    if (id !== 'zscore' || !instance || !focus || rows === 0) return;
    if (focus.pairA !== pairA || focus.pairB !== pairB || focus.timeframe !== timeframe) return;
    const half = 60 * TIMEFRAME_MS[focus.timeframe];
    instance.dispatchAction({
      type: 'dataZoom',
      startValue: focus.barStartMs - half,
      endValue: focus.barStartMs + half,
    });
    alertsStore.getState().clearFocus(focus.seq);
  }, [chart, id, focus, rows, pairA, pairB, timeframe]);

  useEffect(() => {
    const instance = chart.current;
    if (id !== 'zscore' || !instance) return undefined;
    return registerChartProbe('analytics-zoom', () => {
      const option = instance.getOption() as {
        dataZoom?: { startValue?: number; endValue?: number }[];
      };
      const zoom = option.dataZoom?.[0];
      return zoom ? { startValue: zoom.startValue ?? null, endValue: zoom.endValue ?? null } : null;
    });
  }, [chart, id]);

  // Theme: colours only, the data stays.
  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    instance.setOption(panelStyleOption(def, configRef.current, axis));
    // A readout drawn in the old colours would linger until the pointer moves.
    instance.dispatchAction({ type: 'hideTip' });
  }, [chart, def, axis, theme]);

  return (
    <section className={`chart-panel analytics-panel analytics-panel-${id}`} aria-label={title}>
      <header className="chart-header analytics-header">
        <h2 className="chart-symbol">{title}</h2>
        {/* Cut with an ellipsis when the legend needs the room: the whole text on hover. */}
        <span
          className="chart-hint-inline muted"
          title={typeof subtitle === 'string' ? subtitle : undefined}
        >
          {subtitle}
        </span>
        <LastValues id={id} config={config} axis={axis} />
        {simulated && <span className="badge badge-simulated">SIMULATED</span>}
      </header>
      <div className="chart-body">
        <div
          ref={container}
          className="chart-canvas"
          data-testid={testId}
          role="img"
          aria-label={ariaLabel}
        />
      </div>
    </section>
  );
}

/** The last row's values in the header: a legend that reads like a quote line. */
function LastValues({
  id,
  config,
  axis,
}: {
  id: AnalyticsPanelId;
  config: PanelConfig;
  axis: AxisState;
}) {
  const def = PANELS[id];
  // Re-render when rows change; the row itself is read from the store.
  useAnalytics((s) => s.rev);
  const { columns } = analyticsStore.getState();
  const row = rowAt(columns, columns.startMs.length - 1);
  const p = config.palette;
  const digits = Math.min(8, axis.digits + def.readoutExtraDigits);
  return (
    <span className="analytics-legend">
      {def.lines.map((line) => {
        const text = lastValueText(line, row, config, digits);
        const breach =
          def.thresholds &&
          row?.zscore !== null &&
          row?.zscore !== undefined &&
          Math.abs(row.zscore) >= config.threshold;
        const isZ = id === 'zscore';
        return (
          <span key={line.id} className="analytics-legend-item">
            <span
              className={line.dashed ? 'legend-swatch dashed' : 'legend-swatch'}
              style={{
                borderColor: line.halo ? p.text : line.color(p),
                opacity: line.halo ? 0.5 : 1,
              }}
              aria-hidden="true"
            />
            <span className="muted">{line.name(config)}</span>
            <span
              className={breach ? 'num legend-value breach' : 'num legend-value'}
              data-testid={isZ ? 'analytics-last-zscore' : undefined}
              data-value={isZ && row?.zscore != null ? String(row.zscore) : undefined}
              data-start-ms={isZ && row ? String(row.startMs) : undefined}
            >
              {text}
            </span>
          </span>
        );
      })}
    </span>
  );
}
