import { describe, expect, it } from "vitest";
import { percentileOfSorted, seededRandom, shuffled, spread, summarizeLatencies } from "./stats";

describe("benchmark statistics", () => {
  it("takes percentiles by nearest rank", () => {
    const sorted = Float64Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentileOfSorted(sorted, 50)).toBe(50);
    expect(percentileOfSorted(sorted, 99)).toBe(99);
    expect(percentileOfSorted(sorted, 100)).toBe(100);
    expect(percentileOfSorted(Float64Array.of(7), 99)).toBe(7);
    expect(percentileOfSorted(new Float64Array(0), 50)).toBeNaN();
  });

  it("summarizes unsorted latencies", () => {
    expect(summarizeLatencies([5, 1, 4, 2, 3])).toEqual({ count: 5, p50: 3, p95: 5, p99: 5, max: 5 });
  });

  it("reports the median of repetitions with its range, ignoring missing values", () => {
    expect(spread([3, 1, 2])).toMatchObject({ median: 2, min: 1, max: 3, n: 3 });
    expect(spread([4, 1, Number.NaN, 2, 3])).toMatchObject({ median: 2.5, min: 1, max: 4, n: 4 });
    expect(spread([]).median).toBeNaN();
  });

  it("shuffles without losing or duplicating items, reproducibly with a seed", () => {
    const items = ["a", "b", "c", "d", "e"];
    const once = shuffled(items, seededRandom(1));
    expect([...once].sort()).toEqual(items);
    expect(shuffled(items, seededRandom(1))).toEqual(once);
    expect(items).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("draws seeded numbers in [0, 1)", () => {
    const random = seededRandom(42);
    const draws = Array.from({ length: 1000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(seededRandom(42)()).toBe(draws[0]);
  });
});
