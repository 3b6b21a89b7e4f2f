import type { IncomingMessage } from "node:http";
import { sqlOf, type SqlRunner } from "../database/sqlQuery";
import { isUuid } from "../ids";
import { sessionFromCookieHeader } from "../accounts/sessionToken";
import type { CollabUser } from "./collabConnection";
import { ticketFromProtocols, verifyCollabTicket } from "./collabTicket";

/** Who is opening the WebSocket, and how they proved it. */
export type UpgradeAuth =
  | { kind: "session"; user: CollabUser }
  | { kind: "ticket"; user: CollabUser; memoId: string }
  | { kind: "unauthenticated"; reason: string };

/** The account of a live session (not ended, not expired); null otherwise. */
async function lookupSessionUser(db: SqlRunner, userId: string, sessionId: string): Promise<CollabUser | null> {
  if (!isUuid(userId) || !isUuid(sessionId)) return null;
  const [user] = await sqlOf(db)<CollabUser>(
    `SELECT u.id::text, u.name, u.email, s.id::text AS "sessionId"
     FROM "UserSession" s JOIN "User" u ON u.id = s."userId"
     WHERE s.id = $1::uuid AND s."userId" = $2::uuid AND s."revokedAt" IS NULL AND s."expiresAt" > now() AT TIME ZONE 'UTC'`,
    [sessionId, userId],
    "collab-session-user",
  );
  return user ?? null;
}

/**
 * Authenticates an upgrade from a ticket (Sec-WebSocket-Protocol) when one is offered, else from
 * the next-auth session cookie. A token of a deleted account, or of a session that ended (signed
 * out, revoked, password reset) or expired, authenticates nobody.
 */
export async function authenticateUpgrade(
  db: SqlRunner,
  req: IncomingMessage,
  sessionSecret: string,
  secureCookies: boolean,
): Promise<UpgradeAuth> {
  const ticket = ticketFromProtocols(req.headers["sec-websocket-protocol"]);
  if (ticket !== null) {
    const claims = verifyCollabTicket(sessionSecret, ticket);
    if (!claims) return { kind: "unauthenticated", reason: "The ticket is missing, expired or invalid." };
    const user = await lookupSessionUser(db, claims.userId, claims.sessionId);
    return user
      ? { kind: "ticket", user, memoId: claims.memoId }
      : { kind: "unauthenticated", reason: "Unknown account." };
  }
  const session = await sessionFromCookieHeader(req.headers.cookie, sessionSecret, secureCookies);
  const user = session ? await lookupSessionUser(db, session.userId, session.sessionId) : null;
  return user ? { kind: "session", user } : { kind: "unauthenticated", reason: "Sign in to open this memo." };
}
