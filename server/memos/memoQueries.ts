import type { Db } from "../db";
import { authorizeMemo, type MemoRole } from "./memoAccess";

/** A row of the memos page. */
export type MemoListItem = {
  id: string;
  title: string;
  lastEditedAt: Date;
  lastEditorName: string | null;
  createdAt: Date;
  /** The user's role; "owner" for their own memos. */
  role: MemoRole;
  /** Who shared it with the user (null for their own memos). */
  sharedByName: string | null;
  /** The marking chosen in its details, if any. */
  marking: string | null;
  /** The owner, the last editor and who shared it, each once (the memos page filters by them). */
  people: string[];
};

/** The memos the user owns or was given access to, most recently edited first. */
export async function listMemos(db: Db, userId: string): Promise<MemoListItem[]> {
  const memos = await db.memo.findMany({
    where: { OR: [{ ownerId: userId }, { members: { some: { userId } } }] },
    orderBy: [{ lastEditedAt: "desc" }, { createdAt: "desc" }],
    select: {
      id: true,
      title: true,
      lastEditedAt: true,
      createdAt: true,
      ownerId: true,
      owner: { select: { name: true } },
      lastEditor: { select: { name: true } },
      members: { where: { userId }, select: { role: true, invitedBy: { select: { name: true } } } },
      metadata: { select: { marking: true } },
    },
  });
  return memos.map(({ lastEditor, owner, ownerId, members, metadata, ...memo }) => {
    const mine = ownerId === userId;
    const sharedByName = mine ? null : (members[0].invitedBy?.name ?? owner.name);
    const people = [owner.name, lastEditor?.name, sharedByName].filter((name): name is string => Boolean(name));
    return {
      ...memo,
      lastEditorName: lastEditor?.name ?? null,
      role: mine ? "owner" : members[0].role,
      sharedByName,
      marking: metadata?.marking ?? null,
      people: [...new Set(people)],
    };
  });
}

/** What the memo page needs to open the editor. */
export type MemoForEditor = { id: string; title: string; lastEditedAt: Date; role: MemoRole };

/** The memo for the editor page, if the user may open it (throws not_found). */
export async function getMemoForEditor(db: Db, userId: string, memoId: string): Promise<MemoForEditor> {
  const { role } = await authorizeMemo(db, userId, memoId, "open");
  const memo = await db.memo.findUniqueOrThrow({
    where: { id: memoId },
    select: { id: true, title: true, lastEditedAt: true },
  });
  return { ...memo, role };
}
