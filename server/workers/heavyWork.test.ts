import { describe, expect, it } from "vitest";
import { errorResponse } from "@/app/_http/routeHandler";
import { AppError } from "../errors";
import { failureOf } from "../testing/fixtures";
import { runHeavyTask } from "./heavyWork";
import type { WorkerPool } from "./workerPool";

// Under `npm start` the start command and the Next.js bundle each load their own copy of
// errors.ts, and the shared pool rejects with the copy of whoever created it. This stands in for
// the other copy: a class of its own, shaped as AppError is.
class OtherCopyAppError extends Error {
  constructor(readonly code: string, message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
  }
}

const rejectingPool = (error: unknown): WorkerPool => ({
  run: () => Promise.reject(error),
  stats: () => ({ running: 0, queued: 0, threads: 0 }),
  close: async () => undefined,
});

describe("runHeavyTask", () => {
  it("answers another copy's AppError with its status, not a 500", async () => {
    const busy = await failureOf(() => runHeavyTask("importSource", { source: "x" }, rejectingPool(new OtherCopyAppError("busy", "Busy.", { retryAfterSeconds: 5 }))));
    expect(busy).toBeInstanceOf(AppError);
    const response = errorResponse(busy);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    const tooBig = await failureOf(() => runHeavyTask("importSource", { source: "x" }, rejectingPool(new OtherCopyAppError("unprocessable", "Too much memory."))));
    expect(errorResponse(tooBig).status).toBe(422);
  });

  it("leaves other failures as they are (a 500, logged)", async () => {
    const crash = new Error("worker exited (code 3)");
    expect(await failureOf(() => runHeavyTask("importSource", { source: "x" }, rejectingPool(crash)))).toBe(crash);
  });
});
