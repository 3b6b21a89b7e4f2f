import { describe, expect, it } from "vitest";
import { WriteBudget } from "./writeBudget";

/**
 * Simulates a memo broadcasting to `connections` sockets whenever an update waits, with updates
 * arriving every `arrivalMs`, for `durationMs`: how many broadcasts went out, and the longest wait.
 */
function simulate(budget: WriteBudget, connections: number, arrivalMs: number, durationMs: number) {
  let broadcasts = 0;
  let longestWait = 0;
  let nextSendAt = 0;
  for (let arrival = 0; arrival < durationMs; arrival += arrivalMs) {
    if (arrival < nextSendAt) continue; // merged into the broadcast already scheduled
    const wait = budget.waitFor(connections, arrival);
    longestWait = Math.max(longestWait, wait);
    nextSendAt = arrival + wait;
    budget.spend(connections, nextSendAt);
    broadcasts++;
  }
  return { broadcasts, longestWait, writesPerSecond: (broadcasts * connections) / (durationMs / 1000) };
}

describe("write budget", () => {
  it("never delays a memo whose broadcasts fit the budget", () => {
    // 10 people typing 5 letters a second: 50 broadcasts a second to 10 sockets.
    const result = simulate(new WriteBudget(3_300, 165, 0), 10, 20, 10_000);
    expect(result.longestWait).toBe(0);
    expect(result.broadcasts).toBe(500);
  });

  it("keeps a busy memo's socket writes within the budget, merging what arrives meanwhile", () => {
    // 50 people typing 5 letters a second: an update every 4 ms, each to 50 sockets.
    const result = simulate(new WriteBudget(3_300, 165, 0), 50, 4, 10_000);
    // At most the budget, the saved-up burst and the broadcast that overdraws it, over 10 s.
    expect(result.writesPerSecond).toBeLessThanOrEqual(3_300 + (165 + 50) / 10);
    expect(result.writesPerSecond).toBeGreaterThan(3_000);
    expect(result.longestWait).toBeLessThanOrEqual((50 / 3_300) * 1000 + 0.001);
  });

  it("paces rooms larger than the burst at the same average rate", () => {
    const result = simulate(new WriteBudget(3_300, 165, 0), 400, 1, 10_000);
    // The budget, plus the broadcast at either end of the 10 s that each overdraw it.
    expect(result.writesPerSecond).toBeLessThanOrEqual(3_300 + (2 * 400) / 10);
    expect(result.broadcasts).toBeGreaterThan(70);
  });
});
