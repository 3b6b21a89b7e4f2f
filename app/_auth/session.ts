import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { db } from "@/server/db";
import { unauthenticated } from "@/server/errors";
import { sessionUser } from "@/server/accounts/userSessions";
import { authOptions } from "./authOptions";

/** The signed-in user as pages and routes see it, and the session they are signed in with. */
export type SessionUser = { id: string; name: string; email: string; sessionId: string };

/**
 * The signed-in user, or null. A cookie whose session ended (signed out, revoked, password reset)
 * or expired, or whose account was deleted, counts as signed out.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  const sessionId = session?.sessionId;
  if (!id || !sessionId) return null;
  const user = await sessionUser(db(), id, sessionId);
  return user && { ...user, sessionId };
}

/** For pages: the signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUserForPage(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** For route handlers: the signed-in user, or an unauthenticated error (401). */
export async function requireUserForRoute(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw unauthenticated();
  return user;
}
