import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { ydocFromMemoJson } from "../../common/editor/memoDocument";
import { createMemo } from "../memos/memoCommands";
import { changeMemberRole, inviteToMemo, removeMember } from "../sharing/sharingCommands";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestUser, type TestUser } from "../testing/fixtures";
import { anchorContextOf } from "./anchorInDoc";
import { changeThread, createThread, deleteComment, editComment, replyToThread } from "./commentCommands";
import { listMentions, listThreads } from "./commentQueries";
import { anchorPassage, encodeAnchor } from "../../common/comments/passageAnchor";
import { findUniquePassage } from "../../common/comments/passageText";

// Every comment action as each kind of member, author-only edits, owner moderation, ids from
// another memo, mentions and the memos page's list of them. (Anonymous callers are refused before
// these functions run: e2e/commentPermissions.spec.ts checks the routes' 401.)

let database: TestDatabase;
type Caller = "nonMember" | "viewer" | "commenter" | "editor" | "owner";
const CALLERS: Caller[] = ["nonMember", "viewer", "commenter", "editor", "owner"];
const users = {} as Record<Caller, TestUser>;
let memoId: string;
let otherMemoId: string;

const doc: Y.Doc = ydocFromMemoJson({
  type: "doc",
  content: [{ type: "paragraph", content: [{ type: "text", text: "The minister will attend the summit." }] }],
});

function anchorFor(quote: string) {
  const context = anchorContextOf(doc);
  const passage = findUniquePassage(context.doc, quote)!;
  return encodeAnchor(anchorPassage(context, passage.from, passage.to));
}

const newThread = (body = "Is this confirmed?") => ({ anchor: anchorFor("minister"), quote: "minister", body });

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

async function matrix(run: (caller: Caller) => Promise<unknown>): Promise<Record<Caller, string>> {
  const result = {} as Record<Caller, string>;
  for (const caller of CALLERS) result[caller] = await outcome(() => run(caller));
  return result;
}

const writers = { nonMember: "not_found", viewer: "forbidden", commenter: "ok", editor: "ok", owner: "ok" };

beforeAll(async () => {
  database = await createTestDatabase();
  for (const caller of CALLERS) users[caller] = await createTestUser(database.prisma, `Matrix ${caller}`);
  memoId = await createMemo(database.prisma, { ownerId: users.owner.id, title: "Matrix memo" });
  for (const role of ["viewer", "commenter", "editor"] as const) {
    await inviteToMemo(database.prisma, users.owner.id, memoId, { email: users[role].email, role });
  }
  otherMemoId = await createMemo(database.prisma, { ownerId: users.owner.id, title: "Another memo" });
});
afterAll(async () => {
  await database.drop();
});

describe("comment permissions", () => {
  it("lets everyone with access read, and commenters and above open threads and reply", async () => {
    const db = database.prisma;
    expect(await matrix((caller) => listThreads(db, users[caller].id, memoId))).toEqual({ ...writers, viewer: "ok" });
    expect(await matrix((caller) => createThread(db, users[caller].id, memoId, newThread()))).toEqual(writers);
    const thread = await createThread(db, users.owner.id, memoId, newThread());
    expect(
      await matrix((caller) =>
        replyToThread(db, users[caller].id, memoId, thread.id, { body: `Reply from ${caller}` }),
      ),
    ).toEqual(writers);
    const replies = (await listThreads(db, users.viewer.id, memoId))
      .find((t) => t.id === thread.id)!
      .comments.map((c) => c.body);
    expect(replies).toEqual(["Is this confirmed?", "Reply from commenter", "Reply from editor", "Reply from owner"]);
  });

  it("lets commenters and above resolve, reopen and re-anchor, on their own threads too", async () => {
    const db = database.prisma;
    const thread = await createThread(db, users.commenter.id, memoId, newThread());
    expect(await matrix((caller) => changeThread(db, users[caller].id, memoId, thread.id, { resolved: true }))).toEqual(
      writers,
    );
    expect(
      await matrix((caller) => changeThread(db, users[caller].id, memoId, thread.id, { resolved: false })),
    ).toEqual(writers);
    const resolved = await changeThread(db, users.commenter.id, memoId, thread.id, { resolved: true });
    expect(resolved.resolvedBy).toEqual({ id: users.commenter.id, name: "Matrix commenter" });
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    const reanchor = { anchor: anchorFor("summit"), quote: "summit" };
    expect(await matrix((caller) => changeThread(db, users[caller].id, memoId, thread.id, reanchor))).toEqual(writers);
    expect((await listThreads(db, users.viewer.id, memoId)).find((t) => t.id === thread.id)?.quote).toBe("summit");
  });

  it("lets authors edit only their own comments, whoever else they are", async () => {
    const db = database.prisma;
    const own = await matrix(async (caller) => {
      const thread = await createThread(db, users.owner.id, memoId, newThread());
      const mine = await replyToThread(
        db,
        users[caller === "viewer" || caller === "nonMember" ? "owner" : caller].id,
        memoId,
        thread.id,
        { body: "Draft" },
      );
      return editComment(db, users[caller].id, memoId, thread.id, mine.comments[1].id, { body: "Edited" });
    });
    expect(own).toEqual({ ...writers, viewer: "forbidden" });
    const thread = await createThread(db, users.commenter.id, memoId, newThread("Commenter's words"));
    const theirs = thread.comments[0].id;
    expect(
      await matrix((caller) => editComment(db, users[caller].id, memoId, thread.id, theirs, { body: "Hijacked" })),
    ).toEqual({
      nonMember: "not_found",
      viewer: "forbidden",
      commenter: "ok",
      editor: "forbidden",
      owner: "forbidden",
    });
    const edited = (await listThreads(db, users.owner.id, memoId)).find((t) => t.id === thread.id)!.comments[0];
    expect(edited.body).toBe("Hijacked");
    expect(edited.editedAt).toBeInstanceOf(Date);
  });

  it("lets authors delete their own comments and the owner delete anyone's", async () => {
    const db = database.prisma;
    const result = {} as Record<Caller, string>;
    for (const caller of CALLERS) {
      // A fresh comment by the commenter for each caller to try.
      const thread = await createThread(db, users.editor.id, memoId, newThread());
      const target = (await replyToThread(db, users.commenter.id, memoId, thread.id, { body: "Delete me?" }))
        .comments[1].id;
      result[caller] = await outcome(() => deleteComment(db, users[caller].id, memoId, thread.id, target));
    }
    expect(result).toEqual({
      nonMember: "not_found",
      viewer: "forbidden",
      commenter: "ok",
      editor: "forbidden",
      owner: "ok",
    });
  });

  it("turns a first comment with replies into a tombstone, and drops a thread with no comment left", async () => {
    const db = database.prisma;
    const thread = await createThread(db, users.commenter.id, memoId, newThread("Opening words"));
    const reply = await replyToThread(db, users.editor.id, memoId, thread.id, { body: "A reply" });
    const afterFirst = await deleteComment(db, users.commenter.id, memoId, thread.id, thread.comments[0].id);
    expect(afterFirst?.comments.map((c) => ({ body: c.body, deleted: c.deleted }))).toEqual([
      { body: "", deleted: true },
      { body: "A reply", deleted: false },
    ]);
    expect(
      await outcome(() =>
        editComment(db, users.commenter.id, memoId, thread.id, thread.comments[0].id, { body: "Back" }),
      ),
    ).toBe("not_found");
    expect(await deleteComment(db, users.editor.id, memoId, thread.id, reply.comments[1].id)).toBeNull();
    expect((await listThreads(db, users.owner.id, memoId)).some((t) => t.id === thread.id)).toBe(false);
  });

  it("never lets a thread or comment id of another memo work through this memo's paths", async () => {
    const db = database.prisma;
    const elsewhere = await createThread(db, users.owner.id, otherMemoId, newThread("Elsewhere"));
    const here = await createThread(db, users.owner.id, memoId, newThread("Here"));
    const foreignComment = elsewhere.comments[0].id;
    const attempts = {
      reply: await outcome(() => replyToThread(db, users.owner.id, memoId, elsewhere.id, { body: "x" })),
      resolve: await outcome(() => changeThread(db, users.owner.id, memoId, elsewhere.id, { resolved: true })),
      editViaForeignThread: await outcome(() =>
        editComment(db, users.owner.id, memoId, elsewhere.id, foreignComment, { body: "x" }),
      ),
      editViaOwnThread: await outcome(() =>
        editComment(db, users.owner.id, memoId, here.id, foreignComment, { body: "x" }),
      ),
      deleteViaForeignThread: await outcome(() =>
        deleteComment(db, users.owner.id, memoId, elsewhere.id, foreignComment),
      ),
      deleteViaOwnThread: await outcome(() => deleteComment(db, users.owner.id, memoId, here.id, foreignComment)),
      notAnId: await outcome(() => replyToThread(db, users.owner.id, memoId, "../../etc", { body: "x" })),
    };
    expect(attempts).toEqual({
      reply: "not_found",
      resolve: "not_found",
      editViaForeignThread: "not_found",
      editViaOwnThread: "not_found",
      deleteViaForeignThread: "not_found",
      deleteViaOwnThread: "not_found",
      notAnId: "not_found",
    });
    const untouched = (await listThreads(db, users.owner.id, otherMemoId)).find((t) => t.id === elsewhere.id)!;
    expect(untouched.resolvedAt).toBeNull();
    expect(untouched.comments.map((c) => c.body)).toEqual(["Elsewhere"]);
  });

  it("refuses empty, oversized and malformed input", async () => {
    const db = database.prisma;
    const attempts = [
      { ...newThread(), body: "   " },
      { ...newThread(), body: "x".repeat(5_001) },
      { ...newThread(), anchor: { start: "not base64!", end: "AA==" } },
      { ...newThread(), anchor: { start: anchorFor("minister").start + "AAAA", end: anchorFor("minister").end } },
      { ...newThread(), quote: "" },
      { anchor: anchorFor("minister"), quote: "minister" },
      // PostgreSQL cannot store NUL: refused like in every other field (storableText).
      { ...newThread(), body: "Nul\u0000 is refused" },
    ];
    for (const input of attempts)
      expect(await outcome(() => createThread(db, users.owner.id, memoId, input))).toBe("invalid_input");
    const thread = await createThread(db, users.owner.id, memoId, {
      ...newThread(),
      body: "Bell\u0007 and escape\u001b are dropped\r\nkept line",
    });
    expect(thread.comments[0].body).toBe("Bell and escape are dropped\nkept line");
  });
});

describe("mentions", () => {
  it("records members mentioned by name, lists them for the mentioned, and forgets them when edited out", async () => {
    const db = database.prisma;
    const stranger = users.nonMember;
    const input = {
      ...newThread(`@Matrix editor and @Matrix viewer please check; @Matrix nonMember too`),
      mentions: [users.editor.id, users.viewer.id, stranger.id, users.commenter.id],
    };
    const thread = await createThread(db, users.owner.id, memoId, input);
    // Only members whose "@Name" is in the text: not the stranger, not the commenter (named nowhere).
    expect(thread.comments[0].mentions.map((m) => m.name).sort()).toEqual(["Matrix editor", "Matrix viewer"]);
    const forEditor = await listMentions(db, users.editor.id);
    expect(forEditor[0]).toMatchObject({
      threadId: thread.id,
      memoId,
      memoTitle: "Matrix memo",
      authorName: "Matrix owner",
      quote: "minister",
      resolved: false,
    });
    expect(await listMentions(db, stranger.id)).toEqual([]);

    await editComment(db, users.owner.id, memoId, thread.id, thread.comments[0].id, {
      body: "@Matrix viewer only now",
      mentions: [users.viewer.id, users.editor.id],
    });
    expect((await listMentions(db, users.editor.id)).some((m) => m.threadId === thread.id)).toBe(false);
    expect((await listMentions(db, users.viewer.id)).some((m) => m.threadId === thread.id)).toBe(true);
  });

  it("hides mentions in memos the person can no longer open", async () => {
    const db = database.prisma;
    const leaver = await createTestUser(db, "Leah Leaver");
    await inviteToMemo(db, users.owner.id, memoId, { email: leaver.email, role: "commenter" });
    const thread = await createThread(db, users.owner.id, memoId, {
      ...newThread("@Leah Leaver look"),
      mentions: [leaver.id],
    });
    expect((await listMentions(db, leaver.id)).map((m) => m.threadId)).toEqual([thread.id]);
    await changeMemberRole(db, users.owner.id, memoId, leaver.id, "viewer");
    expect((await listMentions(db, leaver.id)).map((m) => m.threadId)).toEqual([thread.id]);
    await removeMember(db, users.owner.id, memoId, leaver.id);
    expect(await listMentions(db, leaver.id)).toEqual([]);
  });
});
