import { describe, expect, it } from "vitest";
import { TokenBucket } from "./tokenBucket";

/**
 * Simulates a memo broadcasting to `connections` sockets whenever an update waits, with updates
 * arriving every `arrivalMs`, for `durationMs`: how many broadcasts went out, and the longest wait.
 */
function simulate(
  budgetAt: (clock: () => number) => TokenBucket,
  connections: number,
  arrivalMs: number,
  durationMs: number,
) {
  let now = 0;
  const budget = budgetAt(() => now);
  let broadcasts = 0;
  let longestWait = 0;
  let nextSendAt = 0;
  for (let arrival = 0; arrival < durationMs; arrival += arrivalMs) {
    if (arrival < nextSendAt) continue; // merged into the broadcast already scheduled
    now = arrival;
    const wait = budget.waitFor(connections);
    longestWait = Math.max(longestWait, wait);
    nextSendAt = arrival + wait;
    now = nextSendAt;
    budget.spend(connections);
    broadcasts++;
  }
  return { broadcasts, longestWait, writesPerSecond: (broadcasts * connections) / (durationMs / 1000) };
}

describe("TokenBucket as a memo's write budget", () => {
  it("never delays a memo whose broadcasts fit the budget", () => {
    // 10 people typing 5 letters a second: 50 broadcasts a second to 10 sockets.
    const result = simulate((clock) => new TokenBucket(3_300, 165, clock), 10, 20, 10_000);
    expect(result.longestWait).toBe(0);
    expect(result.broadcasts).toBe(500);
  });

  it("keeps a busy memo's socket writes within the budget, merging what arrives meanwhile", () => {
    // 50 people typing 5 letters a second: an update every 4 ms, each to 50 sockets.
    const result = simulate((clock) => new TokenBucket(3_300, 165, clock), 50, 4, 10_000);
    // At most the budget, the saved-up burst and the broadcast that overdraws it, over 10 s.
    expect(result.writesPerSecond).toBeLessThanOrEqual(3_300 + (165 + 50) / 10);
    expect(result.writesPerSecond).toBeGreaterThan(3_000);
    expect(result.longestWait).toBeLessThanOrEqual((50 / 3_300) * 1000 + 0.001);
  });

  it("paces rooms larger than the burst at the same average rate", () => {
    const result = simulate((clock) => new TokenBucket(3_300, 165, clock), 400, 1, 10_000);
    // The budget, plus the broadcast at either end of the 10 s that each overdraw it.
    expect(result.writesPerSecond).toBeLessThanOrEqual(3_300 + (2 * 400) / 10);
    expect(result.broadcasts).toBeGreaterThan(70);
  });
});

describe("TokenBucket as a connection's rate", () => {
  it("allows the burst at once, then the rate, and spends nothing on a refusal", () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 3000, () => now);
    expect(bucket.take(3000)).toBe(true);
    expect(bucket.take(1)).toBe(false);
    now += 500;
    // Half a second refilled 500: a 600-byte frame is refused, and the refusal spends nothing.
    expect(bucket.take(600)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    // A long pause refills up to the burst, never beyond it.
    now += 60_000;
    expect(bucket.take(3000)).toBe(true);
    expect(bucket.take(1)).toBe(false);
  });

  it("counts one token per message by default", () => {
    let now = 0;
    const bucket = new TokenBucket(10, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
    now += 100;
    expect(bucket.take()).toBe(true);
  });
});
