import type { Db } from "../db";
import { forbidden, notFound } from "../errors";
import { isUuid } from "../ids";
import { roleAllows, type MemoAction, type MemoRole } from "../sharing/memoPermissions";

// The one place that decides whether a user may do something with a memo. Every path that reads
// or writes a memo (pages, route handlers, the WebSocket, exports, history) calls authorizeMemo.
// Someone with no role in the memo learns nothing: the memo is "not found", exactly as if it did
// not exist. A member whose role does not allow the action is "forbidden".

export type { MemoAction, MemoRole } from "../sharing/memoPermissions";

/** The memo facts every caller needs after authorization, with the caller's role. */
export type AuthorizedMemo = { id: string; title: string; ownerId: string; role: MemoRole };

/** The user's role in a memo, or null when they have none (or the memo does not exist). */
export async function memoRoleOf(db: Db, userId: string, memoId: string): Promise<{ title: string; ownerId: string; role: MemoRole } | null> {
  if (!isUuid(memoId) || !isUuid(userId)) return null;
  const memo = await db.memo.findUnique({
    where: { id: memoId },
    select: { title: true, ownerId: true, members: { where: { userId }, select: { role: true } } },
  });
  if (!memo) return null;
  const role: MemoRole | undefined = memo.ownerId === userId ? "owner" : memo.members[0]?.role;
  return role ? { title: memo.title, ownerId: memo.ownerId, role } : null;
}

/** Returns the memo when `userId` may perform `action` on it; throws not_found or forbidden. */
export async function authorizeMemo(db: Db, userId: string, memoId: string, action: MemoAction): Promise<AuthorizedMemo> {
  const access = await memoRoleOf(db, userId, memoId);
  if (!access) throw notFound();
  if (!roleAllows(access.role, action)) throw forbidden(forbiddenMessage(action));
  return { id: memoId, ...access };
}

function forbiddenMessage(action: MemoAction): string {
  switch (action) {
    case "edit":
    case "rename":
    case "editMetadata":
      return "Your role in this memo does not allow editing it.";
    case "comment":
      return "Your role in this memo does not allow commenting.";
    case "delete":
      return "Only the memo's owner can delete it.";
    case "deleteAnyComment":
      return "Only the comment's author or the memo's owner can delete it.";
    case "manageSharing":
    case "viewAudit":
      return "Only the memo's owner can manage who has access.";
    default:
      return "Your role in this memo does not allow this.";
  }
}
