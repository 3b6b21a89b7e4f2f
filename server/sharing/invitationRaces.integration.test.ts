import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "../accounts/signUp";
import { isAppError } from "../errors";
import { authorizeMemo } from "../memos/memoAccess";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, type TestUser } from "../testing/fixtures";
import { raceWithFirstPaused } from "../testing/lockWaits";
import { inviteToMemo, revokeInvite } from "./sharingCommands";

// An invitation to an address without an account waits for that person's sign-up. Sent while they
// sign up, it must still reach them; revoked while their sign-up accepts it, neither side may fail.
// Each race pauses one side inside its transaction (a table lock held by the helper) and asks
// PostgreSQL who waits.

let database: TestDatabase;
let owner: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createTestUser(database.prisma, "Olga Owner");
});
afterAll(async () => {
  await database.drop();
});

let addresses = 0;
const newcomer = () => ({
  name: "Nia Newcomer",
  email: `newcomer-${Date.now()}-${addresses++}@example.org`,
  password: "long enough password",
});

describe("invitations racing a sign-up", () => {
  it("an invitation sent while its invitee signs up becomes their membership, not a pending invite", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const account = newcomer();
    let userId = "";
    // The invitation is held after it found no account and wrote its pending invite.
    const race = await raceWithFirstPaused(
      database.url,
      "MemoAuditEvent",
      () => inviteToMemo(database.prisma, owner.id, memoId, { email: account.email, role: "editor" }),
      async () => {
        userId = (await signUp(database.prisma, account)).id;
      },
    );
    expect(race.secondFinishedFirst).toBe(false);
    expect(race.first).toBe("done");
    expect(race.second).toBe("done");
    expect((await authorizeMemo(database.prisma, userId, memoId, "edit")).role).toBe("editor");
    expect(await database.prisma.memoInvite.count({ where: { memoId } })).toBe(0);
  });

  it("an invitation revoked while the sign-up accepts it: the sign-up succeeds, the revocation finds nothing left", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const account = newcomer();
    const pending = await inviteToMemo(database.prisma, owner.id, memoId, { email: account.email, role: "viewer" });
    if (pending.kind !== "pending") throw new Error("expected a pending invite");
    let userId = "";
    // The sign-up is held where it records the acceptance in the audit log.
    const race = await raceWithFirstPaused(
      database.url,
      "MemoAuditEvent",
      async () => {
        userId = (await signUp(database.prisma, account)).id;
      },
      () => revokeInvite(database.prisma, owner.id, memoId, pending.inviteId),
    );
    expect(race.first).toBe("done");
    expect(isAppError(race.second, "not_found")).toBe(true);
    expect((await authorizeMemo(database.prisma, userId, memoId, "open")).role).toBe("viewer");
    expect(await database.prisma.memoInvite.count({ where: { memoId } })).toBe(0);
  });
});
