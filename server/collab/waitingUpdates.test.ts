import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { newMemoDoc } from "../memos/memoStore";
import { testConnection } from "../testing/roomFixtures";
import { checkClientUpdate } from "./memoUpdateRules";
import { WaitingUpdates } from "./waitingUpdates";

// The client updates that wait for a memo's next broadcast, on their own: the check of a later
// update sees the clocks and items they bring, and taking them leaves nothing behind.

describe("updates waiting for a broadcast", () => {
  it("advance their clients' clocks, hold their items and bytes, and are taken in order", () => {
    const memo = newMemoDoc();
    const waiting = new WaitingUpdates();
    const view = {
      doc: memo,
      waitingItem: (id: Y.ID) => waiting.item(id),
      clocks: (client: number) => waiting.clockOf(client) ?? Y.getState(memo.store, client),
    };
    const editor = new Y.Doc();
    editor.clientID = 7;
    const updates: Uint8Array[] = [];
    editor.on("update", (update: Uint8Array) => updates.push(update));
    const paragraph = new Y.XmlElement("paragraph");
    editor.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
    paragraph.insert(0, [new Y.XmlText("builds on the paragraph")]);
    const [first, second] = updates;
    const connection = testConnection(1);

    waiting.add({ update: first, connection, facts: checkClientUpdate(view, first), receivedAt: 0 });
    expect(waiting.clockOf(7)).toBe(1);
    expect(waiting.clockOf(8)).toBeUndefined();
    expect(waiting.bytes).toBe(first.byteLength);
    // The second builds on an item only the waiting first one has.
    const facts = checkClientUpdate(view, second);
    waiting.add({ update: second, connection, facts, receivedAt: 1 });
    expect(waiting.clockOf(7)).toBe(Y.getState(editor.store, 7));

    const taken = waiting.takeAll();
    expect(taken.map((entry) => entry.update)).toEqual([first, second]);
    expect(waiting.isEmpty).toBe(true);
    expect(waiting.bytes).toBe(0);
    expect(waiting.clockOf(7)).toBeUndefined();
    expect(() => checkClientUpdate(view, second)).toThrow(/never saw/);
  });
});
