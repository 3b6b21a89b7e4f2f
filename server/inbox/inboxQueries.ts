import { z } from "zod";
import { UNREAD_COUNT_CAP } from "../../common/inbox/inboxLimits";
import { shorten } from "../../common/inbox/inboxWords";
import type { Db } from "../db";
import type { InboxKind } from "../generated/prisma/client";
import type { MemoRole } from "../memos/memoAccess";
import { parseInput } from "../validation/parseInput";
import { publishInboxChanged } from "./inboxRecords";

// Reading the inbox. An item shows only while its recipient can open its memo (a member removed
// from a memo stops seeing its items, and learns nothing new of it) and while its comment is not
// deleted: the filter is in the query, so a page of items is always full.

/** One item as the inbox page shows it (a link to the passage for comments, the memo otherwise). */
export type InboxItemView = {
  id: string;
  kind: InboxKind;
  memoId: string;
  memoTitle: string;
  actorName: string | null;
  createdAt: Date;
  read: boolean;
  href: string;
  role: MemoRole | null;
  restoredFrom: number | null;
  /** The comment of a mention or a reply: its text (shortened), its passage, and whether its thread is resolved. */
  comment: { body: string; quote: string; resolved: boolean } | null;
};

export const INBOX_PAGE_SIZE = 30;
const EXCERPT_CHARS = 280;

/** Where an item leads: its thread on its passage, or its memo. */
export const itemHref = (memoId: string, threadId: string | null) =>
  threadId ? `/memos/${memoId}?comment=${threadId}` : `/memos/${memoId}`;

const visibleTo = (userId: string) => ({
  userId,
  memo: { OR: [{ ownerId: userId }, { members: { some: { userId } } }] },
  OR: [{ commentId: null }, { comment: { deletedAt: null } }],
});

const excerpt = (text: string) => shorten(text, EXCERPT_CHARS);

/** Where a page ends: the last item's createdAt and id ("<ISO date>_<uuid>"), ties broken by id. */
const cursor = z
  .string()
  .max(80)
  .regex(/^[^_]+_[^_]+$/, "not a page cursor")
  .transform((value) => value.split("_") as [string, string])
  .pipe(z.tuple([z.iso.datetime(), z.uuid()]));
const cursorInput = z.object({ before: cursor.optional() }).strict();

const cursorOf = (item: { createdAt: Date; id: string }) => `${item.createdAt.toISOString()}_${item.id}`;

/** A page of the user's inbox, newest first; `before` (the `next` of the page before) continues it. */
export async function listInbox(
  db: Db,
  userId: string,
  input: unknown = {},
): Promise<{ items: InboxItemView[]; unread: number; next: string | null }> {
  const { before } = parseInput(cursorInput, input);
  const after = before && { at: new Date(before[0]), id: before[1] };
  const [rows, unread] = await Promise.all([
    db.inboxItem.findMany({
      where: {
        AND: [
          visibleTo(userId),
          after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {},
        ],
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: INBOX_PAGE_SIZE + 1,
      select: {
        id: true,
        kind: true,
        memoId: true,
        createdAt: true,
        readAt: true,
        role: true,
        restoredFrom: true,
        memo: { select: { title: true } },
        actor: { select: { name: true } },
        comment: { select: { body: true, thread: { select: { id: true, quote: true, resolvedAt: true } } } },
      },
    }),
    unreadCount(db, userId),
  ]);
  const items = rows.slice(0, INBOX_PAGE_SIZE).map((row): InboxItemView => ({
    id: row.id,
    kind: row.kind,
    memoId: row.memoId,
    memoTitle: row.memo.title,
    actorName: row.actor?.name ?? null,
    createdAt: row.createdAt,
    read: row.readAt !== null,
    href: itemHref(row.memoId, row.comment?.thread.id ?? null),
    role: row.role,
    restoredFrom: row.restoredFrom,
    comment: row.comment && {
      body: excerpt(row.comment.body),
      quote: excerpt(row.comment.thread.quote),
      resolved: row.comment.thread.resolvedAt !== null,
    },
  }));
  const last = rows.length > INBOX_PAGE_SIZE ? rows[INBOX_PAGE_SIZE - 1] : undefined;
  return { items, unread, next: last ? cursorOf(last) : null };
}

/** Unread items the user can see, counted up to UNREAD_COUNT_CAP + 1. */
export async function unreadCount(db: Db, userId: string): Promise<number> {
  const rows = await db.inboxItem.findMany({
    where: { ...visibleTo(userId), readAt: null },
    select: { id: true },
    take: UNREAD_COUNT_CAP + 1,
  });
  return rows.length;
}

const markReadInput = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(100) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

/** Marks items read: { ids } (the user's own; others' are ignored) or { all: true }. Returns the unread count after. */
export async function markInboxRead(db: Db, userId: string, input: unknown, now = new Date()): Promise<number> {
  const target = parseInput(markReadInput, input);
  const { count } = await db.inboxItem.updateMany({
    where: { userId, readAt: null, ...("ids" in target ? { id: { in: target.ids } } : {}) },
    data: { readAt: now },
  });
  // The person's other tabs update their count.
  if (count > 0) await publishInboxChanged(db, [userId]);
  return unreadCount(db, userId);
}
