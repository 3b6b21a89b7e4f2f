import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { errorResponse } from "@/app/_http/routeHandler";
import { AppError, isAppError } from "../errors";
import { withEventLoopPause } from "../testing/eventLoopPause";
import { failureOf } from "../testing/fixtures";
import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from "./workerPool";

// The pool against a worker that misbehaves on purpose (server/testing/hostileWorker.mjs): real
// threads, real limits. Each answer is what a route handler would send: never a 500 for a limit.

const HOSTILE = path.join(import.meta.dirname, "..", "testing", "hostileWorker.mjs");
const pools: WorkerPool[] = [];

function pool(overrides: Partial<WorkerPoolOptions> = {}): WorkerPool {
  const created = createWorkerPool({
    filename: HOSTILE,
    threads: 1,
    queueLength: 2,
    queueWaitMs: 5_000,
    deadlineMs: 5_000,
    startupMs: 15_000,
    maxHeapMb: 96,
    idleMs: 30_000,
    recycleHeapBytes: 256 * 1024 * 1024,
    ...overrides,
  });
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()));
});

/** Waits until `done` holds (a successor loads in well under a second on an idle machine). */
async function until(done: () => boolean, ms = 15_000): Promise<void> {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() > end) throw new Error("timed out waiting for the pool");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The HTTP status and Retry-After a route handler would answer `error` with. */
const answer = (error: unknown) => {
  const response = errorResponse(error);
  return { status: response.status, retryAfter: response.headers.get("retry-after") };
};

describe("worker pool", () => {
  it("runs tasks and keeps an expected refusal's code, message and details", async () => {
    const work = pool();
    expect(await work.run("echo", { a: [1, 2] })).toEqual({ a: [1, 2] });
    const refused = await failureOf(() => work.run("refuse", null));
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      code: "unprocessable",
      message: "Refused on purpose.",
      details: { limit: "test" },
    });
    expect(answer(refused).status).toBe(422);
  });

  it("a full queue is refused at once with 503 and Retry-After", async () => {
    const work = pool({ queueLength: 1 });
    const running = work.run("sleep", 500);
    const waiting = work.run("sleep", 1);
    const refused = await failureOf(() => work.run("echo", 1));
    expect(answer(refused)).toEqual({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
    expect(work.stats()).toMatchObject({ running: 1, queued: 1 });
    expect(await running).toBe(500);
    expect(await waiting).toBe(1);
  });

  it("a task that waits longer than queueWaitMs is refused with 503", async () => {
    const work = pool({ queueWaitMs: 200 });
    const running = work.run("sleep", 1_000);
    const started = performance.now();
    const refused = await failureOf(() => work.run("echo", 1));
    expect(performance.now() - started).toBeLessThan(900);
    expect(answer(refused).status).toBe(503);
    await running;
  });

  it("a task that never ends is stopped at its deadline (503), the event loop never waits on it, and the pool keeps serving", async () => {
    const work = pool({ deadlineMs: 1_000 });
    await work.run("echo", "warm");
    const { result: refused, maxPauseMs } = await withEventLoopPause(() => failureOf(() => work.run("spin", null)));
    expect(answer(refused)).toEqual({ status: 503, retryAfter: "1" });
    expect((refused as AppError).message).toMatch(/longer than 1 s/);
    expect(maxPauseMs).toBeLessThan(200);
    expect(await work.run("echo", "after")).toBe("after");
  });

  it("a task beyond the heap limit is refused with 422 and a clear message; the next task runs", async () => {
    const work = pool({ maxHeapMb: 64 });
    const refused = await failureOf(() => work.run("allocate", null));
    expect(answer(refused).status).toBe(422);
    expect((refused as AppError).message).toMatch(/more than 64 MB of memory/);
    expect(await work.run("echo", "after")).toBe("after");
  });

  it("a stack overflow in a task is a 422 'too deeply nested', not a 500", async () => {
    const refused = await failureOf(() => pool().run("overflow", null));
    expect(isAppError(refused, "unprocessable")).toBe(true);
    expect((refused as AppError).message).toMatch(/too deeply nested/);
  });

  it("a thread that dies mid-task fails that task only, with 503 and Retry-After and the cause told for the log; the pool carries on", async () => {
    const lost: string[] = [];
    const work = pool({ onThreadLost: (task, reason) => lost.push(`${task}: ${reason.message}`) });
    const failed = await failureOf(() => work.run("exit", null));
    expect(answer(failed)).toEqual({ status: 503, retryAfter: "5" });
    expect((failed as AppError).message).toMatch(/Try again/);
    expect(lost).toEqual([expect.stringMatching(/^exit: worker exited \(code 3\)/)]);
    expect(await work.run("echo", "after")).toBe("after");
  });

  it("replaces a thread whose heap grew past recycleHeapBytes; it serves until its successor is ready, so no task waits for one to load", async () => {
    const work = pool({ recycleHeapBytes: 64 * 1024 * 1024, maxHeapMb: 512 });
    const first = await work.run<number>("threadId", null);
    expect(await work.run("started", null)).toEqual({ replacing: false });
    expect(await work.run("grow", null)).toBe("grown");
    // The successor is loading beside it (a second or more); meanwhile the grown thread answers.
    expect(work.stats().threads).toBe(2);
    expect(await work.run<number>("threadId", null)).toBe(first);
    await until(() => work.stats().threads === 1);
    expect(work.stats()).toEqual({ running: 0, queued: 0, threads: 1, loading: 0, finished: 4 });
    const second = await work.run<number>("threadId", null);
    expect(second).not.toBe(first);
    // A successor is told it replaces a thread, so it may warm up before it reports ready
    // (heavyTasks.ts); a thread started for a waiting task is not.
    expect(await work.run("started", null)).toEqual({ replacing: true });
    // The successor replaced it: no further thread is loading.
    expect(work.stats().threads).toBe(1);
  });

  it("a task queued while the grown thread works goes to its successor once that is ready", async () => {
    const work = pool({ recycleHeapBytes: 64 * 1024 * 1024, maxHeapMb: 512 });
    const first = await work.run<number>("threadId", null);
    await work.run("grow", null);
    // The grown thread is held busy, with a task waiting behind it, until its successor is ready.
    const release = new Int32Array(new SharedArrayBuffer(4));
    const held = work.run<string>("hold", release.buffer);
    const queued = work.run<number>("threadId", null);
    await until(() => work.stats().loading === 0);
    expect(work.stats()).toMatchObject({ running: 1, queued: 1, threads: 2 });
    Atomics.store(release, 0, 1);
    Atomics.notify(release, 0);
    expect(await held).toBe("released");
    expect(await queued).not.toBe(first);
    expect(work.stats()).toMatchObject({ threads: 1, loading: 0 });
  });

  it("lets idle threads exit", async () => {
    const work = pool({ idleMs: 300 });
    expect(await work.run("echo", "first")).toBe("first");
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(work.stats()).toEqual({ running: 0, queued: 0, threads: 0, loading: 0, finished: 1 });
    expect(await work.run("echo", "again")).toBe("again");
  });

  it("close refuses what waits and what runs with 503", async () => {
    const work = pool();
    const running = failureOf(() => work.run("sleep", 5_000));
    const waiting = failureOf(() => work.run("echo", 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await work.close();
    expect(answer(await running).status).toBe(503);
    expect(answer(await waiting).status).toBe(503);
    expect(answer(await failureOf(() => work.run("echo", 1))).status).toBe(503);
  });
});
