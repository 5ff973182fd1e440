/** Display formatting shared by the status bar, sidebar and chart tooltips. Pure functions. */
import type { HedgeMethod } from '../../core/contract/contract';
import { DASH, formatFixed } from '../../core/text/format';

// Shared with core's texts (alert notifications): one copy, in core.
export {
  DASH,
  fixedFormat,
  formatFixed,
  formatParameter,
  formatSigned,
  formatUtcDateTime,
  formatUtcTime,
  significantDigits,
} from '../../core/text/format';

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 → `1.5 KB`; binary multiples, one decimal above bytes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${BYTE_UNITS[unit]}`;
}

/** Age of the last message: `0.4 s`, `12 s`, `3 min 5 s`, `2 h 10 min`; `—` before the first. */
export function formatAge(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const clamped = Math.max(0, ms);
  if (clamped < 10_000) return `${(clamped / 1000).toFixed(1)} s`;
  const s = Math.floor(clamped / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${s % 60} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** Messages per second: one decimal below 100, integer above. */
export function formatRate(value: number): string {
  return value < 100 ? value.toFixed(1) : integerFormat.format(Math.round(value));
}

/** Significant digits that suit the magnitude of a price. */
export function priceDigits(price: number): number {
  const abs = Math.abs(price);
  if (abs >= 1000) return 2;
  if (abs >= 10) return 3;
  if (abs >= 1) return 4;
  if (abs >= 0.01) return 5;
  return 8;
}

export function formatPrice(price: number, digits = priceDigits(price)): string {
  if (!Number.isFinite(price)) return '—';
  return price.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** Compact volume: 1234 → 1.23K, 4.5e6 → 4.50M. */
export function formatVolume(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(2)}K`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(3);
}

/** Human labels for the feed's reject reasons. */
export const REJECT_LABELS: Readonly<Record<string, string>> = {
  malformed_json: 'Malformed JSON',
  unknown_message: 'Unknown message',
  missing_field: 'Missing field',
  bad_price: 'Bad price',
  bad_qty: 'Bad quantity',
  bad_trade_id: 'Bad trade id',
  unknown_symbol: 'Unknown symbol',
  implausible_time: 'Implausible time',
  duplicate: 'Duplicate',
  too_late: 'Too late',
};

/** Hedge methods in running text ("ADF on the spread with the static OLS β"). */
export const HEDGE_LABEL: Readonly<Record<HedgeMethod, string>> = {
  static: 'static OLS',
  rolling: 'rolling OLS',
  kalman: 'Kalman',
};

function finite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A percentage from a fraction: 0.4321 → `43.21%`. */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (!finite(fraction)) return DASH;
  return `${formatFixed(fraction * 100, digits)}%`;
}

/** p-values: 4 decimals, `< 0.0001` below that; `—` when undefined. */
export function formatPValue(p: number | null | undefined): string {
  if (!finite(p)) return DASH;
  if (p < 0.0001) return '< 0.0001';
  return p.toFixed(4);
}

/**
 * A duration in human units: `850 ms`, `12.4 s`, `4.2 min`, `3.1 h`, `2.5 d`; `—` when undefined.
 * Three significant digits at most (a half-life is an estimate).
 */
export function formatDuration(ms: number | null | undefined): string {
  if (!finite(ms) || ms < 0) return DASH;
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1_000, 's'],
  ];
  for (const [size, unit] of units) {
    if (ms >= size) {
      const v = ms / size;
      return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
    }
  }
  return ms < 1 ? '< 1 ms' : `${ms.toFixed(0)} ms`;
}

/**
 * Decimals an axis needs so neighbouring labels differ: the tick step ECharts picks for the
 * range (its `nice` rounding to 1, 2, 3, 5 or 10 × 10ⁿ over `splitNumber` intervals), as decimals.
 * A 1s overlay spanning 99.98–100.03 gets 2 decimals; a range of thousands gets 0.
 */
export function axisDigits(min: number, max: number, splitNumber = 5): number {
  const span = Math.abs(max - min);
  if (!Number.isFinite(span) || span === 0) {
    const ref = Math.abs(Number.isFinite(max) ? max : min);
    return ref > 0 && Number.isFinite(ref)
      ? Math.min(8, Math.max(0, 3 - Math.floor(Math.log10(ref))))
      : 2;
  }
  const raw = span / Math.max(1, splitNumber);
  const exponent = Math.floor(Math.log10(raw));
  const fraction = raw / 10 ** exponent;
  const nice = fraction < 1.5 ? 1 : fraction < 2.5 ? 2 : fraction < 4 ? 3 : fraction < 7 ? 5 : 10;
  const step = nice * 10 ** exponent;
  return Math.min(8, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
}

/** `waiting for …` → `Waiting for …`. */
export function sentence(text: string): string {
  return text.length > 0 ? text[0].toUpperCase() + text.slice(1) : text;
}
