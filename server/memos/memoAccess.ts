import type { Db } from "../db";
import { sqlOf, type SqlRunner } from "../database/sqlQuery";
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

// One statement for both runners (sqlQuery.ts): the collaboration server asks on every WebSocket
// it accepts, through its own connections; pages and routes ask through Prisma.
const MEMO_ROLE = `
  SELECT m.title, m."ownerId"::text AS "ownerId",
    CASE WHEN m."ownerId" = $1::uuid THEN 'owner'
      ELSE (SELECT member.role::text FROM "MemoMember" member WHERE member."memoId" = m.id AND member."userId" = $1::uuid)
    END AS role
  FROM "Memo" m WHERE m.id = $2::uuid`;

/** The user's role in a memo, or null when they have none (or the memo does not exist). */
export async function memoRoleOf(db: SqlRunner, userId: string, memoId: string): Promise<{ title: string; ownerId: string; role: MemoRole } | null> {
  if (!isUuid(memoId) || !isUuid(userId)) return null;
  const [memo] = await sqlOf(db)<{ title: string; ownerId: string; role: MemoRole | null }>(MEMO_ROLE, [userId, memoId], "memo-role");
  return memo?.role ? { title: memo.title, ownerId: memo.ownerId, role: memo.role } : null;
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
