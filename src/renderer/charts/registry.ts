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
