import { fromBase64 } from "lib0/buffer";
import * as Y from "yjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  connectTestClient,
  sessionCookie,
  waitFor,
  type TestClient,
  type TestCollabServer,
} from "../testing/collabHarness";
import { type TestUser } from "../testing/fixtures";
import type { TestDatabase } from "../testing/testDatabase";
import { collabTestbed } from "../testing/collabTestbed";
import { loadMemoDocument } from "../memos/memoStore";
import { MessageType, readCommentsChanged } from "../../common/protocol/protocol";
import type { JSONContent } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { createMemo } from "../memos/memoCommands";
import { inviteToMemo } from "../sharing/sharingCommands";
import { anchorContextOf, anchoredText } from "./anchorInDoc";
import { changeThread, createThread, deleteComment, editComment, replyToThread } from "./commentCommands";
import { listThreads } from "./commentQueries";
import { anchorPassage, encodeAnchor, resolveAnchor, type PassageAnchor } from "../../common/comments/passageAnchor";
import { findUniquePassage } from "../../common/comments/passageText";
import { reanchorOrphanedComments } from "./reanchorOrphanedComments";
import { restoreVersion, saveNamedVersion } from "../versions/versionCommands";

// Anchors against a real collaboration server and real y-websocket clients: several people edit
// around and inside a commented passage at once, and after every step the anchor stored in
// PostgreSQL is resolved against every replica (each client, the server's memo, and the memo as
// stored). Then the passage is deleted, re-inserted as new items (what restoring a version does)
// and re-anchored by reanchorOrphanedComments. Comment writes reach open clients within a second.

const bed = collabTestbed({ people: ["Olga Owner", "Eddie Editor", "Cleo Commenter", "Vera Viewer"] });
let database: TestDatabase;
let server: TestCollabServer;
let owner: TestUser;
let editor: TestUser;
let commenter: TestUser;
let viewer: TestUser;
beforeAll(() => {
  ({ database, server } = bed);
  [owner, editor, commenter, viewer] = bed.people;
});

async function sharedMemo(...paragraphs: string[]): Promise<string> {
  const body: JSONContent = {
    type: "doc",
    content: paragraphs.map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })),
  };
  const memoId = await createMemo(database.prisma, { ownerId: owner.id, title: "Anchors", body });
  for (const [user, role] of [
    [editor, "editor"],
    [commenter, "commenter"],
    [viewer, "viewer"],
  ] as const) {
    await inviteToMemo(database.prisma, owner.id, memoId, { email: user.email, role });
  }
  return memoId;
}

/** A connected client that records the CommentsChanged messages it receives. */
async function connect(
  memoId: string,
  user: TestUser,
): Promise<TestClient & { commentsChanged: { threadId: string; at: number }[] }> {
  const client = Object.assign(connectTestClient(server.url, memoId, await sessionCookie(user, server.secret)), {
    commentsChanged: [] as { threadId: string; at: number }[],
  });
  client.provider.messageHandlers[MessageType.CommentsChanged] = (_encoder, decoder) => {
    client.commentsChanged.push({ threadId: readCommentsChanged(decoder), at: performance.now() });
  };
  bed.track(client);
  await client.synced();
  return client;
}

const textOf = (doc: Y.Doc, block: number) =>
  (doc.getXmlFragment(MEMO_FRAGMENT).get(block) as Y.XmlElement).get(0) as Y.XmlText;
const offsetIn = (doc: Y.Doc, block: number, needle: string) => {
  const at = textOf(doc, block).toString().indexOf(needle);
  if (at === -1) throw new Error(`"${needle}" is not in block ${block}`);
  return at;
};
const blockWith = (doc: Y.Doc, needle: string) => {
  const blocks = doc.getXmlFragment(MEMO_FRAGMENT).length;
  for (let block = 0; block < blocks; block += 1) if (textOf(doc, block).toString().includes(needle)) return block;
  throw new Error(`"${needle}" is in no block`);
};
const paragraphOf = (text: string) => {
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  return paragraph;
};
const fragmentJson = (doc: Y.Doc) => JSON.stringify(doc.getXmlFragment(MEMO_FRAGMENT).toJSON());
const roomDoc = (memoId: string) => server.collab.registry.loadedRoom(memoId)!.doc;

async function converged(memoId: string, replicas: TestClient[]): Promise<Y.Doc[]> {
  const docs = [...replicas.map((client) => client.doc), roomDoc(memoId)];
  await waitFor(() => docs.every((doc) => fragmentJson(doc) === fragmentJson(docs[0])), 5_000, "replicas to converge");
  return docs;
}

/** Opens a thread on a passage, anchored on `client`'s replica, as the browser would. */
async function commentOn(memoId: string, author: TestUser, client: TestClient, quote: string): Promise<string> {
  const context = anchorContextOf(client.doc);
  const passage = findUniquePassage(context.doc, quote)!;
  const anchor = encodeAnchor(anchorPassage(context, passage.from, passage.to));
  return (await createThread(database.prisma, author.id, memoId, { anchor, quote, body: `About “${quote}”` })).id;
}

async function storedAnchor(memoId: string, threadId: string): Promise<PassageAnchor> {
  const thread = (await listThreads(database.prisma, owner.id, memoId)).find((t) => t.id === threadId)!;
  return {
    start: fromBase64(thread.anchor.start) as Uint8Array<ArrayBuffer>,
    end: fromBase64(thread.anchor.end) as Uint8Array<ArrayBuffer>,
  };
}

/** The text the thread's anchor covers on each replica (null: passage removed). */
async function anchoredEverywhere(
  memoId: string,
  threadId: string,
  replicas: TestClient[],
): Promise<(string | null)[]> {
  const docs = await converged(memoId, replicas);
  const anchor = await storedAnchor(memoId, threadId);
  return docs.map((doc) => anchoredText(doc, anchor));
}

const everywhere = (text: string | null, count: number) => Array.from({ length: count }, () => text);

describe("anchors under concurrent edits", () => {
  it("follow insertions before, inside and after the passage, concurrent ones too, and its deletion", async () => {
    const memoId = await sharedMemo(
      "The ambassador met the minister on Tuesday to discuss the accord.",
      "Next steps follow.",
    );
    const [a, b, c] = [await connect(memoId, owner), await connect(memoId, editor), await connect(memoId, editor)];
    const reviewer = await connect(memoId, commenter);
    const replicas = [a, b, c, reviewer];
    const threadId = await commentOn(memoId, commenter, reviewer, "the minister on Tuesday");
    const n = replicas.length + 1;
    expect(await anchoredEverywhere(memoId, threadId, replicas)).toEqual(everywhere("the minister on Tuesday", n));

    // Before the passage, in its block and in the block above it.
    b.typeAt(0, "Yesterday, ");
    expect(await anchoredEverywhere(memoId, threadId, replicas)).toEqual(everywhere("the minister on Tuesday", n));
    a.doc.getXmlFragment(MEMO_FRAGMENT).insert(0, [paragraphOf("A new opening paragraph.")]);
    expect(await anchoredEverywhere(memoId, threadId, replicas)).toEqual(everywhere("the minister on Tuesday", n));

    // Inside the passage.
    const block = 1;
    textOf(c.doc, block).insert(offsetIn(c.doc, block, " on Tuesday"), " and his deputy");
    expect(await anchoredEverywhere(memoId, threadId, replicas)).toEqual(
      everywhere("the minister and his deputy on Tuesday", n),
    );

    // Right at both edges: text typed there stays outside the passage.
    textOf(b.doc, block).insert(offsetIn(b.doc, block, "Tuesday") + "Tuesday".length, " morning");
    textOf(a.doc, block).insert(offsetIn(a.doc, block, "the minister"), "formally ");
    expect(await anchoredEverywhere(memoId, threadId, replicas)).toEqual(
      everywhere("the minister and his deputy on Tuesday", n),
    );

    // After the passage, and in the next block.
    textOf(c.doc, block).insert(textOf(c.doc, block).length, " Talks continue.");
    textOf(b.doc, block + 1).insert(0, "Then: ");
    expect(await anchoredEverywhere(memoId, threadId, replicas)).toEqual(
      everywhere("the minister and his deputy on Tuesday", n),
    );

    // Three people at once, without waiting for each other: before, inside and after.
    textOf(a.doc, block).insert(0, "Note: ");
    textOf(b.doc, block).insert(offsetIn(b.doc, block, " and his deputy"), ", visibly tired,");
    textOf(c.doc, block).insert(offsetIn(c.doc, block, " morning"), " (late)");
    expect(await anchoredEverywhere(memoId, threadId, replicas)).toEqual(
      everywhere("the minister, visibly tired, and his deputy on Tuesday", n),
    );

    // Part of the passage deleted: the rest stays anchored.
    textOf(c.doc, block).delete(offsetIn(c.doc, block, ", visibly tired,"), ", visibly tired,".length);
    expect(await anchoredEverywhere(memoId, threadId, replicas)).toEqual(
      everywhere("the minister and his deputy on Tuesday", n),
    );

    // The whole passage deleted while someone types elsewhere: removed everywhere, thread kept.
    const passage = "the minister and his deputy on Tuesday";
    textOf(b.doc, block).delete(offsetIn(b.doc, block, passage), passage.length);
    textOf(a.doc, block).insert(0, "Update. ");
    expect(await anchoredEverywhere(memoId, threadId, replicas)).toEqual(everywhere(null, n));
    const context = anchorContextOf(a.doc);
    expect(resolveAnchor(context, await storedAnchor(memoId, threadId))).toEqual({ status: "removed" });
    expect((await listThreads(database.prisma, owner.id, memoId)).map((t) => t.quote)).toEqual([
      "the minister on Tuesday",
    ]);
  });

  it("resolves the same against the memo as stored in PostgreSQL", async () => {
    const memoId = await sharedMemo("Sanctions relief is conditional on verification.");
    const a = await connect(memoId, owner);
    const threadId = await commentOn(memoId, owner, a, "conditional on verification");
    textOf(a.doc, 0).insert(0, "In short: ");
    textOf(a.doc, 0).insert(offsetIn(a.doc, 0, " on verification"), " and phased");
    await waitFor(() => a.isSaved(), 5_000, "edits stored");
    const stored = await loadMemoDocument(database.prisma, memoId);
    expect(anchoredText(stored!.doc, await storedAnchor(memoId, threadId))).toBe(
      "conditional and phased on verification",
    );
  });
});

describe("reanchorOrphanedComments", () => {
  it("brings back a deleted passage re-inserted as new items, and leaves ambiguous and anchored threads alone", async () => {
    const memoId = await sharedMemo(
      "We recommend the trade accord be signed.",
      "Both sides want it. Also a duplicate phrase here.",
      "Closing line stays.",
    );
    const [a, b] = [await connect(memoId, owner), await connect(memoId, editor)];
    const watcher = await connect(memoId, viewer);
    const replicas = [a, b, watcher];
    const restored = await commentOn(memoId, owner, a, "trade accord");
    const ambiguous = await commentOn(memoId, editor, b, "duplicate phrase");
    const untouched = await commentOn(memoId, owner, a, "Closing line");
    const untouchedBefore = await storedAnchor(memoId, untouched);

    // Delete the first block outright and the duplicate phrase in the second.
    a.doc.getXmlFragment(MEMO_FRAGMENT).delete(0, 1);
    const second = blockWith(b.doc, "duplicate phrase");
    textOf(b.doc, second).delete(offsetIn(b.doc, second, "duplicate phrase"), "duplicate phrase".length);
    expect(await anchoredEverywhere(memoId, restored, replicas)).toEqual(everywhere(null, 4));
    expect(await anchoredEverywhere(memoId, ambiguous, replicas)).toEqual(everywhere(null, 4));

    // A restore re-inserts the old text as new Yjs items: the old anchors cannot follow them.
    a.doc.getXmlFragment(MEMO_FRAGMENT).insert(0, [paragraphOf("We recommend the trade accord be signed.")]);
    const both = blockWith(b.doc, "Both sides");
    textOf(b.doc, both).insert(textOf(b.doc, both).length, " A duplicate phrase, and another duplicate phrase.");
    expect(await anchoredEverywhere(memoId, restored, replicas)).toEqual(everywhere(null, 4));

    const before = watcher.commentsChanged.length;
    const started = performance.now();
    expect(await reanchorOrphanedComments(database.prisma, memoId, roomDoc(memoId))).toEqual([restored]);
    expect(await anchoredEverywhere(memoId, restored, replicas)).toEqual(everywhere("trade accord", 4));
    expect(await anchoredEverywhere(memoId, ambiguous, replicas)).toEqual(everywhere(null, 4));
    expect(await storedAnchor(memoId, untouched)).toEqual(untouchedBefore);
    await waitFor(() => watcher.commentsChanged.length > before, 1_000, "clients told to refetch");
    expect(watcher.commentsChanged.at(-1)!.at - started).toBeLessThan(1_000);

    // The fresh anchor follows edits like any other, and a second call changes nothing.
    const accord = blockWith(b.doc, "trade accord");
    textOf(b.doc, accord).insert(offsetIn(b.doc, accord, " accord"), " and investment");
    expect(await anchoredEverywhere(memoId, restored, replicas)).toEqual(everywhere("trade and investment accord", 4));
    expect(await reanchorOrphanedComments(database.prisma, memoId, roomDoc(memoId))).toEqual([]);
  });
});

describe("restoring a version", () => {
  it("brings a thread whose passage was deleted back onto the restored passage, for every replica", async () => {
    const memoId = await sharedMemo("Islamabad asks for a trade accord before the summit.", "The rest stays.");
    const [a, watcher] = [await connect(memoId, owner), await connect(memoId, viewer)];
    const threadId = await commentOn(memoId, owner, a, "trade accord");
    const version = await saveNamedVersion(database.prisma, owner.id, memoId, { name: "Before the cut" });

    a.doc.getXmlFragment(MEMO_FRAGMENT).delete(0, 1);
    await waitFor(() => a.isSaved(), 5_000, "the cut stored");
    expect(await anchoredEverywhere(memoId, threadId, [a, watcher])).toEqual(everywhere(null, 3));

    await restoreVersion(database.prisma, owner.id, memoId, version.id);
    await waitFor(() => watcher.text().includes("trade accord"), 5_000, "the restore reaches the clients");
    expect(await anchoredEverywhere(memoId, threadId, [a, watcher])).toEqual(everywhere("trade accord", 3));
    const stored = await loadMemoDocument(database.prisma, memoId);
    expect(anchoredText(stored!.doc, await storedAnchor(memoId, threadId))).toBe("trade accord");
  });
});

describe("live comments", () => {
  it("tells every open client about each comment write within a second", async () => {
    const memoId = await sharedMemo("The envoy arrives on Monday.");
    const a = await connect(memoId, owner);
    const others = [await connect(memoId, commenter), await connect(memoId, viewer)];
    const db = database.prisma;
    let threadId = "";
    const writes: [string, () => Promise<unknown>][] = [
      ["create", async () => (threadId = await commentOn(memoId, commenter, others[0], "envoy"))],
      ["reply", () => replyToThread(db, owner.id, memoId, threadId, { body: "Confirmed." })],
      [
        "edit",
        async () => {
          const thread = (await listThreads(db, owner.id, memoId))[0];
          return editComment(db, owner.id, memoId, threadId, thread.comments[1].id, { body: "Confirmed by cable." });
        },
      ],
      ["resolve", () => changeThread(db, commenter.id, memoId, threadId, { resolved: true })],
      ["reopen", () => changeThread(db, commenter.id, memoId, threadId, { resolved: false })],
      [
        "delete",
        async () => {
          const thread = (await listThreads(db, owner.id, memoId))[0];
          return deleteComment(db, owner.id, memoId, threadId, thread.comments[1].id);
        },
      ],
    ];
    for (const [name, write] of writes) {
      const counts = [a, ...others].map((client) => client.commentsChanged.length);
      const started = performance.now();
      await write();
      await waitFor(
        () => [a, ...others].every((client, i) => client.commentsChanged.length > counts[i]),
        1_000,
        `${name} reaching every client`,
      );
      for (const client of [a, ...others]) {
        const message = client.commentsChanged.at(-1)!;
        expect(message.threadId).toBe(threadId);
        expect(message.at - started).toBeLessThan(1_000);
      }
    }
  });
});
