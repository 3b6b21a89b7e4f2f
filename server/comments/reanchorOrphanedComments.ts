import type * as Y from "yjs";
import type { PrismaClient } from "../db";
import { publishAccessEvent } from "../sharing/accessEvents";
import { anchorContextOf } from "./anchorInDoc";
import { anchorPassage, resolveAnchor } from "./passageAnchor";
import { findUniquePassage } from "./passageText";

/**
 * Re-anchors the memo's "passage removed" threads whose quoted text occurs exactly once in `ydoc`,
 * with fresh relative positions into that text. Restoring a version re-inserts old text as new
 * Yjs items, which the old anchors cannot follow: call this after the restore was applied, with
 * the memo's Y.Doc holding it (the live room's doc, or one loaded from storage after the restore
 * was stored). Open clients are told to refetch. Returns the ids of the threads re-anchored.
 */
export async function reanchorOrphanedComments(db: PrismaClient, memoId: string, ydoc: Y.Doc): Promise<string[]> {
  const threads = await db.commentThread.findMany({ where: { memoId }, select: { id: true, anchorStart: true, anchorEnd: true, quote: true } });
  const context = anchorContextOf(ydoc);
  const moves = threads.flatMap((thread) => {
    if (resolveAnchor(context, { start: thread.anchorStart, end: thread.anchorEnd }).status !== "removed") return [];
    const passage = findUniquePassage(context.doc, thread.quote);
    return passage ? [{ thread, anchor: anchorPassage(context, passage.from, passage.to) }] : [];
  });
  if (moves.length === 0) return [];
  return db.$transaction(async (tx) => {
    const moved: string[] = [];
    for (const { thread, anchor } of moves) {
      // Only if nobody re-anchored it meanwhile.
      const { count } = await tx.commentThread.updateMany({
        where: { id: thread.id, memoId, anchorStart: { equals: thread.anchorStart }, anchorEnd: { equals: thread.anchorEnd } },
        data: { anchorStart: anchor.start, anchorEnd: anchor.end },
      });
      if (count > 0) moved.push(thread.id);
    }
    if (moved.length > 0) await publishAccessEvent(tx, { memoId, kind: "comments" });
    return moved;
  });
}
