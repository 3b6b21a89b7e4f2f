import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MemoRoom } from "./memoRoom";
import { newMemoDoc } from "../memos/memoStore";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { testRoom } from "../testing/roomFixtures";

// A client opening a memo with nothing (empty state vector) gets the whole document. The room
// answers with the bytes the load read when they are exactly the document (a snapshot without log
// rows), or with one encoding kept until the next change, instead of encoding it per client.

function paragraphDoc(text: string): Y.Doc {
  const doc = newMemoDoc();
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
  return doc;
}

function roomFor(doc: Y.Doc, fullState?: Uint8Array): MemoRoom {
  return testRoom({ doc, loaded: { logRows: 0, storedBytes: fullState?.byteLength ?? 0, fullState } });
}

const textOf = (update: Uint8Array) => {
  const doc = newMemoDoc();
  Y.applyUpdate(doc, update);
  return doc.getXmlFragment(MEMO_FRAGMENT).toString();
};

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

describe("a fresh client's sync", () => {
  it("gets the loaded snapshot as read, then the changed document after an edit", () => {
    const stored = Y.encodeStateAsUpdate(paragraphDoc("As stored."));
    const doc = newMemoDoc();
    Y.applyUpdate(doc, stored);
    const room = roomFor(doc, stored);
    expect(room.stateAsUpdate(EMPTY_STATE_VECTOR)).toBe(stored);

    const editor = newMemoDoc();
    Y.applyUpdate(editor, stored);
    const before = Y.encodeStateVector(editor);
    ((editor.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, "Edited. ");
    Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(editor, before));

    const after = room.stateAsUpdate(EMPTY_STATE_VECTOR);
    expect(after).not.toBe(stored);
    expect(textOf(after)).toContain("Edited. As stored.");
    // Kept until the next change: a second fresh client gets the same bytes.
    expect(room.stateAsUpdate(EMPTY_STATE_VECTOR)).toBe(after);
    room.destroy();
  });

  it("encodes only what a client lacks when it already holds part of the memo", () => {
    const doc = paragraphDoc("Shared text.");
    const room = roomFor(doc);
    const client = newMemoDoc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
    const missing = room.stateAsUpdate(Y.encodeStateVector(client));
    expect(missing.byteLength).toBeLessThan(Y.encodeStateAsUpdate(doc).byteLength);
    expect(Y.decodeUpdate(missing).structs).toHaveLength(0);
    room.destroy();
  });
});
