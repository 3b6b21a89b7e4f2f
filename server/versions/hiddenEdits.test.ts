import { updateYFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { rangesOf, subtractRanges } from "./clockRanges";
import { newMemoDoc } from "../memos/memoStore";
import {
  memoJsonFromYdoc,
  memoSchema,
  plainTextFromMemoJson,
  ydocFromMemoJson,
} from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { hiddenEditsRecord, snapshotUnion, snapshotWithoutRestore } from "./hiddenEdits";
import { loadEnv } from "../env";
import { heavyWorkOptions } from "../workers/heavyWork";
import { createWorkerPool } from "../workers/workerPool";
import { docAtVersion, type VersionRecord } from "./versionContent";

const memo = (...paragraphs: string[]) => ({
  type: "doc",
  content: paragraphs.map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })),
});
/** A restored version whose heading takes the draft paragraph's place (so the paragraph is deleted). */
const RESTORED = {
  type: "doc",
  content: [
    { type: "paragraph", content: [{ type: "text", text: "Kept." }] },
    { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Restored." }] },
  ],
};
const textOf = (doc: Y.Doc) => plainTextFromMemoJson(memoJsonFromYdoc(doc));

/** A memo whose second paragraph got an edit the restore (computed without it) then hid. */
function restoredOverAnEdit() {
  const stored = newMemoDoc();
  Y.applyUpdate(stored, Y.encodeStateAsUpdate(ydocFromMemoJson(memo("Kept.", "Draft."))));
  // The restore is computed from what is stored, as restoreVersion does.
  const restoring = newMemoDoc();
  Y.applyUpdate(restoring, Y.encodeStateAsUpdate(stored));
  const restoreUpdates: Uint8Array[] = [];
  restoring.on("update", (update: Uint8Array) => restoreUpdates.push(update));
  updateYFragment(restoring, restoring.getXmlFragment(MEMO_FRAGMENT), memoSchema().nodeFromJSON(RESTORED), {
    mapping: new Map(),
    isOMark: new Map(),
  } as never);
  const restore = Y.mergeUpdates(restoreUpdates);
  // Meanwhile a colleague typed into the draft paragraph.
  const before = Y.snapshot(stored);
  const draft = (stored.getXmlFragment(MEMO_FRAGMENT).get(1) as Y.XmlElement).get(0) as Y.XmlText;
  draft.insert("Draft.".length, " Typed meanwhile.");
  const typed = subtractRanges(rangesOf(Y.snapshot(stored).ds), rangesOf(before.ds));
  Y.applyUpdate(stored, restore);
  const deletedNow = subtractRanges(
    subtractRanges(rangesOf(Y.snapshot(stored).ds), rangesOf(before.ds)),
    rangesOf(Y.decodeUpdate(restore).ds),
  );
  return { stored, restore, typed, hidden: deletedNow };
}

describe("the memo without a restore", () => {
  it("shows the edits a restore hid, without the restore's own changes", () => {
    const { stored, restore, typed, hidden } = restoredOverAnEdit();
    expect(typed.size).toBe(0);
    expect(hidden.size).toBe(1);
    expect(textOf(stored)).toBe("Kept.\n\nRestored.");
    const without = snapshotWithoutRestore(stored, restore, hidden);
    expect(textOf(docAtVersion(stored, Y.encodeSnapshot(without)))).toBe("Kept.\n\nDraft. Typed meanwhile.");
    // Without the hidden items, it is the memo as the restore found it.
    expect(textOf(docAtVersion(stored, Y.encodeSnapshot(snapshotWithoutRestore(stored, restore, new Map()))))).toBe(
      "Kept.\n\nDraft.",
    );
  });

  it("a union of two snapshots shows what either shows", () => {
    const { stored, restore, hidden } = restoredOverAnEdit();
    const restored = Y.snapshot(stored);
    const union = snapshotUnion(snapshotWithoutRestore(stored, restore, hidden), restored);
    const text = textOf(docAtVersion(stored, Y.encodeSnapshot(union)));
    expect(text).toContain("Draft. Typed meanwhile.");
    expect(text).toContain("Restored.");
    expect(Y.equalSnapshots(snapshotUnion(restored, restored), restored)).toBe(true);
  });

  it("the version keeping hidden edits is the same computed in a document worker as on this thread", async () => {
    const { stored, restore, hidden } = restoredOverAnEdit();
    const input = {
      stored: { state: Buffer.from(Y.encodeStateAsUpdate(stored)).toString("base64"), log: null },
      restoreUpdate: restore,
      hidden,
      widening: Y.encodeSnapshot(Y.snapshot(stored)),
    };
    const here = hiddenEditsRecord(input);
    const pool = createWorkerPool(heavyWorkOptions(loadEnv()));
    try {
      const there = await pool.run<VersionRecord>("hiddenEditsVersion", input);
      expect(there.hash).toBe(here.hash);
      expect(Buffer.from(there.snapshot).equals(Buffer.from(here.snapshot))).toBe(true);
    } finally {
      await pool.close();
    }
    const shown = newMemoDoc();
    Y.applyUpdate(shown, Y.encodeStateAsUpdate(stored));
    const text = textOf(docAtVersion(shown, here.snapshot));
    expect(text).toContain("Draft. Typed meanwhile.");
    expect(text).toContain("Restored.");
  });
});
