import type * as Y from "yjs";
import { anchorContextOf } from "./anchorInDoc";
import { anchorPassage, resolveAnchor, type PassageAnchor } from "../../common/comments/passageAnchor";
import { findUniquePassage } from "../../common/comments/passageText";

/** A thread as re-anchoring reads it: its anchor, and the text it quoted. */
export type AnchoredThread = {
  id: string;
  anchorStart: Uint8Array<ArrayBuffer>;
  anchorEnd: Uint8Array<ArrayBuffer>;
  quote: string;
};

/** A thread to move to a new anchor, with the anchor it had (moved only if it still has it). */
export type AnchorMove = { thread: AnchoredThread; anchor: PassageAnchor };

/**
 * Where the "passage removed" threads among `threads` go in `ydoc`: each whose quoted text occurs
 * exactly once, with fresh relative positions into that text. Its cost grows with the memo (it
 * builds the ProseMirror document), so after a restore it runs in a document worker
 * (versionCommands.ts); the room's doc, already in memory, is passed by reanchorOrphanedComments.
 */
export function findAnchorMoves(ydoc: Y.Doc, threads: AnchoredThread[]): AnchorMove[] {
  if (threads.length === 0) return [];
  const context = anchorContextOf(ydoc);
  return threads.flatMap((thread) => {
    if (resolveAnchor(context, { start: thread.anchorStart, end: thread.anchorEnd }).status !== "removed") return [];
    const passage = findUniquePassage(context.doc, thread.quote);
    return passage ? [{ thread, anchor: anchorPassage(context, passage.from, passage.to) }] : [];
  });
}
