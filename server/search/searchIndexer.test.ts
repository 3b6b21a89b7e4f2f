import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { createSearchIndexer } from "./searchIndexer";

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
    await sleep(60);
    expect(work.calls).toEqual(["a", "a"]);
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
