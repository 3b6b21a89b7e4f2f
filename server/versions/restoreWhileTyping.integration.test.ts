import pino from "pino";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemoDocument, appendMemoUpdates } from "../memos/memoStore";
import { createSqlPool, type SqlPool } from "../database/sqlQuery";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, type TestUser } from "../testing/fixtures";
import { raceWithFirstPaused } from "../testing/lockWaits";
import { restoreVersion } from "./versionCommands";
import { listVersions } from "./versionQueries";

// A restore and the collaboration server's batches (colleagues typing) share the memo's log: the
// batch appends under the log's lock shared and then updates the memo's row; the restore takes
// the log's lock alone. If the restore held the memo's row before asking for the log's lock (its
// "saved before restoring" version clears the memo's pending editors), a batch arriving in between
// would hold the log and wait for the row while the restore waits for the log: a deadlock, which
// PostgreSQL breaks after a second by failing one of them. The race is made deterministic by
// pausing the restore on a table lock (raceWithFirstPaused), and asking PostgreSQL who waits.

let database: TestDatabase;
/** The collaboration server's way to the database (its own pg pool), for its batches. */
let collabPool: SqlPool;
let owner: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  collabPool = createSqlPool(database.url, pino({ level: "silent" }), 2);
  owner = await createTestUser(database.prisma, "Olga Owner");
});
afterAll(async () => {
  await collabPool.end();
  await database.drop();
});

/** A Yjs update that adds a paragraph to the memo as stored. */
async function paragraphUpdate(memoId: string, text: string): Promise<Uint8Array> {
  const loaded = await loadMemoDocument(database.prisma, memoId);
  if (!loaded) throw new Error("memo not found");
  const updates: Uint8Array[] = [];
  loaded.doc.on("update", (update: Uint8Array) => updates.push(update));
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  loaded.doc.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
  loaded.doc.destroy();
  return Y.mergeUpdates(updates);
}

describe("restoring a version while colleagues type", () => {
  it("a batch stored during the restore waits for it; neither fails", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Original wording.");
    const [created] = await listVersions(database.prisma, owner.id, memoId).then((page) => page.versions);
    // The memo changed since version 1, so the restore first saves the current state.
    expect(
      await appendMemoUpdates(collabPool.query, memoId, [
        { data: await paragraphUpdate(memoId, "Typed before."), userId: owner.id },
      ]),
    ).toBe(true);

    let restoreOutcome: unknown;
    let storeOutcome: unknown;
    // Pauses the restore where it writes its first version row, after it cleared the memo's
    // pending editors (the memo's row) in the same step; then a colleague's batch is stored.
    const race = await raceWithFirstPaused(
      database.url,
      "MemoVersion",
      async () => {
        restoreOutcome = await restoreVersion(database.prisma, owner.id, memoId, created.id);
      },
      async () => {
        const typed = await paragraphUpdate(memoId, "Typed during the restore.");
        storeOutcome = await appendMemoUpdates(collabPool.query, memoId, [{ data: typed, userId: owner.id }]);
      },
    );
    expect(race.secondFinishedFirst).toBe(false);
    expect(race.first).toBe("done");
    expect(race.second).toBe("done");
    expect(restoreOutcome).toMatchObject({ restore: { number: expect.any(Number) } });
    expect(storeOutcome).toBe(true);
    const after = await loadMemoDocument(database.prisma, memoId);
    const text = after?.doc.getXmlFragment(MEMO_FRAGMENT).toString() ?? "";
    after?.doc.destroy();
    // The restore brought version 1 back; the paragraph typed meanwhile is kept after it.
    expect(text).toContain("Original wording.");
    expect(text).toContain("Typed during the restore.");
    expect(text).not.toContain("Typed before.");
  });
});
