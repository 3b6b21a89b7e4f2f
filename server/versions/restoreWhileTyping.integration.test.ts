import pg from "pg";
import pino from "pino";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMemoDoc, storeMemoUpdates } from "../collab/persistence";
import { createSqlPool, type SqlPool } from "../database/sqlQuery";
import { MEMO_FRAGMENT } from "../editor/memoExtensions";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, type TestUser } from "../testing/fixtures";
import { untilSessionsWait } from "../testing/lockWaits";
import { restoreVersion } from "./versionCommands";
import { listVersions } from "./versionQueries";

// A restore and the collaboration server's batches (colleagues typing) share the memo's log: the
// batch appends under the log's lock shared and then updates the memo's row; the restore takes
// the log's lock alone. If the restore held the memo's row before asking for the log's lock (its
// "saved before restoring" version clears the memo's pending editors), a batch arriving in between
// would hold the log and wait for the row while the restore waits for the log: a deadlock, which
// PostgreSQL breaks after a second by failing one of them. The race is made deterministic by
// pausing the restore on a table lock this test holds, and asking PostgreSQL who waits.

let database: TestDatabase;
let admin: pg.Client;
/** The collaboration server's way to the database (its own pg pool), for its batches. */
let collabPool: SqlPool;
let owner: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  collabPool = createSqlPool(database.url, pino({ level: "silent" }), 2);
  owner = await createTestUser(database.prisma, "Olga Owner");
});
afterAll(async () => {
  await admin.end();
  await collabPool.end();
  await database.drop();
});

/** A Yjs update that adds a paragraph to the memo as stored. */
async function paragraphUpdate(memoId: string, text: string): Promise<Uint8Array> {
  const loaded = await loadMemoDoc(database.prisma, memoId);
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
    expect(await storeMemoUpdates(collabPool.query, memoId, [{ data: await paragraphUpdate(memoId, "Typed before."), userId: owner.id }])).toBe(true);

    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      // Pauses the restore where it writes its first version row, after it cleared the memo's
      // pending editors (the memo's row) in the same step.
      await holder.query(`LOCK TABLE "MemoVersion" IN EXCLUSIVE MODE`);
      const restored = restoreVersion(database.prisma, owner.id, memoId, created.id).then(
        (result) => result,
        (error: unknown) => error,
      );
      await untilSessionsWait(admin, 1);
      const typed = await paragraphUpdate(memoId, "Typed during the restore.");
      const stored = storeMemoUpdates(collabPool.query, memoId, [{ data: typed, userId: owner.id }]).then(
        (result) => result,
        (error: unknown) => error,
      );
      await untilSessionsWait(admin, 2);
      await holder.query("COMMIT");
      const [restoreOutcome, storeOutcome] = await Promise.all([restored, stored]);
      expect(restoreOutcome).toMatchObject({ restore: { number: expect.any(Number) } });
      expect(storeOutcome).toBe(true);
    } finally {
      await holder.end();
    }
    const after = await loadMemoDoc(database.prisma, memoId);
    const text = after?.doc.getXmlFragment(MEMO_FRAGMENT).toString() ?? "";
    after?.doc.destroy();
    // The restore brought version 1 back; the paragraph typed meanwhile is kept after it.
    expect(text).toContain("Original wording.");
    expect(text).toContain("Typed during the restore.");
    expect(text).not.toContain("Typed before.");
  });
});
