import { describe, expect, it } from "vitest";
import { collabLimitsFrom, TokenBucket } from "./limits";
import { DEFAULT_COLLAB_ENV } from "../testing/collabEnv";

// The per-connection budgets: a token bucket for messages and one for bytes, and how the byte
// burst and the read-only grace follow from the environment.

const ENV = DEFAULT_COLLAB_ENV;

describe("TokenBucket", () => {
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

describe("collabLimitsFrom", () => {
  it("makes the byte burst hold two largest frames, or 2.5 seconds of the rate if that is more", () => {
    expect(collabLimitsFrom(ENV).byteBurst).toBe(4 * 1024 * 1024);
    expect(collabLimitsFrom({ ...ENV, COLLAB_BYTES_PER_SECOND: 4 * 1024 * 1024 }).byteBurst).toBe(10 * 1024 * 1024);
  });

  it("keeps the read-only grace above one largest frame (a replay) and below the byte burst", () => {
    for (const env of [ENV, { ...ENV, COLLAB_MAX_FRAME_BYTES: 1024 * 1024 }, { ...ENV, COLLAB_BYTES_PER_SECOND: 1024 }]) {
      const limits = collabLimitsFrom(env);
      expect(limits.readOnlyGraceBytes).toBeGreaterThan(limits.maxFrameBytes);
      expect(limits.readOnlyGraceBytes).toBeLessThan(limits.byteBurst);
    }
  });
});
