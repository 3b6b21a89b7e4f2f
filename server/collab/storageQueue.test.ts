import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { newMemoDoc, type PendingUpdate } from "../memos/memoStore";
import { savedAcks, testConnection } from "../testing/roomFixtures";
import type { CollabConnection } from "./collabConnection";
import { SaveTracker } from "../../common/protocol/saveAck";
import { StorageQueue, type StoreBatch } from "./storageQueue";

// One memo's storage queue on its own: what goes into a batch, who is told it is saved, how a
// failing store is retried (the backoff lives beside the write, so typing cannot hurry it), and
// what happens once the memo is gone.

const queues: StorageQueue[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  for (const queue of queues.splice(0)) queue.stop();
  vi.useRealTimers();
});

function setUp(store: StoreBatch, hooks: { beforeAcknowledging?: () => Promise<void> } = {}) {
  const doc = newMemoDoc();
  const connected = new Set<CollabConnection>();
  const events = { failing: [] as boolean[], stored: 0, gone: 0 };
  const queue = new StorageQueue({
    memoId: "memo",
    doc,
    store,
    timing: { batchMs: 20, slowStoreMs: 3_000 },
    log: pino({ level: "silent" }),
    isConnected: (connection) => connected.has(connection),
    beforeFlush: () => undefined,
    beforeAcknowledging: hooks.beforeAcknowledging ?? (async () => undefined),
    onFailingChanged: (failing) => events.failing.push(failing),
    onBatchStored: () => events.stored++,
    onMemoGone: () => events.gone++,
  });
  queues.push(queue);
  /** A connected editor whose typing reaches the room's document and then the queue. */
  const editor = (id: number) => {
    const received: Uint8Array[] = [];
    const connection = testConnection(id, received);
    connected.add(connection);
    const own = new Y.Doc();
    own.clientID = id;
    const tracker = new SaveTracker();
    const type = (text: string): Uint8Array => {
      const before = Y.encodeStateVector(own);
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText(text)]);
      own.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
      const update = Y.encodeStateAsUpdate(own, before);
      tracker.recordLocalUpdate(update);
      Y.applyUpdate(doc, update, connection);
      queue.add(update, connection, undefined, performance.now());
      return update;
    };
    const saved = () =>
      savedAcks(received).reduce((isSaved, ack) => tracker.acknowledge(ack) || isSaved, tracker.isSaved());
    return { connection, received, type, saved, leave: () => connected.delete(connection) };
  };
  return { queue, editor, events, doc };
}

describe("a memo's storage queue", () => {
  it("writes what arrives within batchMs as one batch and tells each contributor it is saved", async () => {
    const batches: PendingUpdate[][] = [];
    const { queue, editor, events } = setUp(async (_memoId, batch) => {
      batches.push(batch);
      return true;
    });
    const alice = editor(1);
    const bob = editor(2);
    alice.type("Alice's paragraph.");
    bob.type("Bob's paragraph.");
    expect(queue.unstoredBytes).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(19);
    expect(batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toHaveLength(1);
    expect(batches[0].map((update) => update.userId)).toEqual(["u1", "u2"]);
    expect(alice.saved()).toBe(true);
    expect(bob.saved()).toBe(true);
    expect(queue.unstoredBytes).toBe(0);
    expect(queue.isEmpty).toBe(true);
    expect(events.stored).toBe(1);
  });

  it("acknowledges nobody who left before the batch was stored", async () => {
    const { editor } = setUp(async () => true);
    const alice = editor(1);
    alice.type("Typed, then the tab closed.");
    alice.leave();
    await vi.advanceTimersByTimeAsync(20);
    expect(savedAcks(alice.received)).toHaveLength(0);
  });

  it("keeps a failed batch ahead of later edits and retries after 250, 500, 1,000 ms however fast people type", async () => {
    const attempts: { at: number; texts: number }[] = [];
    let failing = true;
    const { queue, editor, events } = setUp(async (_memoId, batch) => {
      attempts.push({ at: Date.now(), texts: batch.length });
      if (failing) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      return true;
    });
    const alice = editor(1);
    alice.type("First.");
    const start = Date.now();
    await vi.advanceTimersByTimeAsync(20);
    expect(attempts).toHaveLength(1);
    expect(events.failing).toEqual([true]);
    expect(queue.failing).toBe(true);
    // Ten keystrokes a second: the backoff decides when the write is tried again, not the typing.
    for (let i = 0; i < 20; i++) {
      alice.type(`Keystroke ${i}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(attempts[0].at - start).toBe(20);
    // Each retry waits its backoff (plus the timer tick that schedules the write).
    const waits = attempts.slice(1).map((attempt, i) => attempt.at - attempts[i].at);
    expect(waits.map((wait) => Math.floor(wait / 10) * 10)).toEqual([250, 500, 1_000]);
    // Each attempt writes the failed batch again with what was typed since.
    expect(attempts.map((attempt) => attempt.texts)).toEqual([1, 4, 9, 19]);
    failing = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(events.failing).toEqual([true, false]);
    expect(alice.saved()).toBe(true);
    expect(queue.unstoredBytes).toBe(0);
  });

  it("writes the failed batch first, in order, when it is retried", async () => {
    const batches: Uint8Array[][] = [];
    let failing = true;
    const { editor } = setUp(async (_memoId, batch) => {
      batches.push(batch.map((update) => update.data));
      if (failing) throw new Error("deadlock detected");
      return true;
    });
    const alice = editor(1);
    const first = alice.type("First.");
    await vi.advanceTimersByTimeAsync(20);
    const second = alice.type("Second.");
    failing = false;
    await vi.advanceTimersByTimeAsync(251);
    expect(batches).toEqual([[first], [first, second]]);
  });

  it("counts a failure to keep hidden edits before acknowledging as a failed store", async () => {
    let keepFails = true;
    const { editor, events } = setUp(async () => true, {
      beforeAcknowledging: async () => {
        if (keepFails) throw new Error("version could not be recorded");
      },
    });
    const alice = editor(1);
    alice.type("Hidden by a restore.");
    await vi.advanceTimersByTimeAsync(20);
    expect(alice.saved()).toBe(false);
    expect(events.failing).toEqual([true]);
    keepFails = false;
    await vi.advanceTimersByTimeAsync(251);
    expect(alice.saved()).toBe(true);
    expect(events.failing).toEqual([true, false]);
  });

  it("sends a full snapshot to a connection that asked for one, and the batch's to the others", async () => {
    const { queue, editor, doc } = setUp(async () => true);
    // A deletion stored in an earlier session: only a full snapshot covers it.
    const earlier = new Y.Doc();
    earlier.clientID = 99;
    earlier.getText("t").insert(0, "gone");
    earlier.getText("t").delete(0, 4);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(earlier));
    const alice = editor(1);
    const bob = editor(2);
    alice.type("Replayed.");
    bob.type("Typed.");
    queue.acknowledgeFullyNext(alice.connection);
    await vi.advanceTimersByTimeAsync(20);
    const deletedBy = (ack: Uint8Array) => [...Y.decodeSnapshot(ack).ds.clients.keys()];
    expect(savedAcks(alice.received).map(deletedBy)).toEqual([[99]]);
    expect(savedAcks(bob.received).map(deletedBy)).toEqual([[]]);
  });

  it("drops everything once a store finds the memo gone, and takes nothing more", async () => {
    const stores: number[] = [];
    const { queue, editor, events } = setUp(async (_memoId, batch) => {
      stores.push(batch.length);
      return false;
    });
    const alice = editor(1);
    alice.type("Typed as the memo was deleted.");
    await vi.advanceTimersByTimeAsync(20);
    expect(events.gone).toBe(1);
    expect(queue.unstoredBytes).toBe(0);
    alice.type("After.");
    expect(queue.unstoredBytes).toBe(0);
    await queue.flush();
    expect(stores).toEqual([1]);
    expect(savedAcks(alice.received)).toHaveLength(0);
  });
});
