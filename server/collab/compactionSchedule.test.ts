import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CompactionSchedule } from "./compactionSchedule";

// When a memo's log is compacted, on its own: at once when the log is long, after a quiet spell
// otherwise, never for a deleted memo, and nothing scheduled once stopped (memoRoomCompaction.test.ts
// covers the backoff of a failing compaction through a whole room).

const AFTER_ROWS = 3;
const IDLE_MS = 10_000;

const schedules: CompactionSchedule[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => {
  for (const schedule of schedules.splice(0)) schedule.stop();
  vi.useRealTimers();
});

function setUp(rowsAtLoad = 0) {
  let compactions = 0;
  const schedule = new CompactionSchedule({
    memoId: "memo",
    compact: async () => {
      compactions++;
      return 1;
    },
    timing: { compactAfterRows: AFTER_ROWS, compactIdleMs: IDLE_MS },
    log: pino({ level: "silent" }),
    rowsAtLoad,
  });
  schedules.push(schedule);
  return { schedule, compactions: () => compactions };
}

describe("a memo's compaction schedule", () => {
  it("compacts a memo loaded with a long log at once", async () => {
    const { compactions } = setUp(AFTER_ROWS);
    await vi.advanceTimersByTimeAsync(0);
    expect(compactions()).toBe(1);
  });

  it("compacts a short log once the memo has been quiet for compactIdleMs, counting from the last batch", async () => {
    const { schedule, compactions } = setUp();
    schedule.noteBatchStored();
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1_000);
    schedule.noteBatchStored();
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1);
    expect(compactions()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(compactions()).toBe(1);
  });

  it("compacts at once when compactAfterRows batches were stored since the last compaction", async () => {
    const { schedule, compactions } = setUp();
    for (let i = 0; i < AFTER_ROWS; i++) schedule.noteBatchStored();
    await vi.advanceTimersByTimeAsync(0);
    expect(compactions()).toBe(1);
  });

  it("does nothing when no row was appended since the last compaction", async () => {
    const { schedule, compactions } = setUp();
    await schedule.run();
    expect(compactions()).toBe(0);
  });

  it("compacts nothing of a memo that is gone", async () => {
    const { schedule, compactions } = setUp();
    schedule.noteBatchStored();
    schedule.markMemoGone();
    await vi.advanceTimersByTimeAsync(IDLE_MS);
    await schedule.run();
    expect(compactions()).toBe(0);
  });

  it("schedules nothing once stopped, but still runs the unload's last compaction", async () => {
    const { schedule, compactions } = setUp();
    schedule.noteBatchStored();
    schedule.stop();
    await vi.advanceTimersByTimeAsync(IDLE_MS);
    expect(compactions()).toBe(0);
    await schedule.run();
    expect(compactions()).toBe(1);
  });
});
