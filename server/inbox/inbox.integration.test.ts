import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { signUp } from "../accounts/signUp";
import { createThread, deleteComment, editComment, replyToThread } from "../comments/commentCommands";
import { inviteToMemo, removeMember } from "../sharing/sharingCommands";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, failureOf, testThreadInput, type TestUser } from "../testing/fixtures";
import { INBOX_PAGE_SIZE, listInbox, markInboxRead, unreadCount } from "./inboxQueries";

// What reaches whose inbox, what it shows and to whom, and marking it read.

let database: TestDatabase;
let owner: TestUser;
let editor: TestUser;
let commenter: TestUser;
let memoId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  [owner, editor, commenter] = await Promise.all(
    ["Olga Owner", "Eddie Editor", "Cora Commenter"].map((name) => createTestUser(database.prisma, name)),
  );
  memoId = await createTestMemo(database.prisma, owner.id);
  await inviteToMemo(database.prisma, owner.id, memoId, { email: editor.email, role: "editor" });
  await inviteToMemo(database.prisma, owner.id, memoId, { email: commenter.email, role: "commenter" });
});
afterAll(() => database.drop());

const inboxOf = async (user: TestUser) => (await listInbox(database.prisma, user.id)).items;
const kindsOf = async (user: TestUser) => (await inboxOf(user)).map((item) => item.kind);

describe("the inbox", () => {
  it("tells people a memo was shared with them, by whom and with which role", async () => {
    const [item] = await inboxOf(editor);
    expect(item).toMatchObject({
      kind: "shared",
      memoId,
      actorName: "Olga Owner",
      role: "editor",
      read: false,
      href: `/memos/${memoId}`,
    });
    // An invitation to an address without an account arrives at sign-up.
    const email = `later-${Date.now()}@example.org`;
    await inviteToMemo(database.prisma, owner.id, memoId, { email, role: "viewer" });
    const later = await signUp(database.prisma, { name: "Lena Later", email, password: "a long password 123" });
    const [arrived] = (await listInbox(database.prisma, later.id)).items;
    expect(arrived).toMatchObject({ kind: "shared", actorName: "Olga Owner", role: "viewer" });
    expect(await kindsOf(owner)).toEqual([]);
  });

  it("tells the mentioned of a mention, and a thread's participants of a reply, never the author", async () => {
    const thread = await createThread(database.prisma, commenter.id, memoId, {
      ...testThreadInput("@Olga Owner can you check this?"),
      mentions: [owner.id],
    });
    const [mention] = await inboxOf(owner);
    expect(mention).toMatchObject({
      kind: "mention",
      actorName: "Cora Commenter",
      href: `/memos/${memoId}?comment=${thread.id}`,
      comment: { body: "@Olga Owner can you check this?", quote: "Opening", resolved: false },
    });
    expect(await kindsOf(commenter)).not.toContain("mention");

    // The owner replies: the commenter (who opened the thread) hears of it, the owner does not.
    await replyToThread(database.prisma, owner.id, memoId, thread.id, { body: "Checked.", mentions: [] });
    expect((await inboxOf(commenter))[0]).toMatchObject({ kind: "reply", actorName: "Olga Owner" });
    expect(await kindsOf(owner)).toEqual(["mention"]);
    // The editor replies mentioning the owner: the owner hears of the mention once, not also of the reply.
    await replyToThread(database.prisma, editor.id, memoId, thread.id, {
      body: "@Olga Owner agreed.",
      mentions: [owner.id],
    });
    expect(await kindsOf(owner)).toEqual(["mention", "mention"]);
    expect((await kindsOf(commenter)).slice(0, 2)).toEqual(["reply", "reply"]);
    // The editor, who only now wrote in the thread, heard of neither earlier reply.
    expect(await kindsOf(editor)).toEqual(["shared"]);
  });

  it("tells someone an edit mentions anew, once however often it is edited", async () => {
    const thread = await createThread(database.prisma, owner.id, memoId, testThreadInput("A first draft."));
    const commentId = thread.comments[0].id;
    const before = (await kindsOf(editor)).length;
    for (let i = 0; i < 3; i++) {
      await editComment(database.prisma, owner.id, memoId, thread.id, commentId, {
        body: `@Eddie Editor please look (${i}).`,
        mentions: [editor.id],
      });
    }
    expect((await kindsOf(editor)).length).toBe(before + 1);
  });

  it("shows nothing of a memo the person can no longer open, nor of a deleted comment", async () => {
    const outsider = await createTestUser(database.prisma, "Otto Outsider");
    const privateMemo = await createTestMemo(database.prisma, owner.id);
    await inviteToMemo(database.prisma, owner.id, privateMemo, { email: outsider.email, role: "commenter" });
    const thread = await createThread(database.prisma, owner.id, privateMemo, {
      ...testThreadInput("@Otto Outsider a secret remark."),
      mentions: [outsider.id],
    });
    expect(await kindsOf(outsider)).toEqual(["mention", "shared"]);
    expect(await unreadCount(database.prisma, outsider.id)).toBe(2);

    await deleteComment(database.prisma, owner.id, privateMemo, thread.id, thread.comments[0].id);
    expect(await kindsOf(outsider)).toEqual(["shared"]);
    await removeMember(database.prisma, owner.id, privateMemo, outsider.id);
    expect(await kindsOf(outsider)).toEqual([]);
    expect(await unreadCount(database.prisma, outsider.id)).toBe(0);
  });

  it("marks items read by id (only one's own) or all at once", async () => {
    const items = await inboxOf(commenter);
    expect(items.every((item) => !item.read)).toBe(true);
    expect(await markInboxRead(database.prisma, commenter.id, { ids: [items[0].id] })).toBe(items.length - 1);
    expect((await inboxOf(commenter))[0].read).toBe(true);
    // Someone else's ids change nothing.
    const ownerUnread = await unreadCount(database.prisma, owner.id);
    const ownerIds = (await inboxOf(owner)).map((item) => item.id);
    expect(await markInboxRead(database.prisma, commenter.id, { ids: ownerIds })).toBe(items.length - 1);
    expect(await unreadCount(database.prisma, owner.id)).toBe(ownerUnread);
    expect(await markInboxRead(database.prisma, commenter.id, { all: true })).toBe(0);
  });

  it("pages through a long inbox without losing or repeating items", async () => {
    const reader = await createTestUser(database.prisma, "Rhea Reader");
    const memos = [] as string[];
    for (let i = 0; i < INBOX_PAGE_SIZE + 5; i++) {
      const id = await createTestMemo(database.prisma, owner.id);
      await inviteToMemo(database.prisma, owner.id, id, { email: reader.email, role: "viewer" });
      memos.push(id);
    }
    const first = await listInbox(database.prisma, reader.id);
    expect(first.items).toHaveLength(INBOX_PAGE_SIZE);
    expect(first.unread).toBe(INBOX_PAGE_SIZE + 5);
    const second = await listInbox(database.prisma, reader.id, { before: first.next });
    expect(second.next).toBeNull();
    const seen = [...first.items, ...second.items].map((item) => item.memoId);
    expect(new Set(seen).size).toBe(memos.length);
    expect(seen.sort()).toEqual([...memos].sort());
  });

  it("refuses malformed input with invalid_input", async () => {
    for (const input of [
      { ids: [] },
      { ids: ["not-a-uuid"] },
      { ids: Array(101).fill(owner.id) },
      { all: false },
      {},
      [],
    ]) {
      const error = await failureOf(() => markInboxRead(database.prisma, owner.id, input));
      expect(isAppError(error, "invalid_input"), JSON.stringify(input).slice(0, 40)).toBe(true);
    }
    for (const before of ["yesterday", "2026-01-01T00:00:00.000Z", `2026-01-01T00:00:00.000Z_x`, "_".repeat(90)]) {
      const error = await failureOf(() => listInbox(database.prisma, owner.id, { before }));
      expect(isAppError(error, "invalid_input"), before).toBe(true);
    }
  });
});
