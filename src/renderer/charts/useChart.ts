/**
 * Owns one ECharts instance for the lifetime of its container: created once, resized with the
 * container, disposed on unmount. Updates go through `setOption` on the returned ref.
 */
import { useLayoutEffect, useRef } from 'react';
import type { RefObject } from 'react';
import { echarts } from './echarts';
import type { EChartsType } from './echarts';

export function useChart(
  container: RefObject<HTMLDivElement | null>,
): RefObject<EChartsType | null> {
  const chart = useRef<EChartsType | null>(null);
  useLayoutEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = echarts.init(element, null, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.current = null;
      instance.dispose();
    };
  }, [container]);
  return chart;
}

/**
 * Points ECharts holds in the series at `indices` (history + live parts) — all of them, not only
 * the zoomed-in window (raw data, before dataZoom filtering), minus `overlap` points the parts
 * share — or `fallback` when the model is not reachable.
 */
export function seriesPointCount(
  chart: EChartsType | null,
  indices: number[],
  fallback: number,
  overlap = 0,
): number {
  type Data = { count(): number };
  type Series = { getData(): Data; getRawData?: () => Data };
  const model = (
    chart as unknown as {
      getModel?: () => { getSeriesByIndex(i: number): Series | undefined } | null;
    } | null
  )?.getModel?.();
  if (!model) return fallback;
  let total = 0;
  for (const i of indices) {
    const series = model.getSeriesByIndex(i);
    if (!series) return fallback;
    total += (series.getRawData?.() ?? series.getData()).count();
  }
  return Math.max(0, total - overlap);
}
