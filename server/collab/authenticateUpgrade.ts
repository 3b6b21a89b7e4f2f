import type { IncomingMessage } from "node:http";
import { sqlOf, type SqlRunner } from "../database/sqlQuery";
import { isUuid } from "../ids";
import { userIdFromCookieHeader } from "../accounts/sessionToken";
import type { CollabUser } from "./collabConnection";
import { ticketFromProtocols, verifyCollabTicket } from "./collabTicket";

/** Who is opening the WebSocket, and how they proved it. */
export type UpgradeAuth =
  | { kind: "session"; user: CollabUser }
  | { kind: "ticket"; user: CollabUser; memoId: string }
  | { kind: "unauthenticated"; reason: string };

/** The account behind a token; null when it was deleted (or the id is not one of ours). */
async function lookupUser(db: SqlRunner, id: string): Promise<CollabUser | null> {
  if (!isUuid(id)) return null;
  const [user] = await sqlOf(db)<CollabUser>(
    `SELECT id::text, name, email FROM "User" WHERE id = $1::uuid`,
    [id],
    "collab-user",
  );
  return user ?? null;
}

/**
 * Authenticates an upgrade from a ticket (Sec-WebSocket-Protocol) when one is offered, else from
 * the next-auth session cookie. A token of a deleted account authenticates nobody.
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
    const user = await lookupUser(db, claims.userId);
    return user
      ? { kind: "ticket", user, memoId: claims.memoId }
      : { kind: "unauthenticated", reason: "Unknown account." };
  }
  const userId = await userIdFromCookieHeader(req.headers.cookie, sessionSecret, secureCookies);
  const user = userId ? await lookupUser(db, userId) : null;
  return user ? { kind: "session", user } : { kind: "unauthenticated", reason: "Sign in to open this memo." };
}
