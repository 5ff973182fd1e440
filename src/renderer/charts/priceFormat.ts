/**
 * formatPrice (lib/format) with one Intl.NumberFormat per digit count, reused: prices are
 * formatted 20 times a second (chart headers, sidebar, axis labels) and `toLocaleString` with
 * options builds a new formatter on every call. Same output as formatPrice.
 */
import { formatPrice, priceDigits } from '../lib/format';

const formats = new Map<number, Intl.NumberFormat>();

export function formatPriceFast(price: number, digits = priceDigits(price)): string {
  if (!Number.isFinite(price)) return formatPrice(price, digits);
  let format = formats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formats.set(digits, format);
  }
  return format.format(price);
}
