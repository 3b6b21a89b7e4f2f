import type { Db } from "../db";
import { forbidden, notFound } from "../errors";
import { isUuid } from "../ids";

// The one place that decides who may do what with a memo. Every path that reads or writes a memo
// (pages, route handlers, the WebSocket, exports) calls authorizeMemo. For now only the owner may
// do anything; roles for colleagues build on this.

/** What a caller wants to do with a memo. "export" is meant for anyone who may open it once roles
 * exist (viewers may export); "editMetadata" for those who may edit. */
export type MemoAction = "open" | "edit" | "rename" | "delete" | "editMetadata" | "export";

/** The memo facts every caller needs after authorization. */
export type AuthorizedMemo = { id: string; title: string; ownerId: string };

/** Returns the memo when `userId` may perform `action` on it; throws not_found or forbidden. */
export async function authorizeMemo(db: Db, userId: string, memoId: string, action: MemoAction): Promise<AuthorizedMemo> {
  void action; // every action is the owner's until roles exist
  if (!isUuid(memoId)) throw notFound();
  const memo = await db.memo.findUnique({ where: { id: memoId }, select: { id: true, title: true, ownerId: true } });
  if (!memo) throw notFound();
  if (memo.ownerId !== userId) throw forbidden();
  return memo;
}
