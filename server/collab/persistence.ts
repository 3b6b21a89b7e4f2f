import * as Y from "yjs";
import { Prisma, type Db, type PrismaClient } from "../db";
import { memoJsonFromYdoc, plainTextFromMemoJson } from "../editor/memoDocument";

// Load and store of a memo's Yjs state. Storage is a snapshot on the Memo row plus an append-only
// log of updates (MemoUpdate) written after it:
//   load    = snapshot + every log row after snapshotSeq, applied in order;
//   store   = append one row per batch (and bump the memo's last-edit facts), one transaction;
//   compact = rebuild the state from the database alone, write it as the new snapshot together with
//             the JSON and plain text derived from it, and delete the rows it folds in, in one
//             transaction under a per-memo advisory lock.
// Compaction never uses the in-memory document, so it is correct whichever process runs it, and
// replaying a row twice is harmless because applying a Yjs update is idempotent.

/** An update waiting to be written, with the user whose edit produced it. */
export type PendingUpdate = { data: Uint8Array; userId: string | null };

/** What load returns: the document and how long its log tail was. */
export type LoadedMemo = { doc: Y.Doc; logRows: number };

// Stored Yjs state is read as base64 text and decoded here: the pg driver adapter hands bytea to
// Prisma as an array of numbers, which for a 500 KB memo took ~150 ms of blocked event loop
// against ~20 ms this way (measured by `npm run bench`, cold load).

/** The memo's snapshot and the seq it folds in, or null when the memo does not exist. */
async function readSnapshot(db: Db, memoId: string): Promise<{ state: Uint8Array; snapshotSeq: bigint } | null> {
  const [memo] = await db.$queryRaw<{ state: string; snapshotSeq: bigint }[]>`
    SELECT encode("ydocState", 'base64') AS state, "snapshotSeq" FROM "Memo" WHERE id = ${memoId}::uuid`;
  return memo ? { state: Buffer.from(memo.state, "base64"), snapshotSeq: memo.snapshotSeq } : null;
}

/** The log rows written after `afterSeq`, in order. */
async function readLog(db: Db, memoId: string, afterSeq: bigint): Promise<{ seq: bigint; data: Uint8Array }[]> {
  const rows = await db.$queryRaw<{ seq: bigint; data: string }[]>`
    SELECT seq, encode(data, 'base64') AS data FROM "MemoUpdate"
    WHERE "memoId" = ${memoId}::uuid AND seq > ${afterSeq} ORDER BY seq`;
  return rows.map((row) => ({ seq: row.seq, data: Buffer.from(row.data, "base64") }));
}

/** Loads a memo's document, or null when the memo does not exist. */
export async function loadMemoDoc(db: Db, memoId: string): Promise<LoadedMemo | null> {
  const memo = await readSnapshot(db, memoId);
  if (!memo) return null;
  const rows = await readLog(db, memoId, memo.snapshotSeq);
  const doc = new Y.Doc({ gc: true });
  doc.transact(() => {
    Y.applyUpdate(doc, memo.state);
    for (const row of rows) Y.applyUpdate(doc, row.data);
  });
  return { doc, logRows: rows.length };
}

const compactionLockKey = (memoId: string) => `memo-log:${memoId}`;

/** Merges a batch into one row per editor, so a busy memo writes few rows. */
function rowsForBatch(batch: PendingUpdate[]): PendingUpdate[] {
  const byUser = new Map<string | null, Uint8Array[]>();
  for (const update of batch) {
    const list = byUser.get(update.userId) ?? [];
    list.push(update.data);
    byUser.set(update.userId, list);
  }
  return [...byUser].map(([userId, datas]) => ({ userId, data: datas.length === 1 ? datas[0] : Y.mergeUpdates(datas) }));
}

/** Appends a batch of updates to the memo's log. Returns false when the memo no longer exists. */
export async function storeMemoUpdates(db: PrismaClient, memoId: string, batch: PendingUpdate[]): Promise<boolean> {
  if (batch.length === 0) return true;
  const rows = rowsForBatch(batch);
  const lastEditorId = [...batch].reverse().find((update) => update.userId !== null)?.userId ?? null;
  const values = Prisma.join(rows.map((row) => Prisma.sql`(${row.data}::bytea, ${row.userId}::uuid)`));
  // One statement, so one round trip and no query compilation: this runs for every batch of every
  // open memo, and the ORM's transaction with createMany and update cost about 5× the CPU.
  //  - The advisory lock is shared with other writers and exclusive with compaction: compaction
  //    deletes rows by seq, so no append may be in flight (holding a lower seq) while it reads. The
  //    rows are produced by a join with the lock, so it is held before any seq is drawn, until commit.
  //  - Nothing is written when the memo is gone (0 rows updated); a memo deleted concurrently fails
  //    the foreign key instead, and the retry finds it gone.
  //  - lastEditedAt is a timestamp without time zone holding UTC, as Prisma writes it.
  const updated = await db.$executeRaw`
    WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(hashtext(${compactionLockKey(memoId)}))),
    appended AS (
      INSERT INTO "MemoUpdate" ("memoId", "data", "userId")
      SELECT ${memoId}::uuid, row.data, row."userId"
      FROM (VALUES ${values}) AS row(data, "userId"), locked
      WHERE EXISTS (SELECT 1 FROM "Memo" WHERE id = ${memoId}::uuid)
      RETURNING 1
    )
    UPDATE "Memo" SET "lastEditedAt" = now() AT TIME ZONE 'UTC', "lastEditorId" = COALESCE(${lastEditorId}::uuid, "lastEditorId")
    WHERE id = ${memoId}::uuid AND EXISTS (SELECT 1 FROM appended)`;
  return updated > 0;
}

/** Folds the memo's log into a new snapshot. Returns how many log rows were folded in. */
export async function compactMemo(db: PrismaClient, memoId: string): Promise<number> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${compactionLockKey(memoId)}))`;
    const memo = await readSnapshot(tx, memoId);
    if (!memo) return 0;
    const rows = await readLog(tx, memoId, memo.snapshotSeq);
    if (rows.length === 0) return 0;
    const doc = new Y.Doc({ gc: true });
    Y.applyUpdate(doc, memo.state);
    for (const row of rows) Y.applyUpdate(doc, row.data);
    const json = memoJsonFromYdoc(doc);
    const throughSeq = rows[rows.length - 1].seq;
    await tx.memo.update({
      where: { id: memoId },
      data: {
        ydocState: Y.encodeStateAsUpdate(doc) as Uint8Array<ArrayBuffer>,
        snapshotSeq: throughSeq,
        contentJson: json as object,
        contentText: plainTextFromMemoJson(json),
      },
    });
    await tx.memoUpdate.deleteMany({ where: { memoId, seq: { lte: throughSeq } } });
    doc.destroy();
    return rows.length;
  }, { timeout: 60_000 });
}
