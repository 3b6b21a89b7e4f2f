import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { createThread } from "../comments/commentCommands";
import { changeMemberRole, inviteToMemo, removeMember, transferOwnership } from "../sharing/sharingCommands";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, testThreadInput, type TestUser } from "../testing/fixtures";
import { raceWithFirstPaused } from "../testing/lockWaits";
import { saveNamedVersion } from "../versions/versionCommands";
import { authorizeMemo, authorizeMemoWrite } from "./memoAccess";
import { renameMemo } from "./memoCommands";

// A write is authorized by the state of access that holds when it commits, not by the state a few
// milliseconds before it: a member removed (or demoted) while their action is in flight does not
// complete it, and two changes of access never act on the same stale picture. The races are made
// deterministic by pausing the sharing change's transaction on a table lock and asking PostgreSQL
// which sessions wait for a lock (raceWithFirstPaused).

let database: TestDatabase;
let owner: TestUser;
let colleague: TestUser;
let another: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createTestUser(database.prisma, "Olga Owner");
  colleague = await createTestUser(database.prisma, "Carl Colleague");
  another = await createTestUser(database.prisma, "Ana Another");
});
afterAll(async () => {
  await database.drop();
});

/**
 * Runs `change` (a sharing command) held just before it writes its audit event, starts `action`
 * once the change waits there, and lets the change finish once the action waits too. Without a
 * lock that orders them, the action would not wait, and would finish first.
 */
async function raceAgainstAccessChange(change: () => Promise<unknown>, action: () => Promise<unknown>) {
  const race = await raceWithFirstPaused(database.url, "MemoAuditEvent", change, action);
  return { changed: race.first, acted: race.second, actedFirst: race.secondFinishedFirst };
}

async function memoWithCommenter(role: "editor" | "commenter" = "commenter"): Promise<string> {
  const memoId = await createTestMemo(database.prisma, owner.id);
  await inviteToMemo(database.prisma, owner.id, memoId, { email: colleague.email, role });
  return memoId;
}

describe("writes racing a change of access", () => {
  it("a member removed while their comment is in flight does not leave the comment", async () => {
    const memoId = await memoWithCommenter();
    const result = await raceAgainstAccessChange(
      () => removeMember(database.prisma, owner.id, memoId, colleague.id),
      () => createThread(database.prisma, colleague.id, memoId, testThreadInput("Is this right?")),
    );
    expect(result.actedFirst).toBe(false);
    expect(result.changed).toBe("done");
    expect(isAppError(result.acted, "not_found")).toBe(true);
    expect(await database.prisma.commentThread.count({ where: { memoId } })).toBe(0);
  });

  it("an editor demoted to viewer while renaming does not rename", async () => {
    const memoId = await memoWithCommenter("editor");
    const result = await raceAgainstAccessChange(
      () => changeMemberRole(database.prisma, owner.id, memoId, colleague.id, "viewer"),
      () => renameMemo(database.prisma, colleague.id, memoId, "Renamed too late"),
    );
    expect(result.changed).toBe("done");
    expect(isAppError(result.acted, "forbidden")).toBe(true);
    expect((await database.prisma.memo.findUniqueOrThrow({ where: { id: memoId } })).title).toBe("Test memo");
  });

  it("an editor removed while saving a named version does not add it", async () => {
    const memoId = await memoWithCommenter("editor");
    const result = await raceAgainstAccessChange(
      () => removeMember(database.prisma, owner.id, memoId, colleague.id),
      () => saveNamedVersion(database.prisma, colleague.id, memoId, { name: "Sent to the ambassador" }),
    );
    expect(isAppError(result.acted, "not_found")).toBe(true);
    expect(await database.prisma.memoVersion.count({ where: { memoId, name: "Sent to the ambassador" } })).toBe(0);
  });

  it("an owner who hands the memo over cannot then act as its owner in a request already sent", async () => {
    const memoId = await memoWithCommenter("editor");
    await inviteToMemo(database.prisma, owner.id, memoId, { email: another.email, role: "viewer" });
    const result = await raceAgainstAccessChange(
      () => transferOwnership(database.prisma, owner.id, memoId, colleague.id),
      () => removeMember(database.prisma, owner.id, memoId, another.id),
    );
    expect(result.changed).toBe("done");
    expect(isAppError(result.acted, "forbidden")).toBe(true);
    expect((await authorizeMemo(database.prisma, another.id, memoId, "open")).role).toBe("viewer");
  });

  it("two transfers of ownership sent at once: the first happens, the second is refused, nothing half-done", async () => {
    const memoId = await memoWithCommenter("editor");
    await inviteToMemo(database.prisma, owner.id, memoId, { email: another.email, role: "editor" });
    const result = await raceAgainstAccessChange(
      () => transferOwnership(database.prisma, owner.id, memoId, colleague.id),
      () => transferOwnership(database.prisma, owner.id, memoId, another.id),
    );
    expect(result.changed).toBe("done");
    expect(isAppError(result.acted, "forbidden")).toBe(true);
    const memo = await database.prisma.memo.findUniqueOrThrow({ where: { id: memoId }, select: { ownerId: true } });
    expect(memo.ownerId).toBe(colleague.id);
    const members = await database.prisma.memoMember.findMany({
      where: { memoId },
      select: { userId: true, role: true },
      orderBy: { userId: "asc" },
    });
    expect(members).toEqual(
      [
        { userId: owner.id, role: "editor" },
        { userId: another.id, role: "editor" },
      ].sort((a, b) => (a.userId < b.userId ? -1 : 1)),
    );
  });
});

describe("authorizeMemoWrite", () => {
  it("refuses to run outside a transaction, where its lock would end before the write", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    await expect(authorizeMemoWrite(database.prisma, owner.id, memoId, "rename")).rejects.toThrow(
      "inside the write's transaction",
    );
  });
});
