/** Axis and zoom-slider styling shared by the price charts and the analytics charts. */
import type { ChartPalette } from './palette';

/** Hierarchical UTC time labels for time axes (the options set useUTC). */
export const TIME_LABELS = {
  year: '{yyyy}',
  month: '{MMM} {yyyy}',
  day: '{d} {MMM}',
  hour: '{HH}:{mm}',
  minute: '{HH}:{mm}',
  second: '{HH}:{mm}:{ss}',
  millisecond: '{HH}:{mm}:{ss}',
  none: '{HH}:{mm}:{ss}',
};

export function axisStyle(p: ChartPalette) {
  return {
    axisLine: { lineStyle: { color: p.axis } },
    axisTick: { lineStyle: { color: p.axis } },
    axisLabel: { color: p.muted, fontSize: 11 },
    splitLine: { lineStyle: { color: p.grid } },
  };
}

/**
 * The slider is rebuilt on every chart update; its default handle is an SVG path parsed each
 * time. A short path of the same narrow shape costs next to nothing.
 */
const SLIDER_HANDLE = 'path://M0,0H4V16H0Z';

export function zoomStyle(p: ChartPalette) {
  return {
    handleIcon: SLIDER_HANDLE,
    borderColor: p.axis,
    fillerColor: p.zoomFill,
    handleStyle: { color: p.zoomHandle, borderColor: p.zoomHandle },
    moveHandleStyle: { color: p.axis },
    textStyle: { color: p.muted },
    dataBackground: { lineStyle: { color: p.axis }, areaStyle: { color: p.grid } },
    selectedDataBackground: {
      lineStyle: { color: p.zoomHandle },
      areaStyle: { color: p.zoomFill },
    },
    emphasis: { handleStyle: { color: p.zoomHandle } },
  };
}
