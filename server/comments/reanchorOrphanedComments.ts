import type * as Y from "yjs";
import type { Db, PrismaClient } from "../db";
import { publishMemoEvent } from "../memos/memoEvents";
import { findAnchorMoves, type AnchoredThread, type AnchorMove } from "./anchorMoves";

/** The memo's threads, as findAnchorMoves reads them. */
export function anchoredThreads(db: Db, memoId: string): Promise<AnchoredThread[]> {
  return db.commentThread.findMany({
    where: { memoId },
    select: { id: true, anchorStart: true, anchorEnd: true, quote: true },
  });
}

/**
 * Moves threads to the anchors findAnchorMoves found, each only if nobody re-anchored it
 * meanwhile; open clients are told to refetch. Returns the ids of the threads moved.
 */
export async function applyAnchorMoves(db: PrismaClient, memoId: string, moves: AnchorMove[]): Promise<string[]> {
  if (moves.length === 0) return [];
  return db.$transaction(async (tx) => {
    const moved: string[] = [];
    for (const { thread, anchor } of moves) {
      const { count } = await tx.commentThread.updateMany({
        where: {
          id: thread.id,
          memoId,
          anchorStart: { equals: thread.anchorStart },
          anchorEnd: { equals: thread.anchorEnd },
        },
        data: { anchorStart: anchor.start, anchorEnd: anchor.end },
      });
      if (count > 0) moved.push(thread.id);
    }
    if (moved.length > 0) await publishMemoEvent(tx, { memoId, kind: "comments" });
    return moved;
  });
}

/**
 * Re-anchors the memo's "passage removed" threads whose quoted text occurs exactly once in `ydoc`.
 * Restoring a version re-inserts old text as new Yjs items, which the old anchors cannot follow:
 * call this after the restore was applied, with a Y.Doc holding it. Returns the ids of the threads
 * re-anchored.
 */
export async function reanchorOrphanedComments(db: PrismaClient, memoId: string, ydoc: Y.Doc): Promise<string[]> {
  return applyAnchorMoves(db, memoId, findAnchorMoves(ydoc, await anchoredThreads(db, memoId)));
}
