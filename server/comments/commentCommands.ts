import type { Db, PrismaClient } from "../db";
import { forbidden, isAppError, notFound } from "../errors";
import { isUuid } from "../ids";
import { authorizeMemoWrite, type AuthorizedMemo } from "../memos/memoAccess";
import { publishMemoEvent } from "../memos/memoEvents";
import { roleAllows } from "../../common/sharing/memoPermissions";
import { parseInput } from "../validation/parseInput";
import { commentInput, newThreadInput, threadChangeInput } from "./commentInput";
import { recordMentions, recordReply } from "../inbox/inboxRecords";
import { mentionedUserIds, setMentions } from "./commentMentions";
import { threadSelect, threadView, type ThreadView } from "./commentViews";

// Every comment write: one transaction that starts with authorizeMemoWrite (the commenter's access
// holds until it commits) and ends with a NOTIFY, so the collaboration server tells the memo's open
// clients once the change is committed. Input is checked after authorization: someone without
// access learns nothing, not even that their input was malformed.
// Thread and comment ids are always looked up within the memo of the path (no ids from elsewhere).

/**
 * Locks the thread until the write commits: writes on one thread run one at a time, so none acts
 * on a thread or comment that another has just removed (a reply to a thread whose last comment
 * is being deleted, two people deleting the same comment): the later one finds it gone and says
 * so, instead of failing on a foreign key or a missing row.
 */
async function lockThread(tx: Db, memoId: string, threadId: string): Promise<void> {
  const rows = isUuid(threadId)
    ? await tx.$queryRaw<
        { id: string }[]
      >`SELECT id::text FROM "CommentThread" WHERE id = ${threadId}::uuid AND "memoId" = ${memoId}::uuid FOR UPDATE`
    : [];
  if (rows.length === 0) throw notFound("Comment thread");
}

async function liveCommentOf(tx: Db, memoId: string, threadId: string, commentId: string) {
  const comment =
    isUuid(threadId) && isUuid(commentId)
      ? await tx.comment.findFirst({
          where: { id: commentId, threadId, deletedAt: null, thread: { memoId } },
          select: { id: true, authorId: true },
        })
      : null;
  if (!comment) throw notFound("Comment");
  return comment;
}

/**
 * Reads a thread after its write committed. Outside the transaction on purpose: Prisma reads a
 * thread's relations with parallel queries, which one transaction's connection would serialise.
 */
async function readThread(db: Db, threadId: string): Promise<ThreadView> {
  const row = await db.commentThread.findUnique({ where: { id: threadId }, select: threadSelect });
  // Deleted by someone else right after this write.
  if (!row) throw notFound("Comment thread");
  return threadView(row);
}

/** Authorizes and runs a write on a thread (locked), and announces it to open clients when it commits. */
function writeAndAnnounce<T>(
  db: PrismaClient,
  userId: string,
  memoId: string,
  threadId: string,
  run: (tx: Db, memo: AuthorizedMemo) => Promise<T>,
): Promise<T> {
  return db.$transaction(async (tx) => {
    const memo = await authorizeMemoWrite(tx, userId, memoId, "comment");
    await lockThread(tx, memoId, threadId);
    const result = await run(tx, memo);
    await publishMemoEvent(tx, { memoId, kind: "comments", threadId });
    return result;
  });
}

async function addComment(
  tx: Db,
  memo: AuthorizedMemo,
  threadId: string,
  authorId: string,
  input: { body: string; mentions: string[] },
) {
  const comment = await tx.comment.create({ data: { threadId, authorId, body: input.body }, select: { id: true } });
  const mentioned = await mentionedUserIds(tx, memo, authorId, input.body, input.mentions);
  await setMentions(tx, comment.id, mentioned);
  const change = { memoId: memo.id, actorId: authorId, commentId: comment.id };
  await recordMentions(tx, change, mentioned);
  await recordReply(tx, { ...change, threadId }, mentioned);
}

/** Opens a thread on a passage with its first comment: { anchor, quote, body, mentions }. */
export async function createThread(
  db: PrismaClient,
  userId: string,
  memoId: string,
  input: unknown,
): Promise<ThreadView> {
  const threadId = await db.$transaction(async (tx) => {
    const memo = await authorizeMemoWrite(tx, userId, memoId, "comment");
    const { anchor, quote, ...first } = parseInput(newThreadInput, input);
    const thread = await tx.commentThread.create({
      data: { memoId, anchorStart: anchor.start, anchorEnd: anchor.end, quote, createdById: userId },
      select: { id: true },
    });
    await addComment(tx, memo, thread.id, userId, first);
    await publishMemoEvent(tx, { memoId, kind: "comments", threadId: thread.id });
    return thread.id;
  });
  return readThread(db, threadId);
}

/** Adds a reply to a thread: { body, mentions }. */
export async function replyToThread(
  db: PrismaClient,
  userId: string,
  memoId: string,
  threadId: string,
  input: unknown,
): Promise<ThreadView> {
  await writeAndAnnounce(db, userId, memoId, threadId, async (tx, memo) => {
    const reply = parseInput(commentInput, input);
    await addComment(tx, memo, threadId, userId, reply);
  });
  return readThread(db, threadId);
}

/** Changes a thread: resolves or reopens it ({ resolved }), or anchors it to another passage ({ anchor, quote }). */
export async function changeThread(
  db: PrismaClient,
  userId: string,
  memoId: string,
  threadId: string,
  input: unknown,
): Promise<ThreadView> {
  await writeAndAnnounce(db, userId, memoId, threadId, async (tx) => {
    const change = parseInput(threadChangeInput, input);
    const data =
      "resolved" in change
        ? { resolvedAt: change.resolved ? new Date() : null, resolvedById: change.resolved ? userId : null }
        : { anchorStart: change.anchor.start, anchorEnd: change.anchor.end, quote: change.quote };
    await tx.commentThread.update({ where: { id: threadId }, data });
  });
  return readThread(db, threadId);
}

/** Edits one's own comment: { body, mentions }. */
export async function editComment(
  db: PrismaClient,
  userId: string,
  memoId: string,
  threadId: string,
  commentId: string,
  input: unknown,
): Promise<ThreadView> {
  await writeAndAnnounce(db, userId, memoId, threadId, async (tx, memo) => {
    const edit = parseInput(commentInput, input);
    const comment = await liveCommentOf(tx, memoId, threadId, commentId);
    if (comment.authorId !== userId) throw forbidden("You can only edit your own comments.");
    await tx.comment.update({ where: { id: commentId }, data: { body: edit.body, editedAt: new Date() } });
    const mentioned = await mentionedUserIds(tx, memo, userId, edit.body, edit.mentions);
    await setMentions(tx, commentId, mentioned);
    // Someone the edit mentions anew hears of it; someone already told is not told twice.
    await recordMentions(tx, { memoId, actorId: userId, commentId }, mentioned);
  });
  return readThread(db, threadId);
}

/**
 * Deletes a comment (its author, or the memo's owner). A thread's first comment with replies after
 * it becomes a tombstone so the replies keep their context; a thread with no comment left goes.
 * Returns the thread after the deletion, or null when it went.
 */
export async function deleteComment(
  db: PrismaClient,
  userId: string,
  memoId: string,
  threadId: string,
  commentId: string,
): Promise<ThreadView | null> {
  const threadLeft = await writeAndAnnounce(db, userId, memoId, threadId, async (tx, memo) => {
    const comment = await liveCommentOf(tx, memoId, threadId, commentId);
    if (comment.authorId !== userId && !roleAllows(memo.role, "deleteAnyComment")) {
      throw forbidden("Only the comment's author or the memo's owner can delete it.");
    }
    const first = await tx.comment.findFirst({
      where: { threadId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true },
    });
    const othersLeft = await tx.comment.count({ where: { threadId, deletedAt: null, id: { not: commentId } } });
    if (othersLeft === 0) {
      await tx.commentThread.deleteMany({ where: { id: threadId } });
      return false;
    }
    if (first?.id === commentId) {
      await tx.comment.update({ where: { id: commentId }, data: { deletedAt: new Date(), body: "" } });
      await setMentions(tx, commentId, []);
    } else {
      await tx.comment.delete({ where: { id: commentId } });
    }
    return true;
  });
  if (!threadLeft) return null;
  return readThread(db, threadId).catch((error: unknown) => {
    if (isAppError(error, "not_found")) return null;
    throw error;
  });
}
