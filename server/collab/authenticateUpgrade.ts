import type { IncomingMessage } from "node:http";
import type { Db } from "../db";
import { userIdFromCookieHeader } from "../accounts/sessionToken";
import type { CollabUser } from "./collabConnection";

/** The signed-in user of an upgrade request (from the next-auth session cookie), or null. */
export async function authenticateUpgrade(
  db: Db,
  req: IncomingMessage,
  sessionSecret: string,
  secureCookies: boolean,
): Promise<CollabUser | null> {
  const userId = await userIdFromCookieHeader(req.headers.cookie, sessionSecret, secureCookies);
  if (!userId) return null;
  // A valid token of a deleted account must not open anything.
  return db.user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true } });
}
