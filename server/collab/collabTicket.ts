import crypto from "node:crypto";
import { z } from "zod";

// Short-lived tickets for opening a memo's WebSocket without the session cookie (API clients, or
// an app served from another origin than the collaboration endpoint). A ticket is bound to one
// user and one memo and expires after a minute. It names the session it was issued from, so that
// ending the session ends what it opened. It travels in the Sec-WebSocket-Protocol header
// ("demarche", "ticket.<token>"), never in the URL, so it never reaches access logs.

/** Subprotocol the server selects when a client offers it. */
export const COLLAB_SUBPROTOCOL = "demarche";
/** Prefix of the subprotocol entry that carries a ticket. */
export const TICKET_PROTOCOL_PREFIX = "ticket.";

export const TICKET_TTL_SECONDS = 60;

// `s`: the session the ticket was issued from, so that ending the session ends what it opened.
const payload = z.object({
  u: z.string().uuid(),
  m: z.string().uuid(),
  e: z.number().int(),
  s: z.string().uuid(),
});

function sign(secret: string, body: string): string {
  return crypto.createHmac("sha256", `collab-ticket:${secret}`).update(body).digest("base64url");
}

/** Issues a ticket for `userId`, signed in with `sessionId`, to open `memoId`. */
export function issueCollabTicket(
  secret: string,
  userId: string,
  sessionId: string,
  memoId: string,
  now = Date.now(),
): string {
  const body = Buffer.from(
    JSON.stringify({ u: userId, m: memoId, e: Math.floor(now / 1000) + TICKET_TTL_SECONDS, s: sessionId }),
  ).toString("base64url");
  return `${body}.${sign(secret, body)}`;
}

/** The user and memo of a valid ticket; null when it is malformed, forged or expired. */
export function verifyCollabTicket(
  secret: string,
  ticket: string,
  now = Date.now(),
): { userId: string; sessionId: string; memoId: string } | null {
  const [body, signature, extra] = ticket.split(".");
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
  try {
    const parsed = payload.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    if (!parsed.success || parsed.data.e * 1000 < now) return null;
    return { userId: parsed.data.u, memoId: parsed.data.m, sessionId: parsed.data.s };
  } catch {
    return null;
  }
}

/** The ticket offered in a Sec-WebSocket-Protocol header, if any. */
export function ticketFromProtocols(header: string | undefined): string | null {
  const entry = header
    ?.split(",")
    .map((part) => part.trim())
    .find((part) => part.startsWith(TICKET_PROTOCOL_PREFIX));
  return entry ? entry.slice(TICKET_PROTOCOL_PREFIX.length) : null;
}
