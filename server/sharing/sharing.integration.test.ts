import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { signUp } from "../accounts/signUp";
import { authorizeMemo } from "../memos/memoAccess";
import { createMemo } from "../memos/memoCommands";
import { listMemos } from "../memos/memoQueries";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestUser, type TestUser, failureOf } from "../testing/fixtures";
import { changeMemberRole, inviteToMemo, removeMember, revokeInvite, transferOwnership } from "./sharingCommands";
import { memoAuditLog, memoSharing } from "./sharingQueries";

let database: TestDatabase;
let owner: TestUser;
let colleague: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createTestUser(database.prisma, "Olga Owner");
  colleague = await createTestUser(database.prisma, "Carl Colleague");
  stranger = await createTestUser(database.prisma, "Sam Stranger");
});
afterAll(async () => {
  await database.drop();
});

describe("sharing", () => {
  it("invites a registered colleague at once, shows the memo on their page with role and sharer", async () => {
    const memoId = await createMemo(database.prisma, { ownerId: owner.id, title: "Shared brief" });
    expect(
      await inviteToMemo(database.prisma, owner.id, memoId, {
        email: colleague.email.toUpperCase(),
        role: "commenter",
      }),
    ).toMatchObject({
      kind: "member",
    });
    expect((await authorizeMemo(database.prisma, colleague.id, memoId, "comment")).role).toBe("commenter");
    expect(
      isAppError(await failureOf(() => authorizeMemo(database.prisma, colleague.id, memoId, "edit")), "forbidden"),
    ).toBe(true);
    const listed = (await listMemos(database.prisma, colleague.id)).find((memo) => memo.id === memoId);
    expect(listed).toMatchObject({ title: "Shared brief", role: "commenter", sharedByName: "Olga Owner" });
    expect(
      isAppError(
        await failureOf(() =>
          inviteToMemo(database.prisma, owner.id, memoId, { email: colleague.email, role: "viewer" }),
        ),
        "conflict",
      ),
    ).toBe(true);
  });

  it("turns an invitation to an unregistered address into a membership at sign-up", async () => {
    const memoId = await createMemo(database.prisma, { ownerId: owner.id, title: "For the newcomer" });
    const result = await inviteToMemo(database.prisma, owner.id, memoId, {
      email: "newcomer@example.org",
      role: "editor",
    });
    expect(result.kind).toBe("pending");
    expect((await memoSharing(database.prisma, owner.id, memoId)).invites?.map((invite) => invite.email)).toEqual([
      "newcomer@example.org",
    ]);
    const newcomer = await signUp(database.prisma, {
      name: "Nia Newcomer",
      email: "Newcomer@example.org",
      password: "long enough password",
    });
    expect((await authorizeMemo(database.prisma, newcomer.id, memoId, "edit")).role).toBe("editor");
    expect((await memoSharing(database.prisma, owner.id, memoId)).invites).toEqual([]);
    const actions = (await memoAuditLog(database.prisma, owner.id, memoId)).map((entry) => entry.action);
    expect(actions).toEqual(["invite_accepted", "invited"]);
  });

  it("changes roles, removes members, lets members leave, revokes invitations, all audited", async () => {
    const memoId = await createMemo(database.prisma, { ownerId: owner.id, title: "Audited" });
    await inviteToMemo(database.prisma, owner.id, memoId, { email: colleague.email, role: "viewer" });
    await changeMemberRole(database.prisma, owner.id, memoId, colleague.id, "editor");
    const pending = await inviteToMemo(database.prisma, owner.id, memoId, {
      email: "later@example.org",
      role: "viewer",
    });
    if (pending.kind !== "pending") throw new Error("expected a pending invite");
    await revokeInvite(database.prisma, owner.id, memoId, pending.inviteId);
    await removeMember(database.prisma, owner.id, memoId, colleague.id);
    expect(
      isAppError(await failureOf(() => authorizeMemo(database.prisma, colleague.id, memoId, "open")), "not_found"),
    ).toBe(true);
    await inviteToMemo(database.prisma, owner.id, memoId, { email: colleague.email, role: "viewer" });
    await removeMember(database.prisma, colleague.id, memoId, colleague.id);

    const log = await memoAuditLog(database.prisma, owner.id, memoId);
    expect(log.map((entry) => [entry.action, entry.fromRole, entry.toRole])).toEqual([
      ["left", "viewer", null],
      ["invited", null, "viewer"],
      ["removed", "editor", null],
      ["invite_revoked", "viewer", null],
      ["invited", null, "viewer"],
      ["role_changed", "viewer", "editor"],
      ["invited", null, "viewer"],
    ]);
    expect(log[0]).toMatchObject({ actorName: "Carl Colleague", targetName: "Carl Colleague" });
    expect(log[3]).toMatchObject({ targetEmail: "later@example.org" });
  });

  it("transfers ownership; the previous owner stays as an editor", async () => {
    const memoId = await createMemo(database.prisma, { ownerId: owner.id, title: "Handover" });
    await inviteToMemo(database.prisma, owner.id, memoId, { email: colleague.email, role: "viewer" });
    await transferOwnership(database.prisma, owner.id, memoId, colleague.id);
    expect((await authorizeMemo(database.prisma, colleague.id, memoId, "delete")).role).toBe("owner");
    expect((await authorizeMemo(database.prisma, owner.id, memoId, "edit")).role).toBe("editor");
    expect(
      isAppError(await failureOf(() => authorizeMemo(database.prisma, owner.id, memoId, "manageSharing")), "forbidden"),
    ).toBe(true);
    expect((await memoAuditLog(database.prisma, colleague.id, memoId))[0]).toMatchObject({
      action: "ownership_transferred",
      toRole: "owner",
    });
  });

  it("only the owner manages sharing; strangers learn nothing", async () => {
    const memoId = await createMemo(database.prisma, { ownerId: owner.id, title: "Guarded" });
    await inviteToMemo(database.prisma, owner.id, memoId, { email: colleague.email, role: "editor" });
    const asEditor = [
      () => inviteToMemo(database.prisma, colleague.id, memoId, { email: stranger.email, role: "viewer" }),
      () => changeMemberRole(database.prisma, colleague.id, memoId, colleague.id, "viewer"),
      () => transferOwnership(database.prisma, colleague.id, memoId, colleague.id),
      () => memoAuditLog(database.prisma, colleague.id, memoId),
    ];
    for (const run of asEditor) expect(isAppError(await failureOf(run), "forbidden")).toBe(true);
    expect((await memoSharing(database.prisma, colleague.id, memoId)).invites).toBeNull();
    const asStranger = [
      () => inviteToMemo(database.prisma, stranger.id, memoId, { email: stranger.email, role: "editor" }),
      () => memoSharing(database.prisma, stranger.id, memoId),
      () => removeMember(database.prisma, stranger.id, memoId, colleague.id),
    ];
    for (const run of asStranger) expect(isAppError(await failureOf(run), "not_found")).toBe(true);
    expect(
      isAppError(
        await failureOf(() =>
          inviteToMemo(database.prisma, owner.id, memoId, { email: stranger.email, role: "owner" }),
        ),
        "invalid_input",
      ),
    ).toBe(true);
  });

  it("tells someone who may not share nothing about a malformed request either: it is refused as if well-formed", async () => {
    const memoId = await createMemo(database.prisma, { ownerId: owner.id, title: "Guarded too" });
    await inviteToMemo(database.prisma, owner.id, memoId, { email: colleague.email, role: "editor" });
    const codeOf = async (run: () => Promise<unknown>) => ((await failureOf(run)) as { code?: string }).code;
    const malformed = (actorId: string) => [
      () => inviteToMemo(database.prisma, actorId, memoId, { email: "not an email", role: "viewer" }),
      () => inviteToMemo(database.prisma, actorId, memoId, { email: stranger.email, role: "owner" }),
      () => inviteToMemo(database.prisma, actorId, memoId, { email: null, role: 7 }),
      () => changeMemberRole(database.prisma, actorId, memoId, colleague.id, "admin"),
      () => changeMemberRole(database.prisma, actorId, memoId, colleague.id, undefined),
      () => transferOwnership(database.prisma, actorId, memoId, 42),
      () => transferOwnership(database.prisma, actorId, memoId, undefined),
    ];
    for (const [actor, refusal] of [
      [stranger, "not_found"],
      [colleague, "forbidden"],
      [owner, "invalid_input"],
    ] as const) {
      for (const [index, run] of malformed(actor.id).entries())
        expect(await codeOf(run), `${actor.name}, request ${index}`).toBe(refusal);
    }
    expect((await memoSharing(database.prisma, owner.id, memoId)).people.map((person) => person.role)).toEqual([
      "owner",
      "editor",
    ]);
  });
});
