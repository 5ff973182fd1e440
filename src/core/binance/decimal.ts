/**
 * Strict decimal parsing for Binance price/quantity strings.
 *
 * Grammar: `-?[0-9]+(\.[0-9]+)?` — an optional leading minus, one or more digits, optionally a
 * dot followed by one or more digits. Rejected (→ NaN): empty string, whitespace anywhere, `+`,
 * exponents (`1e5`), hex (`0x1`), `Infinity`, a lone `.`, and the half-forms `1.` and `.5`
 * (Binance never sends them and JSON's own number grammar forbids them, so seeing one means the
 * input is not what we think it is). Leading zeros (`007.5`) are accepted: they are unambiguous.
 *
 * Rounding: the result is the double nearest to the decimal value (round-half-even), i.e. the same
 * as `Number(text)` for every accepted text.
 * - Fast path: when the digits (without the dot) number ≤ 15, the integer they form is < 10^15 <
 *   2^53 and so exact in a double; when the scale k (digits after the dot) is ≤ 22, 10^k is also
 *   exact (5^22 < 2^53). IEEE-754 division of two exact operands is correctly rounded, so
 *   `digits / 10^k` is the nearest double to the true quotient — the correctly rounded value.
 * - Otherwise `Number(text)`, which V8 rounds correctly for any length.
 */

/** 10^0 … 10^22, all exactly representable as doubles. */
export const POW10: readonly number[] = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];

/** Max digit count for the exact integer/10^k path: 10^15 − 1 < 2^53. */
export const EXACT_DIGITS = 15;

const CH_0 = 48;
const CH_9 = 57;
const CH_DOT = 46;
const CH_MINUS = 45;

/**
 * Parses `text` under the strict grammar above; returns the correctly rounded double, or NaN when
 * `text` is not a valid decimal. Never throws; allocates nothing on the fast path.
 */
export function parseDecimal(text: string): number {
  const n = text.length;
  let i = 0;
  let negative = false;
  if (n > 0 && text.charCodeAt(0) === CH_MINUS) {
    negative = true;
    i = 1;
  }
  let mantissa = 0;
  let intDigits = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < CH_0 || c > CH_9) break;
    mantissa = mantissa * 10 + (c - CH_0);
    intDigits++;
  }
  if (intDigits === 0) return NaN;
  let digits = intDigits;
  let scale = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== CH_DOT) return NaN;
    i++;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < CH_0 || c > CH_9) return NaN;
      mantissa = mantissa * 10 + (c - CH_0);
      scale++;
    }
    if (scale === 0) return NaN;
    digits += scale;
  }
  if (digits > EXACT_DIGITS || scale > 22) return Number(text);
  const value = scale === 0 ? mantissa : mantissa / POW10[scale];
  return negative ? -value : value;
}
