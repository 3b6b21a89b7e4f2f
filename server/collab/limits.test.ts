import { describe, expect, it } from "vitest";
import { collabLimitsFrom } from "./limits";
import { DEFAULT_COLLAB_ENV } from "../testing/collabEnv";

// How the per-connection budgets (a token bucket for messages and one for bytes, tokenBucket.ts),
// the byte burst and the read-only grace follow from the environment.

const ENV = DEFAULT_COLLAB_ENV;

describe("collabLimitsFrom", () => {
  it("makes the byte burst hold two largest frames, or 2.5 seconds of the rate if that is more", () => {
    expect(collabLimitsFrom(ENV).byteBurst).toBe(4 * 1024 * 1024);
    expect(collabLimitsFrom({ ...ENV, COLLAB_BYTES_PER_SECOND: 4 * 1024 * 1024 }).byteBurst).toBe(10 * 1024 * 1024);
  });

  it("keeps the read-only grace above one largest frame (a replay) and below the byte burst", () => {
    for (const env of [
      ENV,
      { ...ENV, COLLAB_MAX_FRAME_BYTES: 1024 * 1024 },
      { ...ENV, COLLAB_BYTES_PER_SECOND: 1024 },
    ]) {
      const limits = collabLimitsFrom(env);
      expect(limits.readOnlyGraceBytes).toBeGreaterThan(limits.maxFrameBytes);
      expect(limits.readOnlyGraceBytes).toBeLessThan(limits.byteBurst);
    }
  });
});
