import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { createCollabMetrics } from "./collabMetrics";
import type { MemoRoom } from "./memoRoom";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { testRoom } from "../testing/roomFixtures";

// A memo whose compaction keeps failing (content the database refuses) must not retry it every
// compactIdleMs forever, nor after every batch once past compactAfterRows, nor log a stack trace
// per attempt: retries back off from compactIdleMs (10 s in production) to 10 minutes, the log
// says so when it starts and when it stops failing, and a counter counts the attempts.

const IDLE_MS = 10_000;
const BACKOFF_MS = [10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000];

const rooms: MemoRoom[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => {
  for (const room of rooms.splice(0)) room.destroy();
  vi.useRealTimers();
});

/** A room whose compaction fails while `failing.now` is true, with its log lines and metrics. */
function setUp(options: { loadedRows: number; compactAfterRows: number }) {
  const failing = { now: true };
  let attempts = 0;
  const logLines: { level: number; msg: string; err?: unknown }[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  const metrics = createCollabMetrics(() => ({
    memos: 1,
    connections: 0,
    unstoredBytes: 0,
    redis: -1,
    versionsWaiting: 0,
    versionsRetrying: 0,
  }));
  const room = testRoom({
    storage: {
      store: async () => true,
      compact: async () => {
        attempts++;
        if (failing.now) throw new Error("invalid input syntax for type json");
        return 1;
      },
    },
    timing: { compactAfterRows: options.compactAfterRows, compactIdleMs: IDLE_MS },
    loaded: { logRows: options.loadedRows, storedBytes: 0 },
    log,
    metrics,
  });
  rooms.push(room);
  const failures = async () => (await metrics.compactionFailures.get()).values[0]?.value ?? 0;
  const logged = (level: "debug" | "info" | "warn") =>
    logLines.filter((line) => line.level === pino.levels.values[level]);
  return { room, failing, attempts: () => attempts, failures, logged };
}

/** An update adding one paragraph, as a client (or another instance) would send it. */
function paragraphUpdate(clientID: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(`Paragraph ${clientID}`)]);
  doc.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
  return Y.encodeStateAsUpdate(doc);
}

describe("a failing compaction", () => {
  it("is retried after 10 s, doubling up to 10 minutes, warns once with the error and says when it recovers", async () => {
    const { failing, attempts, failures, logged } = setUp({ loadedRows: 600, compactAfterRows: 500 });
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts()).toBe(1);
    for (const [index, backoffMs] of BACKOFF_MS.entries()) {
      await vi.advanceTimersByTimeAsync(backoffMs - 1);
      expect(attempts(), `no retry before ${backoffMs} ms`).toBe(index + 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(attempts(), `a retry after ${backoffMs} ms`).toBe(index + 2);
    }
    expect(await failures()).toBe(BACKOFF_MS.length + 1);
    expect(logged("warn")).toHaveLength(1);
    expect(logged("warn")[0].err).toMatchObject({ message: "invalid input syntax for type json" });
    expect(logged("debug").every((line) => line.err === undefined)).toBe(true);

    failing.now = false;
    await vi.advanceTimersByTimeAsync(600_000);
    expect(attempts()).toBe(BACKOFF_MS.length + 2);
    expect(logged("info").map((line) => line.msg)).toEqual(["compaction succeeded again"]);
    // Compacted: nothing is left to retry.
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(attempts()).toBe(BACKOFF_MS.length + 2);
    expect(await failures()).toBe(BACKOFF_MS.length + 1);
  });

  it("is not retried by the batches stored past compactAfterRows meanwhile, only by its backoff", async () => {
    const { room, failing, attempts, logged } = setUp({ loadedRows: 0, compactAfterRows: 2 });
    for (let batch = 1; batch <= 8; batch++) {
      room.applyRemoteUpdate(paragraphUpdate(batch));
      await room.flush();
      await vi.advanceTimersByTimeAsync(0);
      // The second batch reaches the threshold: one attempt, which fails; the next six add none.
      expect(attempts(), `after batch ${batch}`).toBe(batch < 2 ? 0 : 1);
    }
    await vi.advanceTimersByTimeAsync(IDLE_MS);
    expect(attempts()).toBe(2);
    failing.now = false;
    await vi.advanceTimersByTimeAsync(2 * IDLE_MS);
    expect(attempts()).toBe(3);
    expect(logged("warn")).toHaveLength(1);
    expect(logged("info")).toHaveLength(1);

    // Recovered: a batch past the threshold compacts at once again.
    room.applyRemoteUpdate(paragraphUpdate(9));
    await room.flush();
    room.applyRemoteUpdate(paragraphUpdate(10));
    await room.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts()).toBe(4);
  });

  it("is not retried once its memo was unloaded", async () => {
    const { room, attempts, logged } = setUp({ loadedRows: 3, compactAfterRows: 1_000 });
    // What the registry does when the last editor left: destroy the room, then compact once more.
    room.destroy();
    await room.compact();
    expect(attempts()).toBe(1);
    expect(logged("warn")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(attempts()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
