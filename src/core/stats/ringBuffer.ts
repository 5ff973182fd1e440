/**
 * Fixed-capacity FIFO of numbers over a Float64Array. `push` overwrites the oldest value once
 * full and returns it, so a rolling statistic can remove exactly what it once added.
 * All operations are O(1); no allocation after construction.
 */
export class RingBuffer {
  readonly capacity: number;
  private readonly data: Float64Array;
  /** Index of the oldest element. */
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`RingBuffer capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.data = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /**
   * Appends `x`. When the buffer was full, the evicted oldest value is returned; otherwise
   * `undefined`.
   */
  push(x: number): number | undefined {
    if (this.count < this.capacity) {
      let idx = this.head + this.count;
      if (idx >= this.capacity) idx -= this.capacity;
      this.data[idx] = x;
      this.count++;
      return undefined;
    }
    const old = this.data[this.head];
    this.data[this.head] = x;
    this.head++;
    if (this.head === this.capacity) this.head = 0;
    return old;
  }

  /** i-th element from the oldest (0) to the newest (length − 1). */
  get(i: number): number {
    if (i < 0 || i >= this.count) return NaN;
    let idx = this.head + i;
    if (idx >= this.capacity) idx -= this.capacity;
    return this.data[idx];
  }

  /** Newest element, NaN when empty. */
  last(): number {
    return this.count === 0 ? NaN : this.get(this.count - 1);
  }

  /** Oldest element, NaN when empty. */
  first(): number {
    return this.count === 0 ? NaN : this.data[this.head];
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /** Copies the contents, oldest first, into a new Float64Array. */
  toArray(): Float64Array {
    const out = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.get(i);
    return out;
  }

  /** Calls `fn` for every element, oldest first. */
  forEach(fn: (x: number, i: number) => void): void {
    for (let i = 0; i < this.count; i++) fn(this.get(i), i);
  }
}
