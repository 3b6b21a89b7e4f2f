import { fromBase64 } from "lib0/buffer";
import { beforeAll, describe, expect, it } from "vitest";
import { loadMemoDocument } from "../memos/memoStore";
import { anchorContextOf, anchoredText } from "../comments/anchorInDoc";
import { createThread } from "../comments/commentCommands";
import { listThreads } from "../comments/commentQueries";
import { anchorPassage, encodeAnchor } from "../../common/comments/passageAnchor";
import { findUniquePassage } from "../../common/comments/passageText";
import type { JSONContent } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { createMemo } from "../memos/memoCommands";
import { readStoredState, storedBytes } from "../memos/storedMemoState";
import { inviteToMemo } from "../sharing/sharingCommands";
import { waitFor, type TestClient } from "../testing/collabHarness";
import { type TestUser } from "../testing/fixtures";
import type { TestDatabase } from "../testing/testDatabase";
import { collabTestbed } from "../testing/collabTestbed";
import { heavyWork, INLINE_BELOW_BYTES } from "../workers/heavyWork";
import { restoreVersion, saveNamedVersion } from "./versionCommands";
import { compareVersions, listVersions } from "./versionQueries";

// Version history of a memo too large to decode on the event loop: every step that decodes it
// (recording a version, comparing two, restoring one and re-anchoring comments after) runs in the
// document workers, and gives what the small memos of versions.integration.test.ts get inline.

const bed = collabTestbed({ people: ["Olga Owner", "Eddie Editor"] });
let database: TestDatabase;
let owner: TestUser;
let editor: TestUser;
beforeAll(() => {
  ({ database } = bed);
  [owner, editor] = bed.people;
});

const connect = (memoId: string, user: TestUser): Promise<TestClient> => bed.connect(memoId, user);

const FILLER = "The delegation reviewed each clause of the draft with the embassy's legal adviser. ".repeat(10);
const paragraph = (text: string): JSONContent => ({ type: "paragraph", content: [{ type: "text", text }] });
/** Tasks the process's document workers have finished. */
const finishedInWorkers = () => heavyWork().stats().finished;

describe("a memo too large to decode on the event loop", () => {
  it("records, compares and restores its versions in the workers, with authors and comments kept", async () => {
    const body: JSONContent = {
      type: "doc",
      content: [
        paragraph("Islamabad asks for a trade accord before the summit."),
        ...Array.from({ length: 60 }, (_, i) => paragraph(`${i}. ${FILLER}`)),
      ],
    };
    const memoId = await createMemo(database.prisma, { ownerId: owner.id, title: "Large", body });
    await inviteToMemo(database.prisma, owner.id, memoId, { email: editor.email, role: "editor" });
    expect(storedBytes((await readStoredState(database.prisma, memoId))!)).toBeGreaterThan(INLINE_BELOW_BYTES);

    const [a, b] = [await connect(memoId, owner), await connect(memoId, editor)];
    const context = anchorContextOf(a.doc);
    const passage = findUniquePassage(context.doc, "trade accord")!;
    const anchor = encodeAnchor(anchorPassage(context, passage.from, passage.to));
    const thread = await createThread(database.prisma, owner.id, memoId, {
      anchor,
      quote: "trade accord",
      body: "Which accord?",
    });

    let finished = finishedInWorkers();
    const before = await saveNamedVersion(database.prisma, owner.id, memoId, { name: "Before the cut" });
    expect(finishedInWorkers()).toBe(finished + 1);

    a.doc.getXmlFragment(MEMO_FRAGMENT).delete(0, 1);
    b.appendParagraph("Eddie adds a closing paragraph.");
    await waitFor(() => a.isSaved() && b.isSaved() && a.text() === b.text(), 5_000, "both edits stored");
    const after = await saveNamedVersion(database.prisma, owner.id, memoId, { name: "After the cut" });

    finished = finishedInWorkers();
    const comparison = await compareVersions(database.prisma, owner.id, memoId, after.id, before.id);
    expect(finishedInWorkers()).toBe(finished + 1);
    expect([comparison.from.number, comparison.to.number]).toEqual([before.number, after.number]);
    expect(
      comparison.parts
        .filter((part) => part.kind === "removed")
        .map((part) => part.text)
        .join(""),
    ).toContain("trade accord");
    const added = comparison.parts.filter((part) => part.kind === "added");
    expect(added.find((part) => part.text.includes("Eddie adds"))?.authors).toEqual(["Eddie Editor"]);
    expect(comparison.sectionsChanged).toEqual(["Opening"]);

    finished = finishedInWorkers();
    const restored = await restoreVersion(database.prisma, editor.id, memoId, before.id);
    // The state before restoring, the restore's update with the comments' new anchors (one decoding), the restore's version.
    expect(finishedInWorkers()).toBe(finished + 3);
    // Nothing changed since "After the cut": that version is the one the restore replaces.
    expect(restored.savedCurrent).toBeNull();
    await waitFor(
      () => a.text().startsWith("Islamabad asks for a trade accord") && !a.text().includes("Eddie adds"),
      5_000,
      "the restore reaches the clients",
    );
    const history = (await listVersions(database.prisma, owner.id, memoId)).versions;
    expect(history[0]).toMatchObject({ kind: "restore", restoredFrom: before.number });

    const stored = await loadMemoDocument(database.prisma, memoId);
    const moved = (await listThreads(database.prisma, owner.id, memoId)).find((t) => t.id === thread.id)!;
    const storedAnchor = {
      start: fromBase64(moved.anchor.start) as Uint8Array<ArrayBuffer>,
      end: fromBase64(moved.anchor.end) as Uint8Array<ArrayBuffer>,
    };
    expect(anchoredText(stored!.doc, storedAnchor)).toBe("trade accord");
    stored!.doc.destroy();
  });
});
