import http from "node:http";
import { describe, expect, it } from "vitest";
import { endSession } from "../accounts/userSessions";
import { createThread } from "../comments/commentCommands";
import { inviteToMemo } from "../sharing/sharingCommands";
import { collabTestbed } from "../testing/collabTestbed";
import { sessionCookie, waitFor } from "../testing/collabHarness";
import { createTestMemo, createTestUser, testThreadInput, type TestUser } from "../testing/fixtures";
import { markInboxRead } from "./inboxQueries";
import { STREAMS_PER_USER } from "./inboxStreams";

// The inbox's live channel over real HTTP: who hears what, and when a stream ends.

const bed = collabTestbed({ people: ["Olga Owner", "Eddie Editor"] });

type OpenStream = { status: number; events: () => number; ended: () => boolean; close(): void };

/** Opens the stream as a browser would (its cookie), counting "inbox" events. */
function openStream(cookie: string | null, method = "GET", origin?: string): Promise<OpenStream> {
  const headers = { ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) };
  return new Promise((resolve, reject) => {
    const req = http.request(bed.server.inboxStreamUrl, { method, headers }, (res) => {
      let text = "";
      let ended = false;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => (ended = true));
      res.on("close", () => (ended = true));
      resolve({
        status: res.statusCode ?? 0,
        events: () => text.split("event: inbox\n").length - 1,
        ended: () => ended,
        close: () => req.destroy(),
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const cookieOf = (user: TestUser) => sessionCookie(user, bed.server.secret);

describe("the inbox stream", () => {
  it("is only for a signed-in browser on one of our pages, and only with GET", async () => {
    expect((await openStream(null)).status).toBe(401);
    const [someone] = bed.people;
    expect((await openStream(await cookieOf(someone), "GET", "https://elsewhere.example")).status).toBe(403);
    const [owner] = bed.people;
    expect((await openStream(await cookieOf(owner), "POST")).status).toBe(405);
    const ended = await createTestUser(bed.database.prisma, "Signed Out");
    await endSession(bed.database.prisma, ended.id, ended.sessionId);
    expect((await openStream(await cookieOf(ended))).status).toBe(401);
  });

  it("tells a person's open pages of their new items, and nobody else's", async () => {
    const [owner, editor] = bed.people;
    const memoId = await createTestMemo(bed.database.prisma, owner.id);
    await inviteToMemo(bed.database.prisma, owner.id, memoId, { email: editor.email, role: "editor" });
    const [ownerStream, editorStream] = [
      await openStream(await cookieOf(owner)),
      await openStream(await cookieOf(editor)),
    ];
    expect(ownerStream.status).toBe(200);
    await createThread(bed.database.prisma, editor.id, memoId, {
      ...testThreadInput("@Olga Owner see here."),
      mentions: [owner.id],
    });
    await waitFor(() => ownerStream.events() === 1, 2000, "the owner's page hears of the mention");
    // Marking read tells the person's other pages too.
    await markInboxRead(bed.database.prisma, owner.id, { all: true });
    await waitFor(() => ownerStream.events() === 2, 2000, "the owner's page hears of the read");
    // The editor's stream heard of neither (events go out in order; a later one for the editor proves it).
    await createThread(bed.database.prisma, owner.id, memoId, {
      ...testThreadInput("@Eddie Editor and here."),
      mentions: [editor.id],
    });
    await waitFor(() => editorStream.events() === 1, 2000, "the editor's page hears of their mention");
    // A burst for one person is one event: five mentions at once.
    const before = editorStream.events();
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        createThread(bed.database.prisma, owner.id, memoId, {
          ...testThreadInput(`@Eddie Editor point ${n}.`),
          mentions: [editor.id],
        }),
      ),
    );
    await waitFor(() => editorStream.events() > before, 2000, "the burst arrives");
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(editorStream.events() - before).toBeLessThan(5);
    expect(ownerStream.events()).toBe(2);
    ownerStream.close();
    editorStream.close();
  });

  it("refuses streams past a person's limit with 204 (no reconnect), and ends when its session ends", async () => {
    const person = await createTestUser(bed.database.prisma, "Many Browsers");
    const cookie = await cookieOf(person);
    const streams = [] as OpenStream[];
    for (let i = 0; i < STREAMS_PER_USER; i++) streams.push(await openStream(cookie));
    expect(streams.map((stream) => stream.status)).toEqual(streams.map(() => 200));
    const before = bed.server.collab.inboxStreams.size;
    const extra = await openStream(cookie);
    expect(extra.status).toBe(204);
    expect(bed.server.collab.inboxStreams.size).toBe(before);
    expect(streams.some((stream) => stream.ended())).toBe(false);
    await endSession(bed.database.prisma, person.id, person.sessionId);
    await waitFor(() => streams.every((stream) => stream.ended()), 5000, "every stream of the ended session ends");
  });
});
