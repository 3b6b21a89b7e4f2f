import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { errorResponse } from "@/app/_http/routeHandler";
import { createPrismaClient, type PrismaClient } from "../db";
import { createTransactionLane } from "../database/transactionLane";
import { DEFAULT_MEMO_MARKINGS } from "../env";
import { exportMemo } from "../export/exportMemo";
import {
  connectTestClient,
  sessionCookie,
  startTestCollabServer,
  waitFor,
  type TestClient,
  type TestCollabServer,
} from "../testing/collabHarness";
import { createTestMemo, createTestUser, type TestUser } from "../testing/fixtures";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";

// Bursts on the database path (issue 27), against a collaboration server whose Prisma client has
// a pool of 2 connections, held by other work during the burst,, so that a burst meets a full pool as 200 memos did on 10 connections
// under load: 13 of them lost their automatic version to Prisma's P2028, and 3–7 of 20 exports
// fired at once answered 500. Work that must happen waits its turn and is retried until stored;
// a request waits its turn or gets 503.

let database: TestDatabase;
let smallPool: PrismaClient;
let server: TestCollabServer;
let owner: TestUser;
const clients: TestClient[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  smallPool = createPrismaClient(database.url, 2);
  server = await startTestCollabServer(smallPool, database.url, { unloadGraceMs: 50 });
  owner = await createTestUser(database.prisma, "Olga Owner");
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});
afterAll(async () => {
  await server.stop();
  await smallPool.$disconnect();
  await database.drop();
});

/**
 * Holds every connection of the small pool in a transaction for `ms`, as a burst of other work
 * would, and resolves once PostgreSQL shows them all waiting: whatever needs a connection meanwhile
 * waits longer than Prisma's 2 s maxWait.
 */
async function holdThePool(ms: number): Promise<Promise<unknown>> {
  // These wait for the pool as long as it takes (the server's own transactions may hold it now).
  const held = Promise.all(
    [0, 1].map(() =>
      smallPool.$transaction((tx) => tx.$executeRawUnsafe(`SELECT pg_sleep(${ms / 1000})`), {
        maxWait: 60_000,
        timeout: ms + 60_000,
      }),
    ),
  );
  // Awaited by the caller; a failure meanwhile is theirs to see, not an unhandled rejection.
  held.catch(() => undefined);
  const sleeping = async () =>
    (
      await database.prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'`
    )[0].n;
  const until = Date.now() + 10_000;
  while ((await sleeping()) < 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  return held;
}

const versionsOf = (memoId: string) =>
  database.prisma.memoVersion.findMany({
    where: { memoId },
    orderBy: { number: "asc" },
    select: { kind: true, editorIds: true },
  });

describe("a burst of history writes", () => {
  it("200 memos left at the same moment each get their automatic version", { timeout: 120_000 }, async () => {
    const memoIds: string[] = [];
    for (let n = 0; n < 200; n++) memoIds.push(await createTestMemo(database.prisma, owner.id, `Memo ${n}.`));
    const cookie = await sessionCookie(owner, server.secret);
    const opened = memoIds.map((memoId) => connectTestClient(server.url, memoId, cookie));
    clients.push(...opened);
    await Promise.all(opened.map((client) => client.synced()));
    opened.forEach((client, n) => client.appendParagraph(`Edited in session ${n}.`));
    await waitFor(() => opened.every((client) => client.isSaved()), 30_000, "every edit acknowledged");
    // Everyone leaves at once, while other work holds the pool: 200 unloads, each recording its
    // version and compacting, all waiting past Prisma's maxWait for a connection.
    const held = await holdThePool(4_000);
    for (const client of clients.splice(0)) client.destroy();
    await waitFor(
      () => {
        const stats = server.collab.registry.stats();
        return stats.memos === 0 && stats.finishing === 0;
      },
      90_000,
      "every memo unloaded with its version",
    );
    await held;
    expect(server.collab.registry.stats()).toMatchObject({ versionsWaiting: 0, versionsRetrying: 0 });
    const histories = await Promise.all(memoIds.map(versionsOf));
    const missing = histories.filter((versions) => versions.length !== 2);
    expect(missing).toEqual([]);
    for (const versions of histories) expect(versions[1]).toEqual({ kind: "automatic", editorIds: [owner.id] });
  });

  it(
    "20 exports fired at once while a colleague types: each is sent and recorded once, or answered 503, never 500",
    { timeout: 120_000 },
    async () => {
      const memoId = await createTestMemo(database.prisma, owner.id, "A memo everyone exports.");
      const typist = connectTestClient(server.url, memoId, await sessionCookie(owner, server.secret));
      clients.push(typist);
      await typist.synced();
      let typing = true;
      const typed = (async () => {
        for (let n = 0; typing; n++) {
          typist.appendParagraph(`Paragraph ${n} typed during the exports.`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      // A lane of one slot: the exports' records queue behind each other on a pool of 3.
      const lane = createTransactionLane(1);
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () =>
          exportMemo(smallPool, owner.id, memoId, "md", { markings: DEFAULT_MEMO_MARKINGS, lane }).then(
            () => 200,
            (error: unknown) => errorResponse(error).status,
          ),
        ),
      );
      typing = false;
      await typed;
      expect(outcomes.filter((status) => status !== 200 && status !== 503)).toEqual([]);
      const sent = outcomes.filter((status) => status === 200).length;
      expect(sent).toBeGreaterThan(0);
      const exports = (await versionsOf(memoId)).filter((version) => version.kind === "export");
      expect(exports).toHaveLength(sent);
    },
  );
});
