import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, type TestUser } from "../testing/fixtures";
import { memoJsonFromYdoc, plainTextFromMemoJson } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import pino from "pino";
import { createSqlPool } from "../database/sqlQuery";
import { compactMemoLog, loadMemoDocument, appendMemoUpdates } from "./memoStore";

let database: TestDatabase;
let owner: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createTestUser(database.prisma);
});
afterAll(async () => {
  await database.drop();
});

/** Loads a memo, appends `count` paragraphs as separate updates, and returns them. */
async function appendParagraphs(memoId: string, count: number, prefix: string): Promise<Uint8Array[]> {
  const loaded = await loadMemoDocument(database.prisma, memoId);
  const doc = loaded!.doc;
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) {
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(`${prefix} ${i}`)]);
    doc.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
  }
  return updates;
}

const textOf = async (memoId: string) =>
  plainTextFromMemoJson(memoJsonFromYdoc((await loadMemoDocument(database.prisma, memoId))!.doc));

describe("memo store", () => {
  it("loads snapshot plus log, and compaction folds the log without changing the memo", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Snapshot.");
    const updates = await appendParagraphs(memoId, 30, "Line");
    for (const update of updates)
      await appendMemoUpdates(database.prisma, memoId, [{ data: update, userId: owner.id }]);
    const before = await textOf(memoId);
    expect(before.split("\n\n")).toHaveLength(31);
    expect(await database.prisma.memoUpdate.count({ where: { memoId } })).toBe(30);

    expect(await compactMemoLog(database.prisma, memoId)).toBe(30);
    expect(await database.prisma.memoUpdate.count({ where: { memoId } })).toBe(0);
    expect(await textOf(memoId)).toBe(before);
    const memo = await database.prisma.memo.findUniqueOrThrow({ where: { id: memoId } });
    expect(memo.contentText).toBe(before);
    expect(memo.snapshotSeq).toBeGreaterThan(0n);
    expect(await compactMemoLog(database.prisma, memoId)).toBe(0);
  });

  it("compacts a memo whose log holds NUL and a lone surrogate (stored before updates were checked for them)", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Start.");
    const loaded = await loadMemoDocument(database.prisma, memoId);
    const doc = loaded!.doc;
    const updates: Uint8Array[] = [];
    doc.on("update", (update: Uint8Array) => updates.push(update));
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    doc.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
    text.insert(0, "a\u0000b");
    // Yjs encodes text as UTF-8 (a lone surrogate becomes U+FFFD), but a mark's attributes as JSON,
    // which keeps one: jsonb refuses both.
    text.insert(3, " link", { link: { href: "https://example.org/\uD800" } });
    // Written straight into the log, as a server without the update check would have.
    await appendMemoUpdates(
      database.prisma,
      memoId,
      updates.map((data) => ({ data, userId: owner.id })),
    );

    expect(await compactMemoLog(database.prisma, memoId)).toBe(1);
    const memo = await database.prisma.memo.findUniqueOrThrow({ where: { id: memoId } });
    expect(memo.contentText).toBe("Start.\n\nab link");
    expect(JSON.stringify(memo.contentJson)).toContain('"href":"https://example.org/\uFFFD"');
    expect(await database.prisma.memoUpdate.count({ where: { memoId } })).toBe(0);
    // The Yjs state keeps exactly what was stored; only the derived copies leave it out.
    const reloaded = (await loadMemoDocument(database.prisma, memoId))!.doc;
    const stored = (reloaded.getXmlFragment(MEMO_FRAGMENT).get(1) as Y.XmlElement).get(0) as Y.XmlText;
    expect(stored.toDelta()).toEqual([
      { insert: "a\u0000b" },
      { insert: " link", attributes: { link: { href: "https://example.org/\uD800" } } },
    ]);
  });

  it("merges a batch into one row per editor", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const other = await createTestUser(database.prisma, "Other");
    const updates = await appendParagraphs(memoId, 6, "Batch");
    await appendMemoUpdates(
      database.prisma,
      memoId,
      updates.map((data, i) => ({ data, userId: i % 2 ? owner.id : other.id })),
    );
    expect(await database.prisma.memoUpdate.count({ where: { memoId } })).toBe(2);
    expect(await textOf(memoId)).toContain("Batch 5");
    const memo = await database.prisma.memo.findUniqueOrThrow({ where: { id: memoId } });
    expect(memo.lastEditorId).toBe(owner.id);
  });

  it("is safe when the log still holds rows already folded into the snapshot (crash between the two)", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Crash.");
    const updates = await appendParagraphs(memoId, 5, "Kept");
    await appendMemoUpdates(
      database.prisma,
      memoId,
      updates.map((data) => ({ data, userId: owner.id })),
    );
    await compactMemoLog(database.prisma, memoId);
    const compacted = await textOf(memoId);
    // Replay the same updates again, as if the trim had not happened.
    await appendMemoUpdates(
      database.prisma,
      memoId,
      updates.map((data) => ({ data, userId: owner.id })),
    );
    expect(await textOf(memoId)).toBe(compacted);
    await compactMemoLog(database.prisma, memoId);
    expect(await textOf(memoId)).toBe(compacted);
  });

  it("records when the memo was last edited and by whom, keeping the editor for server-made updates", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const updates = await appendParagraphs(memoId, 2, "Edited");
    const before = Date.now();
    expect(await appendMemoUpdates(database.prisma, memoId, [{ data: updates[0], userId: owner.id }])).toBe(true);
    expect(await appendMemoUpdates(database.prisma, memoId, [{ data: updates[1], userId: null }])).toBe(true);
    const memo = await database.prisma.memo.findUniqueOrThrow({ where: { id: memoId } });
    expect(memo.lastEditorId).toBe(owner.id);
    expect(memo.lastEditedAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(memo.lastEditedAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
  });

  it("does not append while compaction holds the memo's log", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const [update] = await appendParagraphs(memoId, 1, "Waiting");
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const compaction = database.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`memo-log:${memoId}`}))`;
      locked();
      await held;
    });
    await lockTaken;
    let stored = false;
    const append = appendMemoUpdates(database.prisma, memoId, [{ data: update, userId: owner.id }]).then(
      () => (stored = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stored).toBe(false);
    release();
    await compaction;
    await append;
    expect(await database.prisma.memoUpdate.count({ where: { memoId } })).toBe(1);
  });

  it("loads a consistent memo while a compaction is in progress, through either SQL runner", async () => {
    const pool = createSqlPool(database.url, pino({ level: "silent" }));
    try {
      const memoId = await createTestMemo(database.prisma, owner.id, "First line.");
      const updates = await appendParagraphs(memoId, 10, "Logged");
      await appendMemoUpdates(
        pool.query,
        memoId,
        updates.map((data) => ({ data, userId: owner.id })),
      );
      const expected = await textOf(memoId);
      expect(expected).toContain("Logged 9");
      // A compaction that wrote its new snapshot and deleted the rows, but has not committed yet.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const snapshotWritten = new Promise<void>((resolve) => (written = resolve));
      const compaction = database.prisma.$transaction(async (tx) => {
        const doc = (await loadMemoDocument(tx, memoId))!.doc;
        await tx.memo.update({
          where: { id: memoId },
          data: { ydocState: Y.encodeStateAsUpdate(doc) as Uint8Array<ArrayBuffer>, snapshotSeq: 1n << 40n },
        });
        await tx.memoUpdate.deleteMany({ where: { memoId } });
        written();
        await held;
      });
      await snapshotWritten;
      for (const db of [database.prisma, pool.query]) {
        const during = await loadMemoDocument(db, memoId);
        expect(during!.logRows).toBe(1);
        expect(plainTextFromMemoJson(memoJsonFromYdoc(during!.doc))).toBe(expected);
      }
      release();
      await compaction;
      for (const db of [database.prisma, pool.query]) {
        const after = await loadMemoDocument(db, memoId);
        expect(after!.logRows).toBe(0);
        expect(plainTextFromMemoJson(memoJsonFromYdoc(after!.doc))).toBe(expected);
      }
    } finally {
      await pool.end();
    }
  });

  it("loads a large memo and its log byte for byte", async () => {
    const lines = Array.from({ length: 2_000 }, (_, i) => `Paragraph ${i}: ${"é—ü ".repeat(25)}`);
    const memoId = await createTestMemo(database.prisma, owner.id, lines.join(" "));
    const updates = await appendParagraphs(memoId, 50, "Tail");
    await appendMemoUpdates(
      database.prisma,
      memoId,
      updates.map((data) => ({ data, userId: owner.id })),
    );
    const expected = new Y.Doc();
    const stored = await database.prisma.memo.findUniqueOrThrow({ where: { id: memoId } });
    Y.applyUpdate(expected, stored.ydocState);
    for (const update of updates) Y.applyUpdate(expected, update);
    const loaded = await loadMemoDocument(database.prisma, memoId);
    expect(loaded!.logRows).toBe(1);
    expect(Y.encodeStateAsUpdate(loaded!.doc)).toEqual(Y.encodeStateAsUpdate(expected));
  });

  it("reports a deleted memo instead of failing", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const updates = await appendParagraphs(memoId, 1, "Late");
    await database.prisma.memo.delete({ where: { id: memoId } });
    expect(await appendMemoUpdates(database.prisma, memoId, [{ data: updates[0], userId: owner.id }])).toBe(false);
    expect(await loadMemoDocument(database.prisma, memoId)).toBeNull();
  });
});
