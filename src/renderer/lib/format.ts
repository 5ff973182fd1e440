/** Display formatting shared by the status bar, sidebar and chart tooltips. Pure functions. */

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

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2024-07-18 23:57:00` in UTC. */
export function formatUtcDateTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** `23:57:00` in UTC. */
export function formatUtcTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
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
