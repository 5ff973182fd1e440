/**
 * ECharts options of the Analytics tab: five line panels on one time axis (spread, z-score,
 * hedge ratio, correlation, volatility), connected so zoom, pan and the crosshair move together.
 * As for the candle charts, a panel is created once with the full option; live rows go in with
 * data-only options and a theme switch with style-only options, both merged.
 *
 * Every value drawn is a column from the main side; the only arithmetic here is presentation:
 * the band lines mean ± k·std, volatility × 100 (percent), and axis label precision.
 */
import type {
  AlertRecord,
  AnalyticsColumns,
  AnalyticsSelection,
} from '../../core/contract/contract';
import type { AlertKind } from '../../core/alerts/types';
import {
  axisDigits,
  DASH,
  formatFixed,
  formatPercent,
  formatSigned,
  formatUtcDateTime,
} from '../lib/format';
import { lowerBoundMs, type AnalyticsRow } from '../state/analyticsStore';
import { packPoints } from './chartData';
import { axisStyle, TIME_LABELS, zoomStyle } from './chartStyle';
import type { EChartsCoreOption } from './echarts';
import type { ChartPalette } from './palette';
import type { PointWriter } from './tailSync';

export type AnalyticsPanelId = 'spread' | 'zscore' | 'hedge' | 'correlation' | 'volatility';

export const ANALYTICS_PANELS: readonly AnalyticsPanelId[] = [
  'spread',
  'zscore',
  'hedge',
  'correlation',
  'volatility',
];

/** The ECharts `connect` group of the panels: zoom, pan and crosshair are shared. */
export const ANALYTICS_GROUP = 'pairdesk-analytics';

/** Where a panel's plot sits in its canvas; the same left/right on every panel keeps x aligned. */
export const GRID = { left: 10, right: 66, top: 8 } as const;

export interface PanelConfig {
  palette: ChartPalette;
  /** |z| that raises an alert: threshold lines and bands. */
  threshold: number;
  /** Names the lines after the legs. */
  selection: Pick<AnalyticsSelection, 'pairA' | 'pairB' | 'hedgeMethod'> | null;
  /** The bottom panel carries the time labels and the zoom slider. */
  bottom: boolean;
  /** The row at (or nearest before) a time, for the crosshair readout. */
  rowAt: (timeMs: number) => AnalyticsRow | null;
}

/** One line of a panel, drawn as two series: the history and the live tail. */
export interface LineDef {
  id: string;
  name: (config: PanelConfig) => string;
  color: (p: ChartPalette) => string;
  width?: number;
  dashed?: boolean;
  /** Drawn beneath the others, wide and translucent (the β in use). */
  halo?: boolean;
  /** Drawing order (higher on top); default 3. */
  z?: number;
  /**
   * Coloured by the panel's visualMap (the z-score turns to the breach colour beyond ±k): no
   * explicit line colour, which would override the visual.
   */
  byVisualMap?: boolean;
  value: (c: AnalyticsColumns, i: number, threshold: number) => number | null;
  /** The value of a row as shown in the readout. */
  format: (row: AnalyticsRow, threshold: number, digits: number) => string;
}

export interface PanelDef {
  id: AnalyticsPanelId;
  lines: readonly LineDef[];
  /** Fixed y range (correlation), else scaled to the visible data. */
  fixedY?: { min: number; max: number };
  /** The z-score panel: always shows ±threshold and shades beyond it. */
  thresholds?: boolean;
  /** Reference lines drawn on the first series. */
  references?: readonly number[];
  /** Axis label for a value, given the label precision for the visible range. */
  axisLabel: (value: number, digits: number) => string;
  /** Extra decimals of the readout over the axis labels. */
  readoutExtraDigits: number;
  /** Where alert events are marked (z-score: the event's z; spread: the spread at its bar). */
  alertMarkers?: 'zscore' | 'spread';
}

function num(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** mean ± k·std (presentation of the band; both come from the main side). */
function band(c: AnalyticsColumns, i: number, k: number): number | null {
  const mean = num(c.spreadMean[i]);
  const std = num(c.spreadStd[i]);
  return mean === null || std === null ? null : mean + k * std;
}

function bandOfRow(row: AnalyticsRow, k: number): number | null {
  return row.spreadMean === null || row.spreadStd === null
    ? null
    : row.spreadMean + k * row.spreadStd;
}

const percent = (v: number | null): number | null => (v === null ? null : v * 100);

const HEDGE_NAMES = { static: 'static', rolling: 'rolling OLS', kalman: 'Kalman' } as const;

export const PANELS: Readonly<Record<AnalyticsPanelId, PanelDef>> = {
  spread: {
    id: 'spread',
    lines: [
      {
        id: 'spread',
        name: () => 'Spread',
        color: (p) => p.spread,
        width: 1.5,
        z: 4,
        value: (c, i) => num(c.spread[i]),
        format: (r, _k, d) => formatFixed(r.spread, d),
      },
      {
        id: 'mean',
        name: () => 'Mean',
        color: (p) => p.mean,
        width: 1.2,
        z: 3,
        value: (c, i) => num(c.spreadMean[i]),
        format: (r, _k, d) => formatFixed(r.spreadMean, d),
      },
      {
        id: 'upper',
        name: (c) => `+${c.threshold}σ`,
        color: (p) => p.band,
        width: 1,
        dashed: true,
        z: 2,
        value: (c, i, k) => band(c, i, k),
        format: (r, k, d) => formatFixed(bandOfRow(r, k), d),
      },
      {
        id: 'lower',
        name: (c) => `−${c.threshold}σ`,
        color: (p) => p.band,
        width: 1,
        dashed: true,
        z: 2,
        value: (c, i, k) => band(c, i, -k),
        format: (r, k, d) => formatFixed(bandOfRow(r, -k), d),
      },
    ],
    axisLabel: (v, d) => formatFixed(v, d),
    readoutExtraDigits: 2,
    alertMarkers: 'spread',
  },
  zscore: {
    id: 'zscore',
    lines: [
      {
        id: 'zscore',
        name: () => 'z',
        color: (p) => p.zscore,
        width: 1.5,
        byVisualMap: true,
        value: (c, i) => num(c.zscore[i]),
        format: (r) => formatSigned(r.zscore, 2),
      },
    ],
    thresholds: true,
    references: [0],
    axisLabel: (v, d) => formatSigned(v, d),
    readoutExtraDigits: 0,
    alertMarkers: 'zscore',
  },
  hedge: {
    id: 'hedge',
    lines: [
      {
        id: 'used',
        name: (c) => `β used (${c.selection ? HEDGE_NAMES[c.selection.hedgeMethod] : 'method'})`,
        color: (p) => p.betaUsed,
        width: 5,
        halo: true,
        value: (c, i) => num(c.hedgeRatio[i]),
        format: (r, _k, d) => formatFixed(r.hedgeRatio, d),
      },
      {
        id: 'rolling',
        name: () => 'Rolling OLS β',
        color: (p) => p.betaRolling,
        width: 1.4,
        value: (c, i) => num(c.betaRolling[i]),
        format: (r, _k, d) => formatFixed(r.betaRolling, d),
      },
      {
        id: 'kalman',
        name: () => 'Kalman β',
        color: (p) => p.betaKalman,
        width: 1.4,
        value: (c, i) => num(c.betaKalman[i]),
        format: (r, _k, d) => formatFixed(r.betaKalman, d),
      },
    ],
    axisLabel: (v, d) => formatFixed(v, d),
    readoutExtraDigits: 2,
  },
  correlation: {
    id: 'correlation',
    lines: [
      {
        id: 'correlation',
        name: () => 'ρ',
        color: (p) => p.correlation,
        width: 1.5,
        value: (c, i) => num(c.correlation[i]),
        format: (r) => formatSigned(r.correlation, 3),
      },
    ],
    fixedY: { min: -1, max: 1 },
    references: [0],
    axisLabel: (v, d) => formatSigned(v, d),
    readoutExtraDigits: 0,
  },
  volatility: {
    id: 'volatility',
    lines: [
      {
        id: 'volA',
        name: (c) => c.selection?.pairA ?? 'A',
        color: (p) => p.lineA,
        width: 1.4,
        value: (c, i) => percent(num(c.volA[i])),
        format: (r) => formatPercent(r.volA, 1),
      },
      {
        id: 'volB',
        name: (c) => c.selection?.pairB ?? 'B',
        color: (p) => p.lineB,
        width: 1.4,
        value: (c, i) => percent(num(c.volB[i])),
        format: (r) => formatPercent(r.volB, 1),
      },
    ],
    axisLabel: (v, d) => `${formatFixed(v, d)}%`,
    readoutExtraDigits: 0,
  },
};

/** Data source of the writers: the store's columns (replaced on a reset, so read each time). */
export interface ColumnsRef {
  columns: AnalyticsColumns;
  threshold: number;
}

/** One writer per line: [t, value] points, '-' where undefined (a gap in the line). */
export function panelWriters(def: PanelDef, ref: ColumnsRef): PointWriter<number>[] {
  return def.lines.map((line) => (t: number, i: number) => [
    t,
    line.value(ref.columns, i, ref.threshold) ?? '-',
  ]);
}

/** Label precision of a panel's y axis, kept current from the extent ECharts computes. */
export interface AxisState {
  digits: number;
  /**
   * The z-score axis: its bounds and the tick interval ECharts draws between them. The bounds
   * are ticks too, and one that is not a multiple of the interval (+7 above +6) would sit a
   * fraction of an interval from its neighbour: its label is left out.
   */
  edges?: { min: number; max: number; step: number };
}

const SPLIT_NUMBER = 3;

/**
 * The tick interval ECharts uses for fixed bounds: `nice(span / splitNumber)` with the 1, 2, 3,
 * 5, 10 steps of its `nice(…, round = true)` (echarts/lib/scale/helper intervalScaleNiceTicks).
 */
export function valueAxisInterval(min: number, max: number, splitNumber = SPLIT_NUMBER): number {
  const raw = Math.abs(max - min) / Math.max(1, splitNumber);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const exponent = Math.floor(Math.log10(raw));
  const p10 = 10 ** exponent;
  const f = raw / p10;
  const nice = f < 1.5 ? 1 : f < 2.5 ? 2 : f < 4 ? 3 : f < 7 ? 5 : 10;
  return nice * p10;
}

/**
 * The y-axis label of `value`, or '' for a bound of the axis that is off the tick interval (it
 * would crowd the tick next to it, e.g. +6 and +7 with an interval of 3).
 */
export function yAxisLabel(def: PanelDef, axis: AxisState, value: number): string {
  const edges = axis.edges;
  if (edges && (value === edges.min || value === edges.max)) {
    const k = value / edges.step;
    if (Math.abs(k - Math.round(k)) > 1e-9) return '';
  }
  return def.axisLabel(value, axis.digits);
}

/** Bounds of the z-score axis: whole numbers, ±1.25·threshold always in view. */
export function zAxisBounds(
  extent: { min: number; max: number },
  threshold: number,
): { min: number; max: number } {
  const lo = Number.isFinite(extent.min) ? extent.min : 0;
  const hi = Number.isFinite(extent.max) ? extent.max : 0;
  return {
    min: Math.floor(Math.min(lo, -threshold * 1.25)),
    max: Math.ceil(Math.max(hi, threshold * 1.25)),
  };
}

function yRange(def: PanelDef, threshold: number, axis: AxisState) {
  if (def.fixedY) {
    axis.digits = axisDigits(def.fixedY.min, def.fixedY.max, SPLIT_NUMBER);
    return { min: def.fixedY.min, max: def.fixedY.max, interval: 0.5 };
  }
  if (def.thresholds) {
    // ±threshold always in view, whole-number bounds; labels only on the tick interval.
    return {
      min: (e: { min: number; max: number }) => {
        const { min, max } = zAxisBounds(e, threshold);
        axis.digits = axisDigits(min, max, SPLIT_NUMBER);
        axis.edges = { min, max, step: valueAxisInterval(min, max) };
        return min;
      },
      max: (e: { min: number; max: number }) => zAxisBounds(e, threshold).max,
    };
  }
  return {
    scale: true,
    // Called with the visible data's extent before the labels are formatted; null = auto.
    min: (e: { min: number; max: number }) => {
      axis.digits = axisDigits(e.min, e.max, SPLIT_NUMBER);
      return null as unknown as number;
    },
  };
}

type TooltipParam = { axisValue?: unknown; value?: unknown };

/** The crosshair readout: the time and every line's value at that bar ("—" when undefined). */
function readout(def: PanelDef, config: PanelConfig, axis: AxisState) {
  const p = config.palette;
  return (raw: unknown) => {
    const params = (Array.isArray(raw) ? raw : [raw]) as TooltipParam[];
    const first = params.find((x) => Array.isArray(x.value)) ?? params[0];
    const t = Array.isArray(first?.value) ? Number((first.value as unknown[])[0]) : NaN;
    const time = Number.isFinite(t) ? t : Number(first?.axisValue);
    if (!Number.isFinite(time)) return '';
    const row = config.rowAt(time);
    if (!row) return '';
    const digits = Math.min(8, axis.digits + def.readoutExtraDigits);
    const cells = def.lines
      .map((line) => {
        const value = line.format(row, config.threshold, digits);
        const breach =
          def.thresholds && row.zscore !== null && Math.abs(row.zscore) >= config.threshold;
        const colour = line.halo ? p.text : line.color(p);
        return (
          `<span style="white-space:nowrap;margin-right:10px">` +
          `<span style="display:inline-block;width:8px;height:2px;vertical-align:middle;` +
          `background:${colour};margin-right:5px"></span>` +
          `<span style="color:${p.muted}">${line.name(config)}</span> ` +
          `<b style="font-variant-numeric:tabular-nums;color:${breach ? p.breach : p.text}">${value}</b></span>`
        );
      })
      .join('');
    return (
      `<span style="color:${p.muted};margin-right:10px;font-variant-numeric:tabular-nums">` +
      `${formatUtcDateTime(row.startMs)}</span>${cells}`
    );
  };
}

function tooltip(def: PanelDef, config: PanelConfig, axis: AxisState) {
  const p = config.palette;
  return {
    trigger: 'axis',
    axisPointer: {
      type: 'line',
      snap: true,
      lineStyle: { color: p.crosshair, type: 'dashed', width: 1 },
      label: { show: false },
    },
    backgroundColor: p.tooltipBg,
    borderColor: p.tooltipBorder,
    borderWidth: 1,
    padding: [2, 6],
    textStyle: { color: p.text, fontSize: 11 },
    extraCssText: 'box-shadow:none;border-radius:3px;',
    // A fixed readout in the panel's top-left corner: every connected panel shows its values.
    position: [GRID.left + 4, 2],
    transitionDuration: 0,
    formatter: readout(def, config, axis),
  };
}

function lineSeries(
  def: PanelDef,
  line: LineDef,
  config: PanelConfig,
  id: string,
  data: unknown[],
  withMarkers: boolean,
) {
  const p = config.palette;
  const color = line.color(p);
  const series: Record<string, unknown> = {
    id,
    name: line.name(config),
    type: 'line',
    data,
    showSymbol: false,
    symbol: 'none',
    sampling: 'lttb',
    connectNulls: false,
    z: line.halo ? 1 : (line.z ?? 3),
    progressive: 5_000,
    progressiveThreshold: 20_000,
    lineStyle: {
      width: line.width ?? 1.5,
      ...(line.byVisualMap ? {} : { color }),
      type: line.dashed ? 'dashed' : 'solid',
    },
    itemStyle: line.byVisualMap ? {} : { color },
    emphasis: { disabled: true },
    animation: false,
  };
  if (withMarkers) Object.assign(series, markers(def, config));
  return series;
}

/** Threshold lines, breach shading and reference lines, carried by the panel's first series. */
function markers(def: PanelDef, config: PanelConfig) {
  const p = config.palette;
  const k = config.threshold;
  const out: Record<string, unknown> = {};
  const lines: Record<string, unknown>[] = (def.references ?? []).map((y) => ({
    yAxis: y,
    lineStyle: { color: p.reference, type: 'solid', width: 1 },
  }));
  if (def.thresholds) {
    for (const y of [k, -k]) {
      lines.push({
        yAxis: y,
        lineStyle: { color: p.breach, type: 'dashed', width: 1 },
        label: {
          show: true,
          position: 'insideEndTop',
          formatter: `${y > 0 ? '+' : '−'}${k}`,
          color: p.breach,
          fontSize: 10,
        },
      });
    }
    out.markArea = {
      silent: true,
      itemStyle: { color: p.breachFill },
      data: [
        [{ yAxis: k }, { yAxis: 1e9 }],
        [{ yAxis: -1e9 }, { yAxis: -k }],
      ],
    };
  }
  if (lines.length > 0) {
    out.markLine = {
      silent: true,
      symbol: 'none',
      animation: false,
      label: { show: false },
      data: lines,
    };
  }
  return out;
}

/** Series of a panel: every line's history then its live tail (hist ids = line ids). */
function panelSeries(def: PanelDef, config: PanelConfig, hist: unknown[][], live: unknown[][]) {
  const ordered = def.lines.map((line, k) => ({ line, k }));
  const series: Record<string, unknown>[] = [];
  for (const { line, k } of ordered) {
    series.push(lineSeries(def, line, config, line.id, hist[k], k === 0));
    series.push(lineSeries(def, line, config, `${line.id}Live`, live[k], false));
  }
  // Last, so the line series keep their indices (the visualMap and the point counter use them).
  if (def.alertMarkers) series.push(alertMarkerSeries([], config.palette));
  return series;
}

/** Id of the alert-marker series of the spread and z-score panels. */
export const ALERT_MARKER_SERIES = 'alertMarkers';

/** One alert event as drawn on a panel. */
export interface MarkerPoint {
  t: number;
  y: number;
  kind: AlertKind;
  id: number;
  focused: boolean;
}

export function alertKindColor(kind: AlertKind, p: ChartPalette): string {
  return kind === 'breach' ? p.alertBreach : kind === 'escalate' ? p.alertEscalate : p.alertRevert;
}

/**
 * Where a panel marks each event: at its bar (barStartMs) and the event's z on the z-score
 * panel, the spread at that bar on the spread panel (left out while the bar is not in the rows).
 */
export function markerPoints(
  def: PanelDef,
  records: readonly AlertRecord[],
  columns: AnalyticsColumns,
  focusId: number | null,
): MarkerPoint[] {
  const out: MarkerPoint[] = [];
  if (!def.alertMarkers) return out;
  for (const r of records) {
    let y: number | null = null;
    if (def.alertMarkers === 'zscore') {
      y = Number.isFinite(r.value) ? r.value : null;
    } else {
      const i = indexOfStart(columns.startMs, r.barStartMs);
      y = i < 0 ? null : num(columns.spread[i]);
    }
    if (y === null) continue;
    out.push({ t: r.barStartMs, y, kind: r.kind, id: r.id, focused: r.id === focusId });
  }
  return out;
}

/** Index of the row starting exactly at t, −1 when there is none. */
function indexOfStart(startMs: readonly number[], t: number): number {
  const i = lowerBoundMs(startMs, t);
  return i < startMs.length && startMs[i] === t ? i : -1;
}

/** The scatter series of the markers: a triangle per breach/escalate, a circle per revert. */
export function alertMarkerSeries(
  points: readonly MarkerPoint[],
  p: ChartPalette,
): Record<string, unknown> {
  return {
    id: ALERT_MARKER_SERIES,
    name: 'Alerts',
    type: 'scatter',
    z: 6,
    silent: true,
    animation: false,
    emphasis: { disabled: true },
    data: points.map((m) => ({
      value: [m.t, m.y],
      symbol: m.kind === 'revert' ? 'circle' : m.y >= 0 ? 'triangle' : 'path://M0,0 L10,0 L5,10 Z',
      symbolSize: m.focused ? 14 : m.kind === 'revert' ? 7 : 9,
      itemStyle: {
        color: alertKindColor(m.kind, p),
        borderColor: m.focused ? p.text : p.tooltipBg,
        borderWidth: m.focused ? 2 : 1,
      },
    })),
  };
}

/** The z-score line changes colour beyond ±threshold (both the history and the live series). */
function zVisualMap(def: PanelDef, config: PanelConfig) {
  if (!def.thresholds) return [];
  const p = config.palette;
  const k = config.threshold;
  return [
    {
      id: 'breach',
      type: 'piecewise',
      show: false,
      dimension: 1,
      seriesIndex: [0, 1],
      pieces: [
        { gt: k, color: p.breach },
        { lt: -k, color: p.breach },
        { gte: -k, lte: k, color: p.zscore },
      ],
      outOfRange: { color: p.zscore },
    },
  ];
}

function styleParts(def: PanelDef, config: PanelConfig, axis: AxisState) {
  const p = config.palette;
  const style = axisStyle(p);
  return {
    xAxis: {
      ...style,
      axisLabel: {
        ...style.axisLabel,
        show: config.bottom,
        formatter: TIME_LABELS,
        hideOverlap: true,
        // Edge labels inside the plot, not cut by the panel's border.
        alignMinLabel: 'left',
        alignMaxLabel: 'right',
      },
      axisTick: { ...style.axisTick, show: config.bottom },
      splitLine: { show: true, lineStyle: { color: p.grid } },
    },
    yAxis: {
      ...style,
      axisLabel: {
        ...style.axisLabel,
        formatter: (v: number) => yAxisLabel(def, axis, v),
        // However short the panel, labels that would touch are dropped, never drawn overlapping.
        hideOverlap: true,
      },
    },
    tooltip: tooltip(def, config, axis),
    visualMap: zVisualMap(def, config),
  };
}

/** The full option of one panel (created once per selection/threshold). */
export function panelOption(
  def: PanelDef,
  config: PanelConfig,
  axis: AxisState,
  hist: unknown[][],
  live: unknown[][],
): EChartsCoreOption {
  const p = config.palette;
  const style = styleParts(def, config, axis);
  return {
    useUTC: true,
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    grid: {
      left: GRID.left,
      right: GRID.right,
      top: GRID.top,
      bottom: config.bottom ? 48 : 8,
      containLabel: false,
      // Fixed margins sized for the labels: no label-size estimation pass on every update.
      outerBoundsMode: 'none',
    },
    xAxis: {
      type: 'time',
      splitNumber: 8,
      ...style.xAxis,
    },
    yAxis: {
      type: 'value',
      position: 'right',
      splitNumber: SPLIT_NUMBER,
      ...yRange(def, config.threshold, axis),
      ...style.yAxis,
    },
    dataZoom: [
      { id: 'inside', type: 'inside', filterMode: 'filter' },
      {
        id: 'slider',
        type: 'slider',
        show: config.bottom,
        height: 16,
        bottom: 6,
        showDetail: false,
        brushSelect: false,
        filterMode: 'filter',
        ...zoomStyle(p),
      },
    ],
    tooltip: style.tooltip,
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    visualMap: style.visualMap,
    series: panelSeries(def, config, hist, live),
  };
}

/** Live update: only the series data; `hist` null = unchanged. */
export function panelDataOption(
  def: PanelDef,
  hist: unknown[][] | null,
  live: unknown[][],
): EChartsCoreOption {
  const series: { id: string; data: unknown[] | Float64Array }[] = def.lines.map((line, k) => ({
    id: `${line.id}Live`,
    data: live[k],
  }));
  // As the candles (packPoints): the history as a flat typed array; '-' (a gap) packs as NaN,
  // which ECharts also leaves out of the line.
  if (hist) {
    def.lines.forEach((line, k) => series.push({ id: line.id, data: packPoints(hist[k], 2) }));
  }
  return { series };
}

/** Theme change: colours only, the data stays. */
export function panelStyleOption(
  def: PanelDef,
  config: PanelConfig,
  axis: AxisState,
): EChartsCoreOption {
  const p = config.palette;
  const style = styleParts(def, config, axis);
  return {
    ...style,
    dataZoom: [{ id: 'inside' }, { id: 'slider', ...zoomStyle(p) }],
    series: def.lines.flatMap((line, k) => {
      const color = line.color(p);
      const base = line.byVisualMap
        ? { name: line.name(config) }
        : { name: line.name(config), lineStyle: { color }, itemStyle: { color } };
      return [
        { id: line.id, ...base, ...(k === 0 ? markers(def, config) : {}) },
        { id: `${line.id}Live`, ...base },
      ];
    }),
  };
}

/** The value a line shows for the last row, for the panel header ("—" when undefined). */
export function lastValueText(
  line: LineDef,
  row: AnalyticsRow | null,
  config: Pick<PanelConfig, 'threshold'>,
  digits: number,
): string {
  return row ? line.format(row, config.threshold, digits) : DASH;
}
