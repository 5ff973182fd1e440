/**
 * Rolling statistics of two legs' log returns over the last W returns, updated per bar in O(1)
 * amortised: correlation (pandas rolling(W).corr on the returns) and each leg's volatility,
 * std (ddof 1) · √(bars per year), 365-day year. Undefined values are NaN.
 *
 * A non-finite return (the first bar, a non-positive price) empties the window, as pandas
 * leaves every window that contains an undefined return undefined.
 */
import { barsPerYear, logReturn } from './returns';
import { RollingCoMoments } from './rolling';

export class RollingReturnStats {
  /** Log returns of the last bar pushed: ln(p_t / p_{t−1}). */
  returnA = NaN;
  returnB = NaN;
  correlation = NaN;
  /** Annualised volatilities. */
  volA = NaN;
  volB = NaN;
  private readonly moments: RollingCoMoments; // x = rA, y = rB
  private readonly annualise: number;
  private prevA = NaN;
  private prevB = NaN;

  /** @param window W, in returns; @param timeframeMs bar length (annualisation). */
  constructor(window: number, timeframeMs: number) {
    this.moments = new RollingCoMoments(window);
    this.annualise = Math.sqrt(barsPerYear(timeframeMs));
  }

  /** The next bar's closes; updates every field. */
  push(a: number, b: number): void {
    const ra = logReturn(a, this.prevA);
    const rb = logReturn(b, this.prevB);
    this.prevA = a;
    this.prevB = b;
    this.returnA = ra;
    this.returnB = rb;
    this.correlation = this.volA = this.volB = NaN;
    if (!Number.isFinite(ra) || !Number.isFinite(rb)) {
      this.moments.clear();
      return;
    }
    this.moments.push(ra, rb);
    if (!this.moments.ready) return;
    this.correlation = this.moments.correlation();
    this.volA = Math.sqrt(this.moments.varX()) * this.annualise;
    this.volB = Math.sqrt(this.moments.varY()) * this.annualise;
  }

  /** Forgets all history. */
  reset(): void {
    this.moments.clear();
    this.prevA = this.prevB = NaN;
    this.returnA = this.returnB = this.correlation = this.volA = this.volB = NaN;
  }
}
