/** Counts per whole wall-clock second; `rate()` reports the last completed second. O(1), no arrays. */
export class RateMeter {
  private second = -1;
  private current = 0;
  private previous = 0;

  add(now: number, amount = 1): void {
    this.roll(now);
    this.current += amount;
  }

  /** Amount counted in the last completed second. */
  rate(now: number): number {
    const sec = Math.floor(now / 1_000);
    if (sec === this.second) return this.previous;
    if (sec === this.second + 1) return this.current;
    return 0;
  }

  private roll(now: number): void {
    const sec = Math.floor(now / 1_000);
    if (sec === this.second) return;
    this.previous = sec === this.second + 1 ? this.current : 0;
    this.current = 0;
    this.second = sec;
  }
}
