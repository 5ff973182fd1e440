/**
 * Number and UTC time formatting shared by core's texts (src/core/alerts/alertText.ts) and the
 * renderer (src/renderer/lib/format.ts re-exports these). Pure functions, en-US, UTC.
 */

/** `—` for null, undefined and non-finite numbers: NaN is never shown. */
export const DASH = '—';

function finite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** One formatter per digit count: chart labels are formatted on every update. */
const fixedFormats = new Map<number, Intl.NumberFormat>();

/** The cached en-US formatter with exactly `digits` decimals (0–20). */
export function fixedFormat(digits: number): Intl.NumberFormat {
  let format = fixedFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    fixedFormats.set(digits, format);
  }
  return format;
}

/** Fixed decimals with thousands separators; `—` when undefined. Negative numbers use `−`. */
export function formatFixed(value: number | null | undefined, digits: number): string {
  if (!finite(value)) return DASH;
  const text = fixedFormat(Math.min(20, Math.max(0, Math.floor(digits)))).format(Math.abs(value));
  // -0.00 reads as 0.00.
  return value < 0 && Number(Math.abs(value).toFixed(digits)) !== 0 ? `−${text}` : text;
}

/** Like formatFixed with an explicit `+` on positive values (z-scores, correlations). */
export function formatSigned(value: number | null | undefined, digits: number): string {
  const text = formatFixed(value, digits);
  return finite(value) &&
    text !== DASH &&
    !text.startsWith('−') &&
    Number(value.toFixed(digits)) !== 0
    ? `+${text}`
    : text;
}

/**
 * A parameter or bound exactly and briefly: JavaScript's shortest round-trip digits, plain from
 * 1e-3 up to 1e6 (0.001, 10, 100000), exponent form outside it and without "+" (1e-7, 2.5e-6,
 * 1e12).
 */
export function formatParameter(value: number): string {
  const size = Math.abs(value);
  if (size === 0 || (size >= 1e-3 && size < 1e6)) return String(value);
  return value.toExponential().replace('e+', 'e');
}

/** Decimals that suit a value's magnitude (spreads, betas): 4 significant digits, 0–8 decimals. */
export function significantDigits(value: number | null | undefined, significant = 4): number {
  if (!finite(value) || value === 0) return 2;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  return Math.min(8, Math.max(0, significant - 1 - magnitude));
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
