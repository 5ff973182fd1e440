/**
 * Names of analytics CSV exports (#10, seed 001):
 * `BTCUSDT-ETHUSDT-1m-analytics-20240718T2357Z-20240719T0005Z.csv` — the pair, the timeframe and
 * the UTC minutes of the first and last bar. Read back, the name gives the pair and timeframe
 * the file itself does not hold.
 */
import { TIMEFRAME_MS, type Timeframe } from '../market/types';

export interface AnalyticsFileName {
  pair: [string, string];
  timeframe: Timeframe;
  timeframeMs: number;
}

const PATTERN =
  /^([A-Za-z0-9]{2,30})-([A-Za-z0-9]{2,30})-(1s|1m|5m)-analytics-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z\.csv$/;

/** Pair and timeframe from an analytics export's name (any directory part ignored), else null. */
export function parseAnalyticsFileName(name: string): AnalyticsFileName | null {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const m = PATTERN.exec(base);
  if (m === null) return null;
  const timeframe = m[3] as Timeframe;
  return {
    pair: [m[1].toUpperCase(), m[2].toUpperCase()],
    timeframe,
    timeframeMs: TIMEFRAME_MS[timeframe],
  };
}

/** `20240718T2357Z`: UTC minute of `ms`. */
function minuteStamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-07-18T23:57:02.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

/** The export's file name for `pair` at `timeframe`, first and last bar starts in ms UTC. */
export function analyticsFileName(
  pair: readonly [string, string],
  timeframe: Timeframe,
  firstMs: number,
  lastMs: number,
): string {
  return `${pair[0]}-${pair[1]}-${timeframe}-analytics-${minuteStamp(firstMs)}-${minuteStamp(lastMs)}.csv`;
}
