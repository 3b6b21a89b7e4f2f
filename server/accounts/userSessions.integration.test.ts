import { describe, expect, it } from "vitest";
import { CloseCode } from "../../common/protocol/protocol";
import { WebSocket } from "ws";
import { COLLAB_SUBPROTOCOL, issueCollabTicket, TICKET_PROTOCOL_PREFIX } from "../collab/collabTicket";
import { isAppError } from "../errors";
import { collabTestbed } from "../testing/collabTestbed";
import {
  connectTestClient,
  openRawSocket,
  sessionCookie,
  startTestCollabServer,
  waitFor,
} from "../testing/collabHarness";
import { createTestMemo, failureOf, type TestUser } from "../testing/fixtures";
import { issuePasswordReset, resetPassword } from "./passwordReset";
import { endAllSessions, endOtherSessions, endSession, listSessions, sessionUser, startSession } from "./userSessions";

// Sessions against a real database and real collaboration servers: a session that ends (signing
// out, "sign out everywhere else", a password reset) stops its cookie and its tickets working,
// and closes what it has open on every instance within seconds; the account's other sessions
// carry on.

const bed = collabTestbed({ people: ["Olga Owner", "Stella Stranger"] });

/** A second signed-in browser of `user`. */
async function anotherSession(user: TestUser, userAgent = "Mozilla/5.0 (Macintosh) Firefox/140.0"): Promise<TestUser> {
  return { ...user, sessionId: await startSession(bed.database.prisma, user.id, userAgent) };
}

/** A raw WebSocket's close code, once it closes. */
const closeCode = (socket: WebSocket) =>
  new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));

describe("sessions", () => {
  it("an ended session signs nobody in, and its open memos close within 5 s on every instance; other sessions stay", async () => {
    const [owner] = bed.people;
    const db = bed.database.prisma;
    const laptop = await anotherSession(owner);
    const memoId = await createTestMemo(db, owner.id);
    const second = await startTestCollabServer(db, bed.database.url, { secret: bed.server.secret });
    try {
      const here = await openRawSocket(bed.server.url, memoId, await sessionCookie(laptop, bed.server.secret));
      const there = await openRawSocket(second.url, memoId, await sessionCookie(laptop, bed.server.secret));
      const desk = await bed.connect(memoId, owner);
      const closedHere = closeCode(here);
      const closedThere = closeCode(there);
      const ended = performance.now();
      await endSession(db, owner.id, laptop.sessionId);
      expect(await closedHere).toBe(CloseCode.Unauthorized);
      expect(await closedThere).toBe(CloseCode.Unauthorized);
      expect(performance.now() - ended).toBeLessThan(5_000);
      // The ended session's cookie and tickets open nothing any more.
      await expect(
        openRawSocket(bed.server.url, memoId, await sessionCookie(laptop, bed.server.secret)),
      ).rejects.toMatchObject({ status: 401 });
      expect(await sessionUser(db, owner.id, laptop.sessionId)).toBeNull();
      // The desk's session carries on, and can still type.
      desk.appendParagraph("Still here.");
      await waitFor(() => desk.isSaved(), 5_000, "the other session's edit stored");
      expect(desk.provider.wsconnected).toBe(true);
      expect(await sessionUser(db, owner.id, owner.sessionId)).toMatchObject({ id: owner.id });
    } finally {
      await second.stop();
    }
  });

  it("a session that ended while the server heard nothing closes its memos once the server listens again", async () => {
    const [owner] = bed.people;
    const db = bed.database.prisma;
    const kiosk = await anotherSession(owner);
    const memoId = await createTestMemo(db, owner.id);
    const socket = await openRawSocket(bed.server.url, memoId, await sessionCookie(kiosk, bed.server.secret));
    const closed = closeCode(socket);
    // Ended without a notification (as if it were sent while the listener was down)…
    await db.userSession.update({ where: { id: kiosk.sessionId }, data: { revokedAt: new Date() } });
    // …and the listener's connection drops: once back, the server checks every open session.
    await db.$executeRaw`
      SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`;
    expect(await closed).toBe(CloseCode.Unauthorized);
  });

  it("a ticket issued from a session stops working when the session ends", async () => {
    const [owner] = bed.people;
    const db = bed.database.prisma;
    const phone = await anotherSession(owner, "Mozilla/5.0 (iPhone) Safari/605.1");
    const memoId = await createTestMemo(db, owner.id);
    const ticket = issueCollabTicket(bed.server.secret, owner.id, phone.sessionId, memoId);
    const protocols = [COLLAB_SUBPROTOCOL, `${TICKET_PROTOCOL_PREFIX}${ticket}`];
    const socket = await new Promise<WebSocket>((resolve, reject) => {
      const opening = new WebSocket(`${bed.server.url}/${memoId}`, protocols);
      opening.once("open", () => resolve(opening));
      opening.once("error", reject);
    });
    const closed = closeCode(socket);
    await endSession(db, owner.id, phone.sessionId);
    expect(await closed).toBe(CloseCode.Unauthorized);
    const again = await new Promise<number>((resolve) => {
      const refused = new WebSocket(`${bed.server.url}/${memoId}`, protocols);
      refused.once("open", () => resolve(101));
      refused.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      refused.once("error", () => undefined);
    });
    expect(again).toBe(401);
  });

  it("lists live sessions with this one marked; ends all others, and nobody else's", async () => {
    const [owner, stranger] = bed.people;
    const db = bed.database.prisma;
    const user = { ...owner, sessionId: await startSession(db, owner.id, "Chrome on a test") };
    await anotherSession(user);
    const listed = await listSessions(db, user.id, user.sessionId);
    expect(listed.filter((session) => session.current).map((session) => session.id)).toEqual([user.sessionId]);
    expect(listed.length).toBeGreaterThanOrEqual(3);
    // Someone else's session is not found, whoever asks.
    const refused = await failureOf(() => endSession(db, stranger.id, user.sessionId));
    expect(isAppError(refused, "not_found")).toBe(true);
    expect(isAppError(await failureOf(() => endSession(db, owner.id, "not-a-uuid")), "not_found")).toBe(true);
    expect(await endOtherSessions(db, user.id, user.sessionId)).toBe(listed.length - 1);
    expect((await listSessions(db, user.id, user.sessionId)).map((session) => session.id)).toEqual([user.sessionId]);
    expect(await sessionUser(db, stranger.id, stranger.sessionId)).toMatchObject({ id: stranger.id });
    await endAllSessions(db, user.id);
    expect(await listSessions(db, user.id, user.sessionId)).toEqual([]);
  });

  it("an expired session signs nobody in", async () => {
    const [, stranger] = bed.people;
    const db = bed.database.prisma;
    const old = await startSession(db, stranger.id, "old browser", new Date(Date.now() - 31 * 24 * 3600 * 1000));
    expect(await sessionUser(db, stranger.id, old)).toBeNull();
    expect((await listSessions(db, stranger.id, undefined)).map((session) => session.id)).not.toContain(old);
  });

  it("a password reset ends every session of the account and closes its open memos", async () => {
    const [, stranger] = bed.people;
    const db = bed.database.prisma;
    const tablet = await anotherSession(stranger);
    const memoId = await createTestMemo(db, stranger.id);
    const client = connectTestClient(bed.server.url, memoId, await sessionCookie(tablet, bed.server.secret));
    bed.track(client);
    await client.synced();
    const issued = await issuePasswordReset(db, stranger.email);
    await resetPassword(db, { token: issued.token, password: "a brand new passphrase 42" });
    await waitFor(() => !client.provider.wsconnected, 5_000, "the tablet's memo closed");
    expect(await sessionUser(db, stranger.id, tablet.sessionId)).toBeNull();
    expect(await sessionUser(db, stranger.id, stranger.sessionId)).toBeNull();
  });
});
