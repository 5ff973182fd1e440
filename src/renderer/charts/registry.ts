/** Point counts of the mounted charts, for the read-only test hook (see debug.ts). */
const counters = new Map<string, () => number>();

export function registerChartCounter(name: string, count: () => number): () => void {
  counters.set(name, count);
  return () => {
    if (counters.get(name) === count) counters.delete(name);
  };
}

export function chartPointCount(name: string): number {
  return counters.get(name)?.() ?? 0;
}

/** Other read-only facts of mounted charts (alert markers drawn, zoom window) for the hook. */
const probes = new Map<string, () => unknown>();

export function registerChartProbe(name: string, probe: () => unknown): () => void {
  probes.set(name, probe);
  return () => {
    if (probes.get(name) === probe) probes.delete(name);
  };
}

export function chartProbe(name: string): unknown {
  return probes.get(name)?.() ?? null;
}

/**
 * Render samples for the latency benchmark: when a chart applied new data, the next painted
 * frame's wall time and the trade time of the newest price it had. Bounded; read by the test hook.
 */
export interface RenderSample {
  chart: string;
  /** Wall-clock ms of the first animation frame after the update was applied. */
  renderedAtMs: number;
  /** Feed send time (event time E, ms) of the newest tick of the chart's symbol in the update. */
  dataTimeMs: number;
}

const MAX_SAMPLES = 4096;
const samples: RenderSample[] = [];

export function noteChartRender(chart: string, dataTimeMs: number | null): void {
  if (dataTimeMs === null) return;
  requestAnimationFrame(() => {
    samples.push({ chart, renderedAtMs: Date.now(), dataTimeMs });
    if (samples.length > MAX_SAMPLES) samples.splice(0, samples.length - MAX_SAMPLES);
  });
}

/** Returns and forgets the samples collected so far. */
export function takeRenderSamples(): RenderSample[] {
  return samples.splice(0);
}
