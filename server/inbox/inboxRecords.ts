import type { Db, PrismaClient } from "../db";
import type { MemoRole } from "../memos/memoAccess";
import { publishMemoEvent } from "../memos/memoEvents";

// What puts an item in someone's inbox. Each is called inside the transaction of the change it
// reports (a comment, a share, a restore), so an item exists exactly when its change committed.
// Nobody is told of their own action, and only people who can open the memo are told.

/** Tells the open pages of `userIds` (on every instance) that their inbox changed, when the transaction commits. */
export async function publishInboxChanged(tx: Db, userIds: string[]): Promise<void> {
  const unique = [...new Set(userIds)];
  // In chunks, to keep each NOTIFY payload well under PostgreSQL's 8,000 bytes.
  for (let start = 0; start < unique.length; start += 100) {
    await publishMemoEvent(tx, { kind: "inbox", userIds: unique.slice(start, start + 100) });
  }
}

/** How many people one change may tell: a memo with more members tells the first ones. */
const MAX_RECIPIENTS = 500;

/** Who can open `memoId`: its owner and members. */
const canOpen = (memoId: string) => ({
  OR: [{ ownedMemos: { some: { id: memoId } } }, { memberships: { some: { memoId } } }],
});

/** People mentioned in a comment (already checked by mentionedUserIds); a comment tells each once. */
export async function recordMentions(
  tx: Db,
  change: { memoId: string; actorId: string; commentId: string },
  userIds: string[],
): Promise<void> {
  const recipients = userIds.filter((id) => id !== change.actorId).slice(0, MAX_RECIPIENTS);
  if (recipients.length === 0) return;
  await tx.inboxItem.createMany({
    data: recipients.map((userId) => ({ userId, kind: "mention" as const, ...change })),
    skipDuplicates: true,
  });
  await publishInboxChanged(tx, recipients);
}

/**
 * A reply: the thread's participants (who opened it or wrote in it) hear of it, except its author
 * and those it mentions (they hear of the mention instead).
 */
export async function recordReply(
  tx: Db,
  change: { memoId: string; actorId: string; commentId: string; threadId: string },
  mentioned: string[],
): Promise<void> {
  // From the thread's own rows (its index), then the people among them who can still open the memo.
  const [thread, authors] = await Promise.all([
    tx.commentThread.findUnique({ where: { id: change.threadId }, select: { createdById: true } }),
    tx.comment.findMany({
      where: { threadId: change.threadId, deletedAt: null, authorId: { not: null } },
      select: { authorId: true },
      distinct: ["authorId"],
      take: MAX_RECIPIENTS * 2,
    }),
  ]);
  const skip = new Set([change.actorId, ...mentioned]);
  const candidates = [
    ...new Set([thread?.createdById, ...authors.map((comment) => comment.authorId)].filter((id) => id != null)),
  ].filter((id) => !skip.has(id));
  if (candidates.length === 0) return;
  const participants = await tx.user.findMany({
    where: { id: { in: candidates }, ...canOpen(change.memoId) },
    select: { id: true },
    take: MAX_RECIPIENTS,
  });
  if (participants.length === 0) return;
  await tx.inboxItem.createMany({
    data: participants.map(({ id }) => ({
      userId: id,
      kind: "reply" as const,
      memoId: change.memoId,
      actorId: change.actorId,
      commentId: change.commentId,
    })),
    skipDuplicates: true,
  });
  await publishInboxChanged(
    tx,
    participants.map(({ id }) => id),
  );
}

/** A memo shared with someone who has an account (an invitation to them, or one accepted at sign-up). */
export async function recordShare(
  tx: Db,
  change: { memoId: string; actorId: string | null; userId: string; role: MemoRole },
): Promise<void> {
  if (change.actorId === change.userId) return;
  await tx.inboxItem.create({ data: { kind: "shared", ...change } });
  await publishInboxChanged(tx, [change.userId]);
}

/** Someone lost access to a memo: its items leave their inbox (they could no longer see them anyway). */
export async function forgetMemoItems(tx: Db, memoId: string, userId: string): Promise<void> {
  const { count } = await tx.inboxItem.deleteMany({ where: { memoId, userId } });
  if (count > 0) await publishInboxChanged(tx, [userId]);
}

/** A restore: everyone who can edit the memo (its owner and editors) but the person who restored it. */
export async function recordRestore(
  tx: Db,
  change: { memoId: string; actorId: string; restoredFrom: number },
): Promise<void> {
  const editors = await tx.user.findMany({
    where: {
      id: { not: change.actorId },
      OR: [
        { ownedMemos: { some: { id: change.memoId } } },
        { memberships: { some: { memoId: change.memoId, role: "editor" } } },
      ],
    },
    select: { id: true },
    take: MAX_RECIPIENTS,
  });
  if (editors.length === 0) return;
  await tx.inboxItem.createMany({
    data: editors.map(({ id }) => ({ userId: id, kind: "restored" as const, ...change })),
  });
  await publishInboxChanged(
    tx,
    editors.map(({ id }) => id),
  );
}

/**
 * Suggestions stored in a memo: its owner hears of each suggester, once until they read it (a
 * reviewer's hundred keystrokes are one item, not a hundred), unless the owner suggested.
 */
export async function recordSuggestions(
  db: PrismaClient,
  change: { memoId: string; actorIds: string[] },
): Promise<void> {
  const memo = await db.memo.findUnique({ where: { id: change.memoId }, select: { ownerId: true } });
  if (!memo) return;
  const actors = change.actorIds.filter((id) => id !== memo.ownerId);
  if (actors.length === 0) return;
  const unread = await db.inboxItem.findMany({
    where: { userId: memo.ownerId, kind: "suggestion", memoId: change.memoId, actorId: { in: actors }, readAt: null },
    select: { actorId: true },
  });
  const told = new Set(unread.map((item) => item.actorId));
  const fresh = actors.filter((id) => !told.has(id));
  if (fresh.length === 0) return;
  await db.$transaction(async (tx) => {
    await tx.inboxItem.createMany({
      data: fresh.map((actorId) => ({
        userId: memo.ownerId,
        kind: "suggestion" as const,
        memoId: change.memoId,
        actorId,
      })),
    });
    await publishInboxChanged(tx, [memo.ownerId]);
  });
}
