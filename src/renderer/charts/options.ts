/**
 * ECharts option builders. A chart is created once with the full option; afterwards live data
 * goes in with data-only options (`dataOption`) and a theme switch with colour-only options
 * (`styleOption`), both merged — the chart is never re-initialised.
 */
import type { Bar } from '../../core/market/types';
import { axisDigits, formatUtcDateTime, formatVolume, priceDigits } from '../lib/format';
import { packPoints } from './chartData';
import { axisStyle, TIME_LABELS, zoomStyle } from './chartStyle';
import type { EChartsCoreOption } from './echarts';
import type { ChartPalette } from './palette';
import { formatPriceFast as axisPrice } from './priceFormat';
import type { PointWriter } from './tailSync';

/**
 * Columns of the candle chart: candles [t, o, c, l, h] and volume. Volume is a flat-bottomed
 * candlestick whose direction follows the bar: [t, 0, v, 0, v] rises (up colour), [t, v, 0, 0, v]
 * falls (down colour) — one series draws both colours.
 */
export const CANDLE_WRITERS: readonly PointWriter[] = [
  (b: Bar) => [b.startMs, b.open, b.close, b.low, b.high],
  (b: Bar) =>
    b.close >= b.open
      ? [b.startMs, 0, b.volume, 0, b.volume]
      : [b.startMs, b.volume, 0, 0, b.volume],
];

/** The overlay's column: close normalised to the first close of the loaded history, × 100. */
export const OVERLAY_WRITERS: readonly PointWriter[] = [
  (b: Bar, _i: number, bars: readonly Bar[]) => [b.startMs, (b.close / bars[0].close) * 100],
];

/** Candlestick and bar series switch to large/progressive rendering above these sizes. */
const LARGE = {
  large: true,
  largeThreshold: 3_000,
  progressive: 5_000,
  progressiveThreshold: 20_000,
};

function simulatedGraphic(p: ChartPalette, simulated: boolean) {
  return {
    id: 'simulated',
    type: 'text',
    right: 64,
    top: 6,
    z: 100,
    silent: true,
    invisible: !simulated,
    style: {
      text: 'SIMULATED',
      fill: p.simulatedText,
      font: '700 12px system-ui, sans-serif',
      opacity: 0.95,
    },
  };
}

function tooltipBase(p: ChartPalette) {
  return {
    trigger: 'axis',
    axisPointer: {
      type: 'cross',
      link: [{ xAxisIndex: 'all' }],
      lineStyle: { color: p.crosshair, type: 'dashed', width: 1 },
      crossStyle: { color: p.crosshair, width: 1 },
      label: { backgroundColor: p.tooltipBorder, color: p.text },
    },
    backgroundColor: p.tooltipBg,
    borderColor: p.tooltipBorder,
    borderWidth: 1,
    padding: [6, 8],
    textStyle: { color: p.text, fontSize: 12 },
    confine: true,
    transitionDuration: 0,
  };
}

type TooltipParam = { seriesId?: string; value?: unknown; color?: string; seriesName?: string };

function candleTooltip(p: ChartPalette) {
  return (raw: unknown) => {
    const params = (Array.isArray(raw) ? raw : [raw]) as TooltipParam[];
    const candle = params.find((x) => x.seriesId?.startsWith('candles'));
    if (!candle || !Array.isArray(candle.value)) return '';
    const [t, o, c, l, h] = candle.value as number[];
    // Volume points are [t, o, c, 0, v]: the volume is the "high".
    const volume = params
      .filter((x) => x.seriesId?.startsWith('vol'))
      .map((x) => (Array.isArray(x.value) ? (x.value as unknown[])[4] : undefined))
      .find((v): v is number => typeof v === 'number');
    const digits = priceDigits(c);
    const change = o !== 0 ? ((c - o) / o) * 100 : 0;
    const colour = c >= o ? p.up : p.down;
    const row = (label: string, value: string, color = p.text) =>
      `<tr><td style="color:${p.muted};padding-right:10px">${label}</td>` +
      `<td style="text-align:right;color:${color};font-variant-numeric:tabular-nums">${value}</td></tr>`;
    return (
      `<div style="font-size:11px;color:${p.muted};margin-bottom:3px">${formatUtcDateTime(t)} UTC</div>` +
      '<table style="border-collapse:collapse;font-size:12px">' +
      row('Open', axisPrice(o, digits)) +
      row('High', axisPrice(h, digits)) +
      row('Low', axisPrice(l, digits)) +
      row('Close', axisPrice(c, digits), colour) +
      row('Change', `${change >= 0 ? '+' : ''}${change.toFixed(2)}%`, colour) +
      (volume !== undefined ? row('Volume', formatVolume(volume)) : '') +
      '</table>'
    );
  };
}

export interface CandleChartConfig {
  palette: ChartPalette;
  simulated: boolean;
}

/** The full option of a per-symbol chart: candles (top grid) and volume (bottom grid). */
export function candleOption(
  config: CandleChartConfig,
  hist: unknown[][],
  live: unknown[][],
): EChartsCoreOption {
  const p = config.palette;
  const axis = axisStyle(p);
  return {
    useUTC: true,
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    grid: [
      { id: 'price', left: 8, right: 64, top: 28, bottom: 104, containLabel: false },
      { id: 'volume', left: 8, right: 64, height: 48, bottom: 38 },
    ],
    xAxis: [
      {
        type: 'time',
        gridIndex: 0,
        ...axis,
        axisLabel: { show: false },
        axisTick: { show: false },
        splitLine: axis.splitLine,
        splitNumber: 6,
        axisPointer: { label: { show: false } },
      },
      {
        type: 'time',
        gridIndex: 1,
        ...axis,
        axisLabel: { ...axis.axisLabel, formatter: TIME_LABELS, hideOverlap: true },
        splitLine: { show: false },
        splitNumber: 6,
        axisPointer: {
          label: { formatter: (v: { value: number }) => formatUtcDateTime(v.value) },
        },
      },
    ],
    yAxis: [
      {
        type: 'value',
        gridIndex: 0,
        position: 'right',
        scale: true,
        splitNumber: 5,
        ...axis,
        axisLabel: {
          ...axis.axisLabel,
          formatter: (v: number) => axisPrice(v),
        },
        axisPointer: { label: { formatter: (v: { value: number }) => axisPrice(v.value) } },
      },
      {
        type: 'value',
        gridIndex: 1,
        position: 'right',
        splitNumber: 2,
        ...axis,
        splitLine: { show: false },
        axisLabel: {
          ...axis.axisLabel,
          showMinLabel: false,
          formatter: (v: number) => formatVolume(v),
        },
        axisPointer: { label: { formatter: (v: { value: number }) => formatVolume(v.value) } },
      },
    ],
    dataZoom: [
      { id: 'inside', type: 'inside', xAxisIndex: [0, 1], filterMode: 'filter' },
      {
        id: 'slider',
        type: 'slider',
        xAxisIndex: [0, 1],
        height: 16,
        bottom: 6,
        showDetail: false,
        brushSelect: false,
        ...zoomStyle(p),
      },
    ],
    tooltip: { ...tooltipBase(p), formatter: candleTooltip(p) },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    graphic: [simulatedGraphic(p, config.simulated)],
    series: candleSeries(p, hist, live),
  };
}

/** Candles and volume, each as a history series and a live-tail series drawn the same way. */
function candleSeries(p: ChartPalette, hist: unknown[][], live: unknown[][]) {
  const candles = (id: string, data: unknown[]) => ({
    id,
    name: 'Price',
    type: 'candlestick',
    xAxisIndex: 0,
    yAxisIndex: 0,
    data,
    barMaxWidth: 14,
    ...LARGE,
    itemStyle: candleColours(p),
  });
  // Volume is drawn as flat-bottomed candlesticks (see CANDLE_WRITERS): unlike bar series on a
  // time axis (which sort every x to find the bar width on each update), candlestick layout
  // stays cheap at 100 k points; rising/falling picks the up/down volume colour.
  const volume = (id: string, data: unknown[]) => ({
    id,
    name: 'Volume',
    type: 'candlestick',
    xAxisIndex: 1,
    yAxisIndex: 1,
    data,
    barMaxWidth: 14,
    ...LARGE,
    itemStyle: volumeColours(p),
  });
  return [
    candles('candles', hist[0]),
    candles('candlesLive', live[0]),
    volume('vol', hist[1]),
    volume('volLive', live[1]),
  ];
}

function volumeColours(p: ChartPalette) {
  return {
    color: p.upVolume,
    color0: p.downVolume,
    borderColor: p.upVolume,
    borderColor0: p.downVolume,
  };
}

function candleColours(p: ChartPalette) {
  return { color: p.up, color0: p.down, borderColor: p.up, borderColor0: p.down };
}

/** Live update: only the series data, merged into the existing option; `hist` null = unchanged. */
export function candleDataOption(hist: unknown[][] | null, live: unknown[][]): EChartsCoreOption {
  const series: { id: string; data: unknown[] | Float64Array }[] = [
    { id: 'candlesLive', data: live[0] },
    { id: 'volLive', data: live[1] },
  ];
  if (hist) {
    series.push(
      { id: 'candles', data: packPoints(hist[0], 5) },
      { id: 'vol', data: packPoints(hist[1], 5) },
    );
  }
  return { series };
}

/** Theme or source-label change: colours and the SIMULATED label only; data untouched. */
export function candleStyleOption(config: CandleChartConfig): EChartsCoreOption {
  const p = config.palette;
  const axis = axisStyle(p);
  return {
    xAxis: [
      { ...axis, axisLabel: { show: false } },
      { ...axis, axisLabel: { ...axis.axisLabel, formatter: TIME_LABELS, hideOverlap: true } },
    ],
    yAxis: [
      { ...axis, axisLabel: { ...axis.axisLabel, formatter: (v: number) => axisPrice(v) } },
      {
        ...axis,
        splitLine: { show: false },
        axisLabel: { ...axis.axisLabel, formatter: (v: number) => formatVolume(v) },
      },
    ],
    dataZoom: [{ id: 'inside' }, { id: 'slider', ...zoomStyle(p) }],
    tooltip: { ...tooltipBase(p), formatter: candleTooltip(p) },
    graphic: [simulatedGraphic(p, config.simulated)],
    series: [
      { id: 'candles', itemStyle: candleColours(p) },
      { id: 'candlesLive', itemStyle: candleColours(p) },
      { id: 'vol', itemStyle: volumeColours(p) },
      { id: 'volLive', itemStyle: volumeColours(p) },
    ],
  };
}

export interface OverlayConfig extends CandleChartConfig {
  nameA: string;
  nameB: string;
  /**
   * Label precision of the y axis, chosen from the visible range each time ECharts lays the
   * axis out: a 1s overlay moves by hundredths around 100, a 5m one by whole points. Shared by
   * the full and the style options, so keep one object per chart.
   */
  axis: { digits: number };
}

/** Overlay y axis: 4 intervals; the extent callback keeps `axis.digits` in step with the view. */
const OVERLAY_SPLIT = 4;

function overlayTooltip(p: ChartPalette, axis: OverlayConfig['axis']) {
  return (raw: unknown) => {
    const params = (Array.isArray(raw) ? raw : [raw]) as TooltipParam[];
    const first = params.find((x) => Array.isArray(x.value));
    if (!first) return '';
    const t = (first.value as number[])[0];
    const seen = new Set<string | undefined>();
    const rows = params
      .filter((x) => Array.isArray(x.value) && !seen.has(x.seriesName) && seen.add(x.seriesName))
      .map((x) => {
        const v = (x.value as number[])[1];
        const digits = Math.max(2, axis.digits + 1);
        return (
          `<tr><td style="padding-right:10px"><span style="display:inline-block;width:8px;height:8px;` +
          `border-radius:50%;background:${x.color};margin-right:6px"></span>${x.seriesName}</td>` +
          `<td style="text-align:right;font-variant-numeric:tabular-nums">${v.toFixed(digits)}</td></tr>`
        );
      })
      .join('');
    return (
      `<div style="font-size:11px;color:${p.muted};margin-bottom:3px">${formatUtcDateTime(t)} UTC</div>` +
      `<table style="border-collapse:collapse;font-size:12px">${rows}</table>`
    );
  };
}

function overlayStyleParts(config: OverlayConfig) {
  const p = config.palette;
  const axis = axisStyle(p);
  return {
    legend: {
      top: 4,
      left: 8,
      itemWidth: 14,
      itemHeight: 3,
      textStyle: { color: p.text, fontSize: 12 },
      inactiveColor: p.axis,
    },
    xAxis: {
      ...axis,
      axisLabel: { ...axis.axisLabel, formatter: TIME_LABELS, hideOverlap: true },
      splitLine: { show: false },
    },
    yAxis: {
      ...axis,
      axisLabel: {
        ...axis.axisLabel,
        formatter: (v: number) => v.toFixed(config.axis.digits),
      },
      axisPointer: {
        label: {
          formatter: (v: { value: number }) => v.value.toFixed(Math.max(2, config.axis.digits + 1)),
        },
      },
    },
    tooltip: { ...tooltipBase(p), formatter: overlayTooltip(p, config.axis) },
    graphic: [simulatedGraphic(p, config.simulated)],
  };
}

/** The overlay of the pair: each close ÷ its first loaded close × 100. */
export function overlayOption(
  config: OverlayConfig,
  a: { hist: unknown[][]; live: unknown[][] },
  b: { hist: unknown[][]; live: unknown[][] },
): EChartsCoreOption {
  const p = config.palette;
  const style = overlayStyleParts(config);
  return {
    useUTC: true,
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    grid: { left: 8, right: 64, top: 30, bottom: 52 },
    legend: style.legend,
    xAxis: { type: 'time', splitNumber: 8, ...style.xAxis },
    yAxis: {
      type: 'value',
      position: 'right',
      scale: true,
      splitNumber: OVERLAY_SPLIT,
      // Called with the visible data's extent before the labels are formatted; null = automatic.
      min: (extent: { min: number; max: number }) => {
        config.axis.digits = axisDigits(extent.min, extent.max, OVERLAY_SPLIT);
        return null as unknown as number;
      },
      ...style.yAxis,
    },
    dataZoom: [
      { id: 'inside', type: 'inside', filterMode: 'none' },
      {
        id: 'slider',
        type: 'slider',
        height: 16,
        bottom: 6,
        showDetail: false,
        brushSelect: false,
        ...zoomStyle(p),
      },
    ],
    tooltip: style.tooltip,
    graphic: style.graphic,
    series: [
      overlaySeries('a', config.nameA, p.lineA, a.hist[0]),
      overlaySeries('aLive', config.nameA, p.lineA, a.live[0]),
      overlaySeries('b', config.nameB, p.lineB, b.hist[0]),
      overlaySeries('bLive', config.nameB, p.lineB, b.live[0]),
    ],
  };
}

function overlaySeries(id: string, name: string, color: string, data: unknown[]) {
  return {
    id,
    name,
    type: 'line',
    data,
    showSymbol: false,
    symbol: 'none',
    sampling: 'lttb',
    large: true,
    progressive: 5_000,
    progressiveThreshold: 20_000,
    lineStyle: { width: 1.5, color },
    itemStyle: { color },
    emphasis: { disabled: true },
  };
}

export function overlayDataOption(
  a: { hist: unknown[][] | null; live: unknown[][] },
  b: { hist: unknown[][] | null; live: unknown[][] },
): EChartsCoreOption {
  const series: { id: string; data: unknown[] | Float64Array }[] = [
    { id: 'aLive', data: a.live[0] },
    { id: 'bLive', data: b.live[0] },
  ];
  if (a.hist) series.push({ id: 'a', data: packPoints(a.hist[0], 2) });
  if (b.hist) series.push({ id: 'b', data: packPoints(b.hist[0], 2) });
  return { series };
}

export function overlayStyleOption(config: OverlayConfig): EChartsCoreOption {
  const p = config.palette;
  return {
    ...overlayStyleParts(config),
    dataZoom: [{ id: 'inside' }, { id: 'slider', ...zoomStyle(p) }],
    series: (['a', 'aLive', 'b', 'bLive'] as const).map((id) => {
      const color = id.startsWith('a') ? p.lineA : p.lineB;
      const name = id.startsWith('a') ? config.nameA : config.nameB;
      return { id, name, lineStyle: { color }, itemStyle: { color } };
    }),
  };
}
