import * as Y from "yjs";
import { Prisma, type Db, type PrismaClient } from "../db";
import { memoJsonFromYdoc, plainTextFromMemoJson } from "../editor/memoDocument";

// Load and store of a memo's Yjs state. Storage is a snapshot on the Memo row plus an append-only
// log of updates (MemoUpdate) written after it:
//   load    = snapshot + every log row after snapshotSeq, applied in order;
//   store   = append one row per editor per batch (and bump the memo's last-edit facts), one statement;
//   compact = rebuild the state from the database alone, write it as the new snapshot together with
//             the JSON and plain text derived from it, and delete the rows it folds in, in one
//             transaction under a per-memo advisory lock.
// Compaction never uses the in-memory document, so it is correct whichever process runs it, and
// replaying a row twice is harmless because applying a Yjs update is idempotent.
// Memo documents keep deleted content (gc off): a version is then just a Yjs snapshot (state
// vector and delete set, a few hundred bytes), from which that version is rebuilt exactly.

/** A memo Y.Doc as the server holds it: deleted content is kept for version history. */
export function newMemoDoc(): Y.Doc {
  return new Y.Doc({ gc: false });
}

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
  // Snapshot and log tail must be read as one: a compaction committing between the two reads
  // would trim rows the old snapshot lacks. The shared lock keeps compaction out meanwhile. (The
  // lock is its own statement: in READ COMMITTED a statement's snapshot predates a lock it waits for.)
  const read = async (tx: Db) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtext(${compactionLockKey(memoId)}))`;
    const memo = await readSnapshot(tx, memoId);
    if (!memo) return null;
    const rows = await readLog(tx, memoId, memo.snapshotSeq);
    return { snapshot: memo.state, rows };
  };
  const stored = "$transaction" in db ? await db.$transaction(read) : await read(db);
  if (!stored) return null;
  const doc = newMemoDoc();
  doc.transact(() => {
    Y.applyUpdate(doc, stored.snapshot);
    for (const row of stored.rows) Y.applyUpdate(doc, row.data);
  });
  return { doc, logRows: stored.rows.length };
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

/** The Yjs client ids that created content in an update (for "who wrote this"). */
function authoringClients(update: Uint8Array): number[] {
  const clients = new Set<number>();
  for (const struct of Y.decodeUpdate(update).structs) if (struct instanceof Y.Item) clients.add(struct.id.client);
  return [...clients];
}

/**
 * Appends a batch of updates to the memo's log, notes who edited (the next version's editors) and
 * which Yjs client ids belong to whom. Returns false when the memo no longer exists.
 */
export async function storeMemoUpdates(db: PrismaClient, memoId: string, batch: PendingUpdate[]): Promise<boolean> {
  if (batch.length === 0) return true;
  const rows = rowsForBatch(batch);
  const lastEditorId = [...batch].reverse().find((update) => update.userId !== null)?.userId ?? null;
  const editorIds = [...new Set(batch.flatMap((update) => (update.userId ? [update.userId] : [])))];
  const clientUsers = new Map<string, string>();
  for (const row of rows) {
    if (!row.userId) continue;
    for (const clientId of authoringClients(row.data)) if (!clientUsers.has(String(clientId))) clientUsers.set(String(clientId), row.userId);
  }
  const values = Prisma.join(rows.map((row) => Prisma.sql`(${row.data}::bytea, ${row.userId}::uuid)`));
  // One statement, so one round trip and no query compilation: this runs for every batch of every
  // open memo, and the ORM's transaction with createMany and updates cost about 5× the CPU.
  //  - The advisory lock is shared with other writers and exclusive with compaction: compaction
  //    deletes rows by seq, so no append may be in flight (holding a lower seq) while it reads. The
  //    rows are produced by a join with the lock, so it is held before any seq is drawn, until commit.
  //  - Nothing is written when the memo is gone (0 rows updated); a memo deleted concurrently fails
  //    the foreign key instead, and the retry finds it gone.
  //  - The memo's last edit, its pending editors (the next version's editors) and the client ids'
  //    users (MemoClientUser, first writer kept) are written in the same statement, so atomically.
  //  - lastEditedAt is a timestamp without time zone holding UTC, as Prisma writes it.
  const updated = await db.$executeRaw`
    WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(hashtext(${compactionLockKey(memoId)}))),
    appended AS (
      INSERT INTO "MemoUpdate" ("memoId", "data", "userId")
      SELECT ${memoId}::uuid, row.data, row."userId"
      FROM (VALUES ${values}) AS row(data, "userId"), locked
      WHERE EXISTS (SELECT 1 FROM "Memo" WHERE id = ${memoId}::uuid)
      RETURNING 1
    ),
    clients AS (
      INSERT INTO "MemoClientUser" ("memoId", "clientId", "userId")
      SELECT ${memoId}::uuid, client.id, client."userId"
      FROM unnest(${[...clientUsers.keys()]}::bigint[], ${[...clientUsers.values()]}::uuid[]) AS client(id, "userId"), locked
      WHERE EXISTS (SELECT 1 FROM "Memo" WHERE id = ${memoId}::uuid)
      ON CONFLICT DO NOTHING
    )
    UPDATE "Memo" SET
      "lastEditedAt" = now() AT TIME ZONE 'UTC',
      "lastEditorId" = COALESCE(${lastEditorId}::uuid, "lastEditorId"),
      "pendingEditorIds" = ARRAY(SELECT DISTINCT unnest("pendingEditorIds" || ${editorIds}::uuid[]))
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
    const doc = newMemoDoc();
    Y.applyUpdate(doc, memo.state);
    for (const row of rows) Y.applyUpdate(doc, row.data);
    const pending = (doc as unknown as { store: { pendingStructs: unknown; pendingDs: unknown } }).store;
    if (pending.pendingStructs || pending.pendingDs) {
      // Never fold rows into a snapshot that would leave part of them out.
      throw new Error(`memo ${memoId}: stored updates have unmet dependencies; compaction skipped`);
    }
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
