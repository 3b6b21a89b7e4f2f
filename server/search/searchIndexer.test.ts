import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { createSearchIndexer, MAX_ATTEMPTS } from "./searchIndexer";

const log = pino({ level: "silent" });

/** An index function that records calls and finishes when told. */
function recorder() {
  const calls: string[] = [];
  const pending: (() => void)[] = [];
  let fail = 0;
  return {
    calls,
    failNext: (times: number) => (fail = times),
    finishAll: () => pending.splice(0).forEach((finish) => finish()),
    index: (memoId: string) =>
      new Promise<void>((resolve, reject) => {
        calls.push(memoId);
        if (fail > 0) {
          fail--;
          return reject(new Error("database unreachable"));
        }
        pending.push(resolve);
      }),
  };
}

describe("createSearchIndexer", () => {
  it("indexes a memo once per delay however often it changes, and again if it changed meanwhile", async () => {
    const work = recorder();
    const indexer = createSearchIndexer({ index: work.index, delayMs: 30, concurrency: 2, log });
    for (let i = 0; i < 20; i++) indexer.changed("a");
    expect(work.calls).toEqual([]);
    await sleep(60);
    expect(work.calls).toEqual(["a"]);
    // Changes while it runs: one more indexing after, not one per change.
    indexer.changed("a");
    indexer.changed("a");
    work.finishAll();
    // After the pace its last indexing set (4 × the ~60 ms it took).
    await vi.waitFor(() => expect(work.calls).toEqual(["a", "a"]), { timeout: 5_000 });
    work.finishAll();
    await indexer.close();
  });

  it("indexes at most `concurrency` memos at a time, the rest in turn", async () => {
    const work = recorder();
    const indexer = createSearchIndexer({ index: work.index, delayMs: 5, concurrency: 2, log });
    for (const memo of ["a", "b", "c", "d"]) indexer.changed(memo);
    await sleep(40);
    expect(work.calls).toEqual(["a", "b"]);
    expect(indexer.stats()).toEqual({ waiting: 2, running: 2 });
    work.finishAll();
    await sleep(10);
    expect(work.calls).toEqual(["a", "b", "c", "d"]);
    work.finishAll();
    await indexer.close();
  });

  it("retries a failing memo with backoff until it is indexed", async () => {
    const work = recorder();
    work.failNext(2);
    const indexer = createSearchIndexer({ index: work.index, delayMs: 10, concurrency: 1, log });
    indexer.changed("a");
    await sleep(25);
    expect(work.calls).toEqual(["a"]);
    // Retried after 20 ms, then 40 ms, and then no more.
    await vi.waitFor(() => expect(work.calls).toEqual(["a", "a", "a"]), { timeout: 5_000 });
    await sleep(100);
    expect(work.calls).toEqual(["a", "a", "a"]);
    work.finishAll();
    await indexer.close();
    expect(indexer.stats()).toEqual({ waiting: 0, running: 0 });
  });

  it("an index function that throws at once is retried like any failure, and gives up after MAX_ATTEMPTS", async () => {
    const calls: string[] = [];
    const indexer = createSearchIndexer({
      index: (memoId) => {
        calls.push(memoId);
        throw new Error("DATABASE_URL is not set");
      },
      delayMs: 1,
      concurrency: 1,
      maxRetryMs: 8,
      log,
    });
    indexer.changed("a");
    await vi.waitFor(() => expect(calls).toHaveLength(MAX_ATTEMPTS), { timeout: 5_000 });
    await vi.waitFor(() => expect(indexer.stats()).toEqual({ waiting: 0, running: 0 }), { timeout: 5_000 });
    await sleep(60);
    expect(calls).toHaveLength(MAX_ATTEMPTS);
    // A new change starts over.
    indexer.changed("a");
    await vi.waitFor(() => expect(calls.length).toBeGreaterThan(MAX_ATTEMPTS), { timeout: 5_000 });
    await indexer.close();
  });

  it("a memo whose indexing takes long waits a multiple of that before the next", async () => {
    const times: number[] = [];
    const indexer = createSearchIndexer({
      index: async () => {
        times.push(performance.now());
        await sleep(40);
      },
      delayMs: 1,
      concurrency: 1,
      log,
    });
    indexer.changed("a");
    await vi.waitFor(() => expect(times).toHaveLength(1), { timeout: 5_000 });
    indexer.changed("a");
    await vi.waitFor(() => expect(times).toHaveLength(2), { timeout: 5_000 });
    // 40 ms of indexing, then at least 4 × 40 ms before the next.
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(40 + 4 * 40 - 5);
    await indexer.close();
  });

  it("schedules nothing once closed, and close waits for the indexing under way", async () => {
    const work = recorder();
    const indexer = createSearchIndexer({ index: work.index, delayMs: 5, concurrency: 1, log });
    indexer.changed("a");
    await sleep(20);
    let closed = false;
    const closing = indexer.close().then(() => (closed = true));
    indexer.changed("b");
    await sleep(10);
    expect(closed).toBe(false);
    work.finishAll();
    await closing;
    expect(work.calls).toEqual(["a"]);
  });
});
