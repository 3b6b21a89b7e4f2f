import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { inviteToMemo } from "../sharing/sharingCommands";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, testThreadInput, type TestUser } from "../testing/fixtures";
import { raceWithFirstPaused } from "../testing/lockWaits";
import { createThread, deleteComment, replyToThread } from "./commentCommands";

// Two writes on one thread at the same moment: the later one must find what the earlier one
// removed gone and say so (404), not fail on a foreign key or a missing row (500). Each race pauses
// the first write inside its transaction where its deletion cascades to mentions (a table lock
// held by the helper), and asks PostgreSQL who waits.

let database: TestDatabase;
let owner: TestUser;
let colleague: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createTestUser(database.prisma, "Olga Owner");
  colleague = await createTestUser(database.prisma, "Carl Colleague");
});
afterAll(async () => {
  await database.drop();
});

async function memoWithThread() {
  const memoId = await createTestMemo(database.prisma, owner.id);
  await inviteToMemo(database.prisma, owner.id, memoId, { email: colleague.email, role: "commenter" });
  const thread = await createThread(database.prisma, colleague.id, memoId, testThreadInput("Is this right?"));
  return { memoId, thread };
}

describe("writes racing on one thread", () => {
  it("a reply sent while the thread's last comment is deleted is told the thread is gone", async () => {
    const { memoId, thread } = await memoWithThread();
    const race = await raceWithFirstPaused(
      database.url,
      "CommentMention",
      () => deleteComment(database.prisma, colleague.id, memoId, thread.id, thread.comments[0].id),
      () => replyToThread(database.prisma, owner.id, memoId, thread.id, { body: "Yes, it is.", mentions: [] }),
    );
    expect(race.first).toBe("done");
    expect(isAppError(race.second, "not_found")).toBe(true);
    expect(await database.prisma.commentThread.count({ where: { memoId } })).toBe(0);
  });

  it("two people deleting the same comment at once: one deletes it, the other is told it is gone", async () => {
    const { memoId, thread } = await memoWithThread();
    const reply = (
      await replyToThread(database.prisma, colleague.id, memoId, thread.id, { body: "Second thoughts.", mentions: [] })
    ).comments[1];
    const race = await raceWithFirstPaused(
      database.url,
      "CommentMention",
      () => deleteComment(database.prisma, owner.id, memoId, thread.id, reply.id),
      () => deleteComment(database.prisma, colleague.id, memoId, thread.id, reply.id),
    );
    expect(race.first).toBe("done");
    expect(isAppError(race.second, "not_found")).toBe(true);
    expect(await database.prisma.comment.count({ where: { threadId: thread.id } })).toBe(1);
  });
});
