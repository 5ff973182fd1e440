/**
 * mulberry32: a small, fast, seeded PRNG for test and benchmark data (uniform in [0, 1)). The
 * product's simulator uses core/sim's xoshiro128** instead; this one keeps the committed test
 * data and the cached bench file exactly as they were generated.
 */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
