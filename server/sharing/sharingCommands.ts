import { forgetMemoItems, recordShare } from "../inbox/inboxRecords";
import type { Db, PrismaClient } from "../db";
import { conflict, notFound } from "../errors";
import { isUuid } from "../ids";
import { authorizeMemoWrite } from "../memos/memoAccess";
import { parseInput } from "../validation/parseInput";
import { publishMemoEvent } from "../memos/memoEvents";
import { inviteInput, ownerChangeInput, roleChangeInput } from "./sharingInput";

// The owner's sharing actions. Each runs in one transaction with its audit event and an access
// event for open editors, so the log, the memberships and the live connections never disagree.
// Each starts by authorizing the actor while holding the memo's access alone (authorizeMemoWrite,
// "changeAccess"): writes in flight finish first, later ones see the change, and two changes sent
// at once (two transfers of ownership) run one after the other, the second judged by the first.
// Input is checked after that, as comments' is: someone who may not share learns nothing from it.

/**
 * Holds an email address for invitations until the transaction ends. An invitation decides between
 * a membership and a pending invite by whether an account has the address; a sign-up turns the
 * address's pending invites into memberships. Both take this lock first, so one of them always
 * sees the other: without it, an invitation sent while its invitee signs up could stay pending
 * for an account that already exists (invites are only accepted at sign-up).
 */
export async function lockInvitationsFor(tx: Db, email: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`invitations:${email}`}))`;
}

/** The result of an invitation: a member at once, or a pending invite for an address without an account. */
export type InviteResult = { kind: "member"; userId: string } | { kind: "pending"; inviteId: string };

/** Invites a colleague by email with a role. */
export async function inviteToMemo(
  db: PrismaClient,
  actorId: string,
  memoId: string,
  input: { email: unknown; role: unknown },
): Promise<InviteResult> {
  return db.$transaction(async (tx) => {
    const memo = await authorizeMemoWrite(tx, actorId, memoId, "manageSharing", "changeAccess");
    const { email, role } = parseInput(inviteInput, input);
    await lockInvitationsFor(tx, email);
    const invitee = await tx.user.findUnique({ where: { email }, select: { id: true } });
    if (invitee) {
      if (invitee.id === memo.ownerId) throw conflict("That is the memo's owner.");
      const existing = await tx.memoMember.findUnique({ where: { memoId_userId: { memoId, userId: invitee.id } } });
      if (existing) throw conflict("That colleague already has access. Change their role in the list instead.");
      await tx.memoMember.create({ data: { memoId, userId: invitee.id, role, invitedById: actorId } });
      await recordShare(tx, { memoId, actorId, userId: invitee.id, role });
      await tx.memoAuditEvent.create({
        data: { memoId, actorId, action: "invited", targetUserId: invitee.id, toRole: role },
      });
      await publishMemoEvent(tx, { memoId, kind: "changed" });
      return { kind: "member", userId: invitee.id };
    }
    const invite = await tx.memoInvite.upsert({
      where: { memoId_email: { memoId, email } },
      create: { memoId, email, role, invitedById: actorId },
      update: { role, invitedById: actorId },
    });
    await tx.memoAuditEvent.create({ data: { memoId, actorId, action: "invited", targetEmail: email, toRole: role } });
    return { kind: "pending", inviteId: invite.id };
  });
}

async function membershipOf(tx: Db, memoId: string, userId: string) {
  if (!isUuid(userId)) throw notFound("Member");
  const member = await tx.memoMember.findUnique({ where: { memoId_userId: { memoId, userId } } });
  if (!member) throw notFound("Member");
  return member;
}

/** Changes a member's role. */
export async function changeMemberRole(
  db: PrismaClient,
  actorId: string,
  memoId: string,
  userId: string,
  role: unknown,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await authorizeMemoWrite(tx, actorId, memoId, "manageSharing", "changeAccess");
    const newRole = parseInput(roleChangeInput, { role }).role;
    const member = await membershipOf(tx, memoId, userId);
    if (member.role === newRole) return;
    await tx.memoMember.update({ where: { memoId_userId: { memoId, userId } }, data: { role: newRole } });
    await tx.memoAuditEvent.create({
      data: { memoId, actorId, action: "role_changed", targetUserId: userId, fromRole: member.role, toRole: newRole },
    });
    await publishMemoEvent(tx, { memoId, kind: "changed" });
  });
}

/** Removes a member (the owner), or lets a member leave (themselves). */
export async function removeMember(db: PrismaClient, actorId: string, memoId: string, userId: string): Promise<void> {
  const leaving = actorId === userId;
  await db.$transaction(async (tx) => {
    await authorizeMemoWrite(tx, actorId, memoId, leaving ? "open" : "manageSharing", "changeAccess");
    const member = await membershipOf(tx, memoId, userId);
    await tx.memoMember.delete({ where: { memoId_userId: { memoId, userId } } });
    await forgetMemoItems(tx, memoId, userId);
    await tx.memoAuditEvent.create({
      data: { memoId, actorId, action: leaving ? "left" : "removed", targetUserId: userId, fromRole: member.role },
    });
    await publishMemoEvent(tx, { memoId, kind: "changed" });
  });
}

/** Cancels a pending invitation. */
export async function revokeInvite(db: PrismaClient, actorId: string, memoId: string, inviteId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await authorizeMemoWrite(tx, actorId, memoId, "manageSharing", "changeAccess");
    if (!isUuid(inviteId)) throw notFound("Invitation");
    const invite = await tx.memoInvite.findFirst({ where: { id: inviteId, memoId } });
    if (!invite) throw notFound("Invitation");
    // Accepted by a sign-up (or revoked) since it was read: nothing left to revoke.
    const { count } = await tx.memoInvite.deleteMany({ where: { id: inviteId } });
    if (count === 0) throw notFound("Invitation");
    await tx.memoAuditEvent.create({
      data: { memoId, actorId, action: "invite_revoked", targetEmail: invite.email, fromRole: invite.role },
    });
  });
}

/** Hands the memo to a member; the previous owner stays on as an editor. */
export async function transferOwnership(
  db: PrismaClient,
  actorId: string,
  memoId: string,
  userId: unknown,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await authorizeMemoWrite(tx, actorId, memoId, "manageSharing", "changeAccess");
    const newOwnerId = parseInput(ownerChangeInput, { userId }).userId;
    const member = await membershipOf(tx, memoId, newOwnerId);
    await tx.memoMember.delete({ where: { memoId_userId: { memoId, userId: newOwnerId } } });
    await tx.memo.update({ where: { id: memoId }, data: { ownerId: newOwnerId } });
    await tx.memoMember.create({ data: { memoId, userId: actorId, role: "editor", invitedById: newOwnerId } });
    await tx.memoAuditEvent.create({
      data: {
        memoId,
        actorId,
        action: "ownership_transferred",
        targetUserId: newOwnerId,
        fromRole: member.role,
        toRole: "owner",
      },
    });
    await publishMemoEvent(tx, { memoId, kind: "changed" });
  });
}

/**
 * Turns the pending invitations of a new account's email into memberships (called at sign-up,
 * after lockInvitationsFor). An invitation revoked while this runs is skipped: each is deleted
 * first, and only one that this deletion removed becomes a membership.
 */
export async function acceptPendingInvites(tx: Db, user: { id: string; email: string }): Promise<number> {
  const invites = await tx.memoInvite.findMany({ where: { email: user.email } });
  let accepted = 0;
  for (const invite of invites) {
    const { count } = await tx.memoInvite.deleteMany({ where: { id: invite.id } });
    if (count === 0) continue;
    await tx.memoMember.create({
      data: { memoId: invite.memoId, userId: user.id, role: invite.role, invitedById: invite.invitedById },
    });
    await recordShare(tx, { memoId: invite.memoId, actorId: invite.invitedById, userId: user.id, role: invite.role });
    await tx.memoAuditEvent.create({
      data: {
        memoId: invite.memoId,
        actorId: user.id,
        action: "invite_accepted",
        targetUserId: user.id,
        targetEmail: user.email,
        toRole: invite.role,
      },
    });
    accepted++;
  }
  return accepted;
}
