/**
 * Events per second over the last full second, from a ring of per-100 ms counts: O(1) per
 * event, no allocation. Time is supplied by the caller (ms), so replays and tests control it.
 */
export class RateMeter {
  private readonly slots = new Float64Array(10);
  private slotStart = 0;
  private slot = 0;

  add(nowMs: number, count = 1): void {
    this.roll(nowMs);
    this.slots[this.slot] += count;
  }

  /** Events in the last 1 s (the current 100 ms slot included). */
  perSecond(nowMs: number): number {
    this.roll(nowMs);
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += this.slots[i];
    return sum;
  }

  private roll(nowMs: number): void {
    const start = Math.floor(nowMs / 100) * 100;
    if (this.slotStart === 0) this.slotStart = start;
    let steps = Math.min(10, Math.max(0, (start - this.slotStart) / 100));
    while (steps-- > 0) {
      this.slot = (this.slot + 1) % 10;
      this.slots[this.slot] = 0;
    }
    if (start > this.slotStart) this.slotStart = start;
  }
}
