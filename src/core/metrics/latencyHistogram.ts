/**
 * Fixed-bucket latency histogram: O(1) record with no allocation, percentiles by a scan over
 * the buckets. Resolution `bucketMs` up to `maxMs`; slower samples land in an overflow bucket
 * and are reported as the largest sample seen.
 */
export class LatencyHistogram {
  private readonly buckets: Uint32Array;
  private overflow = 0;
  private total = 0;
  private maxSeen = 0;
  private sum = 0;

  constructor(
    private readonly bucketMs = 0.01,
    private readonly maxMs = 1_000,
  ) {
    this.buckets = new Uint32Array(Math.ceil(maxMs / bucketMs));
  }

  /** Records one sample in milliseconds (negative samples count as 0). */
  record(ms: number): void {
    const v = ms > 0 ? ms : 0;
    this.total++;
    this.sum += v;
    if (v > this.maxSeen) this.maxSeen = v;
    const i = Math.floor(v / this.bucketMs);
    if (i < this.buckets.length) this.buckets[i]++;
    else this.overflow++;
  }

  get count(): number {
    return this.total;
  }

  get max(): number {
    return this.maxSeen;
  }

  get mean(): number {
    return this.total === 0 ? Number.NaN : this.sum / this.total;
  }

  /** Upper edge (ms) of the bucket holding the q-quantile, 0 < q ≤ 1; NaN when empty. */
  percentile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i];
      if (seen >= rank) return Math.min((i + 1) * this.bucketMs, this.maxSeen);
    }
    return this.maxSeen;
  }

  reset(): void {
    this.buckets.fill(0);
    this.overflow = 0;
    this.total = 0;
    this.maxSeen = 0;
    this.sum = 0;
  }
}
