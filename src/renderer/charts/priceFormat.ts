/**
 * formatPrice (lib/format) with one Intl.NumberFormat per digit count, reused: prices are
 * formatted 20 times a second (chart headers, sidebar, axis labels) and `toLocaleString` with
 * options builds a new formatter on every call. Same output as formatPrice.
 */
import { fixedFormat, formatPrice, priceDigits } from '../lib/format';

export function formatPriceFast(price: number, digits = priceDigits(price)): string {
  if (!Number.isFinite(price)) return formatPrice(price, digits);
  return fixedFormat(digits).format(price);
}
