/**
 * Fixed-decimal helpers: prices and quantities are held as integers of the smallest unit
 * (10^-decimals) so that sums and tick/step rounding are exact and the text matches Binance
 * (`"63943.90"`, `"0.100"`).
 */

/** A tick or step size such as `"0.10"`: `decimals` = 2, `units` = 10 (in 10^-2). */
export interface Increment {
  /** Digits after the decimal point in formatted values (taken from the size's text). */
  decimals: number;
  /** The size in units of 10^-decimals, ≥ 1. */
  units: number;
  /** The size as a number, e.g. 0.1. */
  value: number;
}

const INCREMENT_RE = /^(\d+)(?:\.(\d+))?$/;

/** Parses `"0.10"`, `"0.001"`, `"1"`; the number of written decimals sets the text format. */
export function parseIncrement(text: string): Increment {
  const match = INCREMENT_RE.exec(text);
  if (!match) throw new RangeError(`invalid tick/step size ${JSON.stringify(text)}`);
  const frac = match[2] ?? '';
  const units = Number(`${match[1]}${frac}`);
  if (!Number.isSafeInteger(units) || units <= 0) {
    throw new RangeError(`tick/step size must be > 0, got ${JSON.stringify(text)}`);
  }
  return { decimals: frac.length, units, value: Number(text) };
}

/** Formats an integer count of 10^-decimals units: (6394390, 2) → `"63943.90"`. */
export function formatUnits(units: number, decimals: number): string {
  if (!Number.isSafeInteger(units) || units < 0) {
    throw new RangeError(`cannot format ${units} units`);
  }
  if (decimals === 0) return String(units);
  const digits = String(units).padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
