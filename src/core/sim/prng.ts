/**
 * Seeded pseudo-random numbers for the market simulator. Pure and deterministic: the same seed
 * gives the same sequence on every platform (32-bit integer arithmetic via Math.imul only).
 *
 * Generator: xoshiro128** (Blackman & Vigna, 2018), 128-bit state, period 2^128 − 1. The state
 * is expanded from the user's seed with splitmix32 so that nearby seeds (1, 2, 3…) give
 * unrelated streams.
 */

/** splitmix32 step function: returns a generator of well-mixed 32-bit unsigned integers. */
export function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Folds any finite number (integer or not, possibly > 2^32) into a 32-bit seed. */
export function seedToUint32(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const whole = Math.floor(Math.abs(seed));
  const low = whole % 0x1_0000_0000;
  const high = Math.floor(whole / 0x1_0000_0000) % 0x1_0000_0000;
  const frac = Math.floor((Math.abs(seed) - whole) * 0x1_0000_0000);
  return (
    (low ^ Math.imul(high, 0x9e3779b1) ^ Math.imul(frac, 0x85ebca6b) ^ (seed < 0 ? 1 : 0)) >>> 0
  );
}

const TWO_POW_32 = 0x1_0000_0000;

/** xoshiro128** with helpers for the distributions the simulator needs. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    const mix = splitmix32(seedToUint32(seed));
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // all-zero state is a fixed point
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in (0, 1): safe for logarithms. */
  nextOpen(): number {
    return (this.nextUint32() + 0.5) / TWO_POW_32;
  }

  /** Standard normal N(0, 1) by Box–Muller (two uniforms per draw, no cached spare). */
  normal(): number {
    const u = this.nextOpen();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -Math.log(this.nextOpen()) / rate;
  }

  /** true with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
