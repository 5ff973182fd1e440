/** One line of `npm run bench`: a figure next to its reference measured in the same run. */
export interface BenchRow {
  /** What was measured, e.g. `decode+validate+aggregate`. */
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared with, e.g. `bare split + JSON.parse`. */
  reference?: string;
  referenceValue?: number;
  /** value / referenceValue, oriented so that > 1 means "better than the reference" when higherIsBetter. */
  ratio?: number;
  /** The target, in words, e.g. `>= 0.8x reference`. */
  target?: string;
  /** Whether the target was met. */
  pass?: boolean;
}
