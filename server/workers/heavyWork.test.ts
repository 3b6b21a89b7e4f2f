import { describe, expect, it } from "vitest";
import { errorResponse } from "@/app/_http/routeHandler";
import { AppError, busy, type BusyReason } from "../errors";
import { failureOf } from "../testing/fixtures";
import { INLINE_BELOW_BYTES, runDocumentTask, runHeavyTask } from "./heavyWork";
import type { WorkerPool } from "./workerPool";

// Under `npm start` the start command and the Next.js bundle each load their own copy of
// errors.ts, and the shared pool rejects with the copy of whoever created it. This stands in for
// the other copy: a class of its own, shaped as AppError is.
class OtherCopyAppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

const rejectingPool = (error: unknown): WorkerPool => ({
  run: () => Promise.reject(error),
  stats: () => ({ running: 0, queued: 0, threads: 0, loading: 0, finished: 0 }),
  close: async () => undefined,
});

describe("runHeavyTask", () => {
  it("answers another copy's AppError with its status, not a 500", async () => {
    const busy = await failureOf(() =>
      runHeavyTask(
        "importSource",
        { source: "x" },
        rejectingPool(new OtherCopyAppError("busy", "Busy.", { retryAfterSeconds: 5 })),
      ),
    );
    expect(busy).toBeInstanceOf(AppError);
    const response = errorResponse(busy);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    const tooBig = await failureOf(() =>
      runHeavyTask(
        "importSource",
        { source: "x" },
        rejectingPool(new OtherCopyAppError("unprocessable", "Too much memory.")),
      ),
    );
    expect(errorResponse(tooBig).status).toBe(422);
  });

  it("leaves other failures as they are (a 500, logged)", async () => {
    const crash = new Error("worker exited (code 3)");
    expect(await failureOf(() => runHeavyTask("importSource", { source: "x" }, rejectingPool(crash)))).toBe(crash);
  });
});

describe("runDocumentTask", () => {
  const record = { hash: "h", words: 1, jsonGzip: new Uint8Array(1), snapshot: new Uint8Array(1) };
  const stored = { state: "", log: null };
  const inlineRuns: string[] = [];
  const inline = () => {
    inlineRuns.push("inline");
    return record;
  };
  const refusedFor = (reason: BusyReason) => rejectingPool(busy("No room.", 5, reason));
  const large = INLINE_BELOW_BYTES;

  it("runs a small memo's task on this thread, without the pool", async () => {
    inlineRuns.length = 0;
    expect(
      await runDocumentTask("recordVersion", stored, {
        bytes: large - 1,
        inline,
        pool: rejectingPool(new Error("not to be called")),
      }),
    ).toBe(record);
    expect(inlineRuns).toEqual(["inline"]);
  });

  it("a request for a large memo gets the pool's 503 when it has no room", async () => {
    inlineRuns.length = 0;
    const refused = await failureOf(() =>
      runDocumentTask("recordVersion", stored, { bytes: large, inline, pool: refusedFor("queue-full") }),
    );
    expect(errorResponse(refused).status).toBe(503);
    expect(inlineRuns).toEqual([]);
  });

  it("work that must happen runs here when the pool had no room, but not after a deadline or a lost thread", async () => {
    for (const reason of ["queue-full", "queue-wait", "closed"] as const) {
      inlineRuns.length = 0;
      expect(
        await runDocumentTask("recordVersion", stored, {
          bytes: large,
          inline,
          mustRun: true,
          pool: refusedFor(reason),
        }),
      ).toBe(record);
      expect(inlineRuns).toEqual(["inline"]);
    }
    for (const reason of ["deadline", "lost"] as const) {
      inlineRuns.length = 0;
      const refused = await failureOf(() =>
        runDocumentTask("recordVersion", stored, { bytes: large, inline, mustRun: true, pool: refusedFor(reason) }),
      );
      expect(errorResponse(refused).status).toBe(503);
      expect(inlineRuns).toEqual([]);
    }
  });
});
