import { parseCookie } from "cookie";
import { decode, encode } from "next-auth/jwt";
import { z } from "zod";

// next-auth keeps the session in an encrypted JWT cookie. The collaboration server reads the same
// cookie on the WebSocket upgrade, so a browser needs no extra token to open a memo.

/** Cookie name next-auth uses, which depends on whether the app is served over HTTPS. */
export function sessionCookieName(secure: boolean): string {
  return secure ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

const sessionClaims = z.object({ sub: z.string().uuid() });

const chunkIndex = (key: string, name: string) => (key === name ? -1 : Number(key.slice(name.length + 1)));

/** The user id in the session cookie of a `Cookie` header, or null when absent, expired or forged. */
export async function userIdFromCookieHeader(
  cookieHeader: string | undefined,
  secret: string,
  secure: boolean,
): Promise<string | null> {
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
    return claims.success ? claims.data.sub : null;
  } catch {
    return null;
  }
}

/** A session cookie value for a user, as next-auth would issue it (used by tests and tools). */
export function encodeSessionToken(
  user: { id: string; email: string; name: string },
  secret: string,
  maxAgeSeconds = 3600,
) {
  return encode({ token: { sub: user.id, email: user.email, name: user.name }, secret, maxAge: maxAgeSeconds });
}
