import { describe, expect, it } from "vitest";
import { throttled } from "../errors";
import { pairDelayMs, PAIR_BACKOFF, throttleKeys } from "./signInThrottle";

// The backoff of one (account, address) pair and how its waits are told.

describe("pairDelayMs", () => {
  it("lets a few typos through, then waits seconds, doubling up to 15 minutes", () => {
    const waits = Array.from({ length: 14 }, (_, i) => pairDelayMs(i + 1) / 1000);
    expect(waits).toEqual([0, 0, 0, 5, 10, 20, 40, 80, 160, 320, 640, 900, 900, 900]);
    expect(pairDelayMs(10_000)).toBe(PAIR_BACKOFF.maxDelayMs);
  });
});

describe("throttled", () => {
  it("says seconds under a minute and minutes from one on", () => {
    expect(throttled(5).message).toBe("Too many failed sign-in attempts. Try again in 5 seconds.");
    expect(throttled(1).message).toBe("Too many failed sign-in attempts. Try again in 1 second.");
    expect(throttled(59).message).toBe("Too many failed sign-in attempts. Try again in 59 seconds.");
    expect(throttled(60).message).toBe("Too many failed sign-in attempts. Try again in 1 minute.");
    expect(throttled(900).message).toBe("Too many failed sign-in attempts. Try again in 15 minutes.");
    expect(throttled(5).details).toEqual({ retryAfterSeconds: 5 });
  });
});

describe("throttleKeys", () => {
  it("counts the pair and the address, an IPv6 one by its /64, and only the pair without an address", () => {
    expect(throttleKeys("a@example.org", "203.0.113.5").map((k) => k.key)).toEqual([
      "pair:a@example.org 203.0.113.5",
      "ip:203.0.113.5",
    ]);
    expect(throttleKeys("a@example.org", "2001:db8::7").map((k) => k.key)).toEqual([
      "pair:a@example.org 2001:db8:0:0::/64",
      "ip:2001:db8:0:0::/64",
    ]);
    expect(throttleKeys("a@example.org", null).map((k) => k.key)).toEqual(["pair:a@example.org unknown"]);
  });
});
