import type { Db, Transaction } from "../db";
import { sqlOf, type SqlRunner } from "../database/sqlQuery";
import { forbidden, notFound } from "../errors";
import { isUuid } from "../ids";
import { roleAllows, type MemoAction, type MemoRole } from "../../common/sharing/memoPermissions";

// The one place that decides whether a user may do something with a memo. Every path that reads
// a memo (pages, route handlers, the WebSocket, exports, history) calls authorizeMemo; every write
// calls authorizeMemoWrite at the start of its transaction.
// Someone with no role in the memo learns nothing: the memo is "not found", exactly as if it did
// not exist. A member whose role does not allow the action is "forbidden".

export type { MemoAction, MemoRole } from "../../common/sharing/memoPermissions";

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
export async function memoRoleOf(
  db: SqlRunner,
  userId: string,
  memoId: string,
): Promise<{ title: string; ownerId: string; role: MemoRole } | null> {
  if (!isUuid(memoId) || !isUuid(userId)) return null;
  const [memo] = await sqlOf(db)<{ title: string; ownerId: string; role: MemoRole | null }>(
    MEMO_ROLE,
    [userId, memoId],
    "memo-role",
  );
  return memo?.role ? { title: memo.title, ownerId: memo.ownerId, role: memo.role } : null;
}

/** Returns the memo when `userId` may perform `action` on it; throws not_found or forbidden. */
export async function authorizeMemo(
  db: Db,
  userId: string,
  memoId: string,
  action: MemoAction,
): Promise<AuthorizedMemo> {
  const access = await memoRoleOf(db, userId, memoId);
  if (!access) throw notFound();
  if (!roleAllows(access.role, action)) throw forbidden(forbiddenMessage(action));
  return { id: memoId, ...access };
}

/**
 * What a write holds on the memo's access until it commits (see authorizeMemoWrite): `write` for
 * a write on the memo (comments, versions, title, metadata), `changeAccess` for a change of who
 * may do what (sharing, ownership, deletion).
 */
export type AccessHold = "write" | "changeAccess";

/**
 * authorizeMemo inside a write's transaction, so that the write is judged by the access that
 * holds when it commits, not by the access of a moment before: a member removed or demoted while
 * their action is in flight does not complete it, and two changes of access (two transfers of
 * ownership sent at once) never act on the same stale picture. Writes take a per-memo advisory lock
 * shared with each other; changes of access take it alone, so a change waits for the writes in
 * flight and the next writes wait for the change. An advisory lock rather than a lock on the memo's
 * row, which the collaboration server updates with every batch it stores. The role is read after
 * the lock, by its own statement: in READ COMMITTED each statement sees what was committed when it
 * started, so the membership is read as the change that held the lock left it.
 */
export async function authorizeMemoWrite(
  tx: Transaction,
  userId: string,
  memoId: string,
  action: MemoAction,
  hold: AccessHold = "write",
): Promise<AuthorizedMemo> {
  // A Prisma client has every method of a transaction's client, so the type alone cannot tell;
  // outside a transaction the lock would be released before the write.
  if ("$transaction" in tx) throw new Error("authorizeMemoWrite must run inside the write's transaction");
  if (!isUuid(memoId)) throw notFound();
  const key = `memo-access:${memoId}`;
  if (hold === "write") await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtext(${key}))`;
  else await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
  return authorizeMemo(tx, userId, memoId, action);
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
