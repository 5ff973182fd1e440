/**
 * Log returns and annualised volatility.
 *
 * r_t = ln(p_t / p_{t−1}), computed as log1p((p_t − p_{t−1}) / p_{t−1}) — the difference of two
 * nearby prices is exact, so small returns keep full relative precision (ln p_t − ln p_{t−1}
 * would lose ~4 digits at 1 s). r_0 is NaN.
 * Volatility annualises with a 365-day year (crypto trades every day): bars per year =
 * 365·86,400,000 / timeframeMs (1 s: 31,536,000; 1 m: 525,600; 5 m: 105,120).
 */
import { rollingStd } from './rolling';

const MS_PER_YEAR = 365 * 86_400_000;

/** Bars in a 365-day year for a timeframe in ms. */
export function barsPerYear(timeframeMs: number): number {
  return MS_PER_YEAR / timeframeMs;
}

/** One log return ln(p/prev); NaN unless both prices are finite and > 0. */
export function logReturn(p: number, prev: number): number {
  if (!(p > 0) || !(prev > 0) || !Number.isFinite(p) || !Number.isFinite(prev)) return NaN;
  return Math.log1p((p - prev) / prev);
}

/** Log returns, same length as `prices`, first element NaN. */
export function logReturns(prices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(prices.length);
  if (prices.length > 0) out[0] = NaN;
  for (let i = 1; i < prices.length; i++) out[i] = logReturn(prices[i], prices[i - 1]);
  return out;
}

/**
 * Rolling annualised volatility of log returns: rolling(W).std(ddof = 1)·√(bars per year)
 * (pandas semantics on the return series, so the first value appears at index W).
 */
export function rollingVolatility(
  returns: ArrayLike<number>,
  window: number,
  timeframeMs: number,
): Float64Array {
  const sd = rollingStd(returns, window);
  const f = Math.sqrt(barsPerYear(timeframeMs));
  for (let i = 0; i < sd.length; i++) sd[i] *= f;
  return sd;
}

/** Realised volatility √Σr² of the finite returns, annualised by √(bars per year / count). */
export function realisedVolatility(returns: ArrayLike<number>, timeframeMs: number): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i];
    if (Number.isFinite(r)) {
      s += r * r;
      n++;
    }
  }
  return n === 0 ? NaN : Math.sqrt((s * barsPerYear(timeframeMs)) / n);
}
