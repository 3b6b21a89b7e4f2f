// Small, dependency-free statistics for the benchmark: percentiles of one run's samples, and the
// median with its spread across repetitions.

/** Percentile by nearest rank of an ascending array (p in 0–100); NaN when empty. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The usual latency figures of one run. */
export type LatencySummary = { count: number; p50: number; p95: number; p99: number; max: number };

/** Summarizes samples (ms) as count, p50, p95, p99 and max. */
export function summarizeLatencies(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
  };
}

/** A figure over repetitions: the median and the range it came from. */
export type Spread = { median: number; min: number; max: number; n: number; values: number[] };

/** Median (mean of the middle two for an even count) with min and max; NaN values are dropped. */
export function spread(values: number[]): Spread {
  const kept = values.filter((value) => Number.isFinite(value));
  const sorted = [...kept].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? Number.NaN : n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { median, min: n ? sorted[0] : Number.NaN, max: n ? sorted[n - 1] : Number.NaN, n, values };
}

/** A copy of `items` in random order (Fisher–Yates), to interleave servers between repetitions. */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** A small seeded PRNG (mulberry32), so generated documents are the same in every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
