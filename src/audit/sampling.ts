/** Seeded sampling, so an audit's random sample is reproducible from the seed it reports. */

/** mulberry32: a small, fast 32-bit PRNG (not for secrets; only for picking audit samples). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `k` distinct indices of 0..n-1, sorted, chosen uniformly (Floyd's algorithm: O(k) memory); all of them if k ≥ n.
 *
 * @example sampleIndices(10, 3, 42) // e.g. [1, 4, 8]
 */
export function sampleIndices(n: number, k: number, seed: number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  const random = createRandom(seed);
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(random() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}
