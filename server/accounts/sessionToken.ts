import { parseCookie } from "cookie";
import { decode, encode } from "next-auth/jwt";
import { z } from "zod";

// next-auth keeps the session in an encrypted JWT cookie. The collaboration server reads the same
// cookie on the WebSocket upgrade, so a browser needs no extra token to open a memo.

/** Cookie name next-auth uses, which depends on whether the app is served over HTTPS. */
export function sessionCookieName(secure: boolean): string {
  return secure ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

// `sid` names the session's record (userSessions.ts); a token without one (issued before sessions
// were recorded) signs nobody in.
const sessionClaims = z.object({ sub: z.string().uuid(), sid: z.string().uuid() });

/** Who a session cookie says is signed in, and in which session. */
export type SessionClaims = { userId: string; sessionId: string };

const chunkIndex = (key: string, name: string) => (key === name ? -1 : Number(key.slice(name.length + 1)));

/**
 * The user and session in the session cookie of a `Cookie` header, or null when absent, expired
 * or forged (whether the session is still live is the caller's to check: userSessions.ts).
 */
export async function sessionFromCookieHeader(
  cookieHeader: string | undefined,
  secret: string,
  secure: boolean,
): Promise<SessionClaims | null> {
  if (!cookieHeader) return null;
  const name = sessionCookieName(secure);
  const cookies = parseCookie(cookieHeader);
  // next-auth splits tokens over 4 KB into name.0, name.1, …
  const chunks = Object.keys(cookies)
    .filter((key) => key === name || key.startsWith(`${name}.`))
    .sort((a, b) => chunkIndex(a, name) - chunkIndex(b, name));
  const token = chunks.map((key) => cookies[key]).join("");
  if (!token) return null;
  try {
    const claims = sessionClaims.safeParse(await decode({ token, secret }));
    return claims.success ? { userId: claims.data.sub, sessionId: claims.data.sid } : null;
  } catch {
    return null;
  }
}

/** A session cookie value for a user's recorded session, as next-auth would issue it (used by tests and tools). */
export function encodeSessionToken(
  user: { id: string; email: string; name: string; sessionId: string },
  secret: string,
  maxAgeSeconds = 3600,
) {
  return encode({
    token: { sub: user.id, sid: user.sessionId, email: user.email, name: user.name },
    secret,
    maxAge: maxAgeSeconds,
  });
}
