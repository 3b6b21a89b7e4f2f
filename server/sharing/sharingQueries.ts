import type { Db } from "../db";
import { authorizeMemo } from "../memos/memoAccess";
import { roleAllows, type MemoRole } from "../../common/sharing/memoPermissions";

/** A person with access to a memo. */
export type MemoPerson = {
  userId: string;
  name: string;
  email: string;
  role: MemoRole;
  invitedByName: string | null;
  since: Date;
};

/** Who has access to a memo, as the sharing panel shows it. Invitations are for the owner's eyes only. */
export type MemoSharing = {
  yourRole: MemoRole;
  people: MemoPerson[];
  invites: { id: string; email: string; role: MemoRole; invitedByName: string; createdAt: Date }[] | null;
};

/** The memo's owner and members (any member may see them) and, for the owner, pending invitations. */
export async function memoSharing(db: Db, userId: string, memoId: string): Promise<MemoSharing> {
  const memo = await authorizeMemo(db, userId, memoId, "viewSharing");
  const [owner, members] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: memo.ownerId }, select: { id: true, name: true, email: true } }),
    db.memoMember.findMany({
      where: { memoId },
      orderBy: { createdAt: "asc" },
      select: {
        role: true,
        createdAt: true,
        user: { select: { id: true, name: true, email: true } },
        invitedBy: { select: { name: true } },
      },
    }),
  ]);
  const ownerSince = await db.memo.findUniqueOrThrow({ where: { id: memoId }, select: { createdAt: true } });
  const people: MemoPerson[] = [
    {
      userId: owner.id,
      name: owner.name,
      email: owner.email,
      role: "owner",
      invitedByName: null,
      since: ownerSince.createdAt,
    },
    ...members.map((member) => ({
      userId: member.user.id,
      name: member.user.name,
      email: member.user.email,
      role: member.role,
      invitedByName: member.invitedBy?.name ?? null,
      since: member.createdAt,
    })),
  ];
  const invites = roleAllows(memo.role, "manageSharing")
    ? (
        await db.memoInvite.findMany({
          where: { memoId },
          orderBy: { createdAt: "asc" },
          select: { id: true, email: true, role: true, createdAt: true, invitedBy: { select: { name: true } } },
        })
      ).map(({ invitedBy, ...invite }) => ({ ...invite, invitedByName: invitedBy.name }))
    : null;
  return { yourRole: memo.role, people, invites };
}

/** One line of the sharing audit log. */
export type AuditEntry = {
  id: string;
  action: string;
  actorName: string | null;
  targetName: string | null;
  targetEmail: string | null;
  fromRole: MemoRole | null;
  toRole: MemoRole | null;
  createdAt: Date;
};

/** The memo's sharing history, newest first (owner only). */
export async function memoAuditLog(db: Db, userId: string, memoId: string, limit = 200): Promise<AuditEntry[]> {
  await authorizeMemo(db, userId, memoId, "viewAudit");
  const events = await db.memoAuditEvent.findMany({
    where: { memoId },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      id: true,
      action: true,
      targetEmail: true,
      fromRole: true,
      toRole: true,
      createdAt: true,
      actor: { select: { name: true } },
      targetUser: { select: { name: true, email: true } },
    },
  });
  return events.map((event) => ({
    id: event.id,
    action: event.action,
    actorName: event.actor?.name ?? null,
    targetName: event.targetUser?.name ?? null,
    targetEmail: event.targetEmail ?? event.targetUser?.email ?? null,
    fromRole: event.fromRole,
    toRole: event.toRole,
    createdAt: event.createdAt,
  }));
}
