import type { Db } from "../db";
import { authorizeMemo } from "./memoAccess";

/** A row of the memos page. */
export type MemoListItem = {
  id: string;
  title: string;
  lastEditedAt: Date;
  lastEditorName: string | null;
  createdAt: Date;
};

/** The user's memos, most recently edited first. */
export async function listMemos(db: Db, userId: string): Promise<MemoListItem[]> {
  const memos = await db.memo.findMany({
    where: { ownerId: userId },
    orderBy: [{ lastEditedAt: "desc" }, { createdAt: "desc" }],
    select: { id: true, title: true, lastEditedAt: true, createdAt: true, lastEditor: { select: { name: true } } },
  });
  return memos.map(({ lastEditor, ...memo }) => ({ ...memo, lastEditorName: lastEditor?.name ?? null }));
}

/** What the memo page needs to open the editor. */
export type MemoForEditor = { id: string; title: string; lastEditedAt: Date };

/** The memo for the editor page, if the user may open it (throws not_found or forbidden). */
export async function getMemoForEditor(db: Db, userId: string, memoId: string): Promise<MemoForEditor> {
  await authorizeMemo(db, userId, memoId, "open");
  return db.memo.findUniqueOrThrow({ where: { id: memoId }, select: { id: true, title: true, lastEditedAt: true } });
}
