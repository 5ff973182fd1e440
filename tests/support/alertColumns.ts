import type { AnalyticsColumns } from '../../src/core/contract/contract';

/**
 * Analytics rows for the alert rules: the given bar starts and z-scores, flat closes (65 000 /
 * 3 400), a constant hedge ratio (0.0523 unless given), correlation `rho` (0.9 throughout unless
 * given) and every other column null.
 */
export function alertColumns(
  startMs: number[],
  z: (number | null)[],
  options: { rho?: (number | null)[]; hedgeRatio?: number } = {},
): AnalyticsColumns {
  const n = startMs.length;
  const nulls = (): (number | null)[] => new Array<number | null>(n).fill(null);
  return {
    startMs,
    closeA: new Array<number>(n).fill(65_000),
    closeB: new Array<number>(n).fill(3_400),
    hedgeRatio: new Array<number | null>(n).fill(options.hedgeRatio ?? 0.0523),
    spread: nulls(),
    spreadMean: nulls(),
    spreadStd: nulls(),
    zscore: z,
    correlation: options.rho ?? new Array<number | null>(n).fill(0.9),
    betaRolling: nulls(),
    betaKalman: nulls(),
    volA: nulls(),
    volB: nulls(),
  };
}
