import type { Db, PrismaClient } from "../db";
import { isUuid } from "../ids";
import { notFound } from "../errors";
import { publishMemoEvent } from "../memos/memoEvents";

// Server-side records of signed-in browsers. The session cookie is a next-auth JWT that names its
// record (`sid`); a cookie whose record is revoked, expired or gone signs nobody in, on pages, API
// routes and WebSocket upgrades alike, so signing out, "sign out everywhere" and a password reset
// end a copied cookie too. Ending sessions also closes their open WebSockets on every instance,
// through the memo-events NOTIFY channel ("sessionsEnded"), within a moment.

/** How long a session lasts without signing in again (next-auth's maxAge uses the same). */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** lastSeenAt is written at most this often per session, not on every request. */
const SEEN_EVERY_MS = 5 * 60 * 1000;
const USER_AGENT_CHARS = 200;

/** A session as its owner sees it on the "Signed-in devices" page. */
export type SessionSummary = { id: string; createdAt: string; lastSeenAt: string; userAgent: string; current: boolean };

/** Records a new session for `userId` (at sign-in); returns its id, for the cookie. */
export async function startSession(
  db: Db,
  userId: string,
  userAgent: string | undefined,
  now = new Date(),
): Promise<string> {
  // Ended sessions are kept a while (nobody lists them), then forgotten at the account's next sign-in.
  const forgetBefore = new Date(now.getTime() - SESSION_MAX_AGE_SECONDS * 1000);
  await db.userSession.deleteMany({
    where: { userId, OR: [{ expiresAt: { lt: now } }, { revokedAt: { lt: forgetBefore } }] },
  });
  const session = await db.userSession.create({
    data: {
      userId,
      userAgent: (userAgent ?? "").slice(0, USER_AGENT_CHARS),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
    },
    select: { id: true },
  });
  return session.id;
}

/** The user of a live session (not revoked, not expired); null otherwise. Notes that it was seen. */
export async function sessionUser(
  db: PrismaClient,
  userId: string,
  sessionId: string | undefined,
  now = new Date(),
): Promise<{ id: string; name: string; email: string } | null> {
  if (!sessionId || !isUuid(sessionId) || !isUuid(userId)) return null;
  const session = await db.userSession.findFirst({
    where: { id: sessionId, userId, revokedAt: null, expiresAt: { gt: now } },
    select: { lastSeenAt: true, user: { select: { id: true, name: true, email: true } } },
  });
  if (!session) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > SEEN_EVERY_MS) {
    await db.userSession.updateMany({ where: { id: sessionId }, data: { lastSeenAt: now } });
  }
  return session.user;
}

/** The user's live sessions, `currentId` first (marked), then the most recently seen. */
export async function listSessions(
  db: PrismaClient,
  userId: string,
  currentId: string | undefined,
  now = new Date(),
): Promise<SessionSummary[]> {
  const sessions = await db.userSession.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, createdAt: true, lastSeenAt: true, userAgent: true },
    take: 200,
  });
  return sessions
    .map((session) => ({
      id: session.id,
      createdAt: session.createdAt.toISOString(),
      lastSeenAt: session.lastSeenAt.toISOString(),
      userAgent: session.userAgent,
      current: session.id === currentId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** Of `sessionIds`, those still live (after missed notifications, open connections are checked against it). */
export async function liveSessionIds(db: Db, sessionIds: string[], now = new Date()): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const live = await db.userSession.findMany({
    where: { id: { in: sessionIds }, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true },
  });
  return new Set(live.map((session) => session.id));
}

/** Ends sessions of `userId` (`only` them, or all but `except`), and closes their WebSockets. Returns how many ended. */
async function endSessions(
  db: PrismaClient,
  userId: string,
  scope: { only?: string[]; except?: string },
  now: Date,
): Promise<number> {
  return db.$transaction((tx) => endSessionsIn(tx, userId, scope, now));
}

/** endSessions inside the caller's transaction: the sessions end, and every instance hears of it, at its commit. */
async function endSessionsIn(
  tx: Db,
  userId: string,
  scope: { only?: string[]; except?: string },
  now: Date,
): Promise<number> {
  const ended = await tx.userSession.findMany({
    where: {
      userId,
      revokedAt: null,
      ...(scope.only ? { id: { in: scope.only } } : {}),
      ...(scope.except ? { NOT: { id: scope.except } } : {}),
    },
    select: { id: true },
  });
  if (ended.length === 0) return 0;
  const ids = ended.map((session) => session.id);
  await tx.userSession.updateMany({ where: { id: { in: ids } }, data: { revokedAt: now } });
  // In chunks, to keep each NOTIFY payload well under PostgreSQL's 8,000 bytes.
  for (let start = 0; start < ids.length; start += 100) {
    await publishMemoEvent(tx, { kind: "sessionsEnded", userId, sessionIds: ids.slice(start, start + 100) });
  }
  return ids.length;
}

/** Ends one of the user's sessions (signing out, or from the devices page); not_found if it is not theirs. */
export async function endSession(db: PrismaClient, userId: string, sessionId: string, now = new Date()): Promise<void> {
  if (!isUuid(sessionId)) throw notFound("Session");
  const ended = await endSessions(db, userId, { only: [sessionId] }, now);
  if (ended === 0) throw notFound("Session");
}

/** Ends every session of the user but `keepId` ("Sign out everywhere else"). Returns how many ended. */
export const endOtherSessions = (db: PrismaClient, userId: string, keepId: string, now = new Date()) =>
  endSessions(db, userId, { except: keepId }, now);

/** Ends every session of the user when the caller's transaction commits (an account taken over by single sign-on). */
export const endAllSessionsIn = (tx: Db, userId: string, now = new Date()) => endSessionsIn(tx, userId, {}, now);

/** Ends every session of the user (a password reset, "sign out everywhere"). Returns how many ended. */
export const endAllSessions = (db: PrismaClient, userId: string, now = new Date()) => endSessions(db, userId, {}, now);
