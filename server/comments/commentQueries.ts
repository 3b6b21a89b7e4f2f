import type { Db } from "../db";
import { authorizeMemo } from "../memos/memoAccess";
import { threadSelect, threadView, type ThreadView } from "./commentViews";

/** The memo's comment threads, oldest first (anyone who may open the memo reads them). */
export async function listThreads(db: Db, userId: string, memoId: string): Promise<ThreadView[]> {
  await authorizeMemo(db, userId, memoId, "open");
  const rows = await db.commentThread.findMany({
    where: { memoId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: threadSelect,
  });
  return rows.map(threadView);
}

/** A comment that mentions the user, as the memos page lists it. */
export type MentionItem = {
  commentId: string;
  threadId: string;
  memoId: string;
  memoTitle: string;
  authorName: string | null;
  body: string;
  quote: string;
  resolved: boolean;
  createdAt: Date;
};

/** Comments that mention the user, newest first, in memos the user can still open. */
export async function listMentions(db: Db, userId: string, limit = 20): Promise<MentionItem[]> {
  const mentions = await db.commentMention.findMany({
    where: {
      userId,
      comment: { deletedAt: null, thread: { memo: { OR: [{ ownerId: userId }, { members: { some: { userId } } }] } } },
    },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      createdAt: true,
      comment: {
        select: {
          id: true,
          body: true,
          author: { select: { name: true } },
          thread: { select: { id: true, quote: true, resolvedAt: true, memo: { select: { id: true, title: true } } } },
        },
      },
    },
  });
  return mentions.map(({ createdAt, comment }) => ({
    commentId: comment.id,
    threadId: comment.thread.id,
    memoId: comment.thread.memo.id,
    memoTitle: comment.thread.memo.title,
    authorName: comment.author?.name ?? null,
    body: comment.body,
    quote: comment.thread.quote,
    resolved: comment.thread.resolvedAt !== null,
    createdAt,
  }));
}
