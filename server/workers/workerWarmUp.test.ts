import { describe, expect, it } from "vitest";
import { memoSchema } from "../../common/editor/memoDocument";
import { exportWarmUp, sampleMemo } from "./workerWarmUp";

// The warm-up runs in a successor thread before it reports ready, and a failure there is only
// logged: these tests are what tells that it still renders.
describe("document worker warm-up", () => {
  it("renders a sample that fits the memo schema, in every format, without an error", async () => {
    expect(() => memoSchema().nodeFromJSON(sampleMemo()).check()).not.toThrow();
    const steps = exportWarmUp(1);
    expect(steps).toHaveLength(3);
    for (const step of steps) await step();
  });
});
