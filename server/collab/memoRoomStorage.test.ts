import * as decoding from "lib0/decoding";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { testConnection, testRoom } from "../testing/roomFixtures";
import type { MemoRoom, RoomStorage } from "./memoRoom";
import { checkClientUpdate } from "./memoUpdateRules";
import { MessageType } from "../../common/protocol/protocol";

// Storage that hangs or keeps failing: the memo's clients are told within a few seconds that
// storage is failing (a paused database never errs), retries follow their backoff however fast
// people type, and the log says so once, not once per attempt.

const rooms: MemoRoom[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => {
  for (const room of rooms.splice(0)) room.destroy();
  vi.useRealTimers();
});

function setUp(store: RoomStorage["store"]) {
  const logLines: { level: number; msg: string }[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  const room = testRoom({
    storage: { store, compact: async () => 0 },
    timing: { batchMs: 20, slowStoreMs: 3_000 },
    log,
  });
  rooms.push(room);
  const received: Uint8Array[] = [];
  const connection = testConnection(1, received);
  room.join(connection);
  const editor = new Y.Doc();
  editor.clientID = 4242;
  const type = (text: string) => {
    const before = Y.encodeStateVector(editor);
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(text)]);
    editor.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
    const update = Y.encodeStateAsUpdate(editor, before);
    room.applyClientUpdate(update, connection, checkClientUpdate(room, update));
  };
  const storageStatus = () =>
    received.flatMap((message) => {
      const decoder = decoding.createDecoder(message);
      return decoding.readVarUint(decoder) === MessageType.StorageStatus ? [decoding.readUint8(decoder)] : [];
    });
  const errors = () => logLines.filter((line) => line.level >= pino.levels.values.error);
  return { room, type, storageStatus, errors, logLines };
}

describe("a memo's storage", () => {
  it("tells clients storage is failing when a store hangs for 3 s, and that it works once it returns", async () => {
    let release: (stored: boolean) => void = () => undefined;
    const { type, storageStatus, logLines } = setUp(() => new Promise<boolean>((resolve) => (release = resolve)));
    type("Typed while the database is paused.");
    await vi.advanceTimersByTimeAsync(2_900);
    expect(storageStatus()).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(storageStatus()).toEqual([1]);
    expect(logLines.some((line) => line.msg.includes("taking long"))).toBe(true);
    release(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(storageStatus()).toEqual([1, 0]);
  });

  it("retries a failing store with backoff while people keep typing, and logs the failure once", async () => {
    let attempts = 0;
    let failing = true;
    const { type, storageStatus, errors, logLines } = setUp(async () => {
      attempts++;
      if (failing) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      return true;
    });
    // Ten keystrokes a second for 3.5 s: the backoff (250, 500, 1,000, 2,000 ms) decides, not the typing.
    for (let i = 0; i < 35; i++) {
      type(`Keystroke ${i}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(attempts).toBeGreaterThanOrEqual(4);
    expect(attempts).toBeLessThanOrEqual(5);
    expect(errors()).toHaveLength(1);
    expect(storageStatus()).toEqual([1]);

    failing = false;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(storageStatus()).toEqual([1, 0]);
    expect(logLines.filter((line) => line.msg === "storing updates works again")).toHaveLength(1);
    expect(errors()).toHaveLength(1);
  });
});
