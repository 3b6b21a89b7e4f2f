import * as Y from "yjs";
import type { Db, PrismaClient } from "../db";
import { sqlOf, type SqlRunner } from "../database/sqlQuery";
import { plainTextFromMemoJson } from "../../common/editor/memoDocument";
import { storedMemoJson } from "../editor/memoRepair";
import { toStorableJson } from "../../common/validation/storableText";

// The memo document store: a memo's Yjs state, as the collaboration server, versions and export
// read and write it. Storage is a snapshot on the Memo row plus an append-only log of updates
// (MemoUpdate) written after it:
//   load    = snapshot + every log row after snapshotSeq, applied in order;
//   append  = one row per editor per batch (and bump the memo's last-edit facts), one statement;
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

/**
 * An update waiting to be written, with the user whose edit produced it. `authors`, when known,
 * are the Yjs client ids in it not yet recorded as this user's (empty: nothing to record), so the
 * update need not be decoded again; otherwise appendToMemoLog decodes it.
 */
export type PendingUpdate = {
  data: Uint8Array;
  userId: string | null;
  authors?: number[];
  /** Whether the update suggests changes in its user's name (the owner's inbox hears of it). */
  suggests?: boolean;
};

/** What load returns besides the document. */
export type LoadFacts = {
  /** How many log rows followed the snapshot. */
  logRows: number;
  /** Bytes of Yjs state read (snapshot and rows): the document's size without encoding it again. */
  storedBytes: number;
  /** The whole document as one update, when the load read exactly that (a snapshot without rows). */
  fullState?: Uint8Array;
  /** The number of the latest restore version that changed the memo (see restoreWatch.ts). */
  lastRestore?: number | null;
};

/**
 * What load returns: the document, facts about what was read, and the seq of the last log row
 * read (what compaction folds in; null without rows).
 */
export type LoadedMemo = LoadFacts & { doc: Y.Doc; throughSeq: bigint | null };

// Stored Yjs state travels as base64 text, both ways: the pg driver adapter hands bytea to Prisma
// as an array of numbers, which for a 500 KB memo took ~150 ms of blocked event loop against
// ~20 ms this way (measured by `npm run bench`, cold load), and text is what both SQL runners
// (sqlQuery.ts) pass through alike.

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

// Snapshot and log tail are read by one statement, so from one MVCC snapshot: a compaction
// commits its new snapshot and the deletion of the rows it folded in together, so the statement
// sees either the old snapshot with every row after it, or the new one with the rows after that.
// (Read by two statements, they would need compaction's lock to be consistent.) One round trip,
// where a transaction with a shared lock took five.
const LOAD_MEMO = `
  SELECT encode(m."ydocState", 'base64') AS state, tail.log, tail."throughSeq", m."lastRestoreNumber" AS "lastRestore"
  FROM "Memo" m CROSS JOIN LATERAL (
    SELECT string_agg(encode(u.data, 'base64'), ',' ORDER BY u.seq) AS log, max(u.seq)::text AS "throughSeq"
    FROM "MemoUpdate" u WHERE u."memoId" = m.id AND u.seq > m."snapshotSeq"
  ) tail
  WHERE m.id = $1::uuid`;

/** The bytes in a buffer of their own: a small Buffer is a view into an 8 KB pool slab, which keeping it would keep whole. */
const ownBytes = (bytes: Buffer): Uint8Array =>
  bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);

/** Loads a memo's document, or null when the memo does not exist. */
export async function loadMemoDocument(db: SqlRunner, memoId: string): Promise<LoadedMemo | null> {
  const [stored] = await sqlOf(db)<{
    state: string;
    log: string | null;
    throughSeq: string | null;
    lastRestore: number | null;
  }>(LOAD_MEMO, [memoId], "load-memo");
  if (!stored) return null;
  // Base64 has no commas; the rows' boundaries are kept, since each row is one Yjs update.
  const rows = stored.log ? stored.log.split(",").map((row) => Buffer.from(row, "base64")) : [];
  const snapshot = Buffer.from(stored.state, "base64");
  const doc = newMemoDoc();
  doc.transact(() => {
    Y.applyUpdate(doc, snapshot);
    for (const row of rows) Y.applyUpdate(doc, row);
  });
  const storedBytes = rows.reduce((sum, row) => sum + row.byteLength, snapshot.byteLength);
  return {
    doc,
    logRows: rows.length,
    storedBytes,
    fullState: rows.length === 0 ? ownBytes(snapshot) : undefined,
    throughSeq: stored.throughSeq === null ? null : BigInt(stored.throughSeq),
    lastRestore: stored.lastRestore,
  };
}

const compactionLockKey = (memoId: string) => `memo-log:${memoId}`;

/**
 * Takes the memo's log alone until the transaction ends: no batch appends meanwhile. Batches take
 * this lock (shared) before they update the memo's row, so a transaction that also writes the
 * memo's row must take it first, or a batch holding it and waiting for the row would deadlock
 * with it.
 */
export async function lockMemoLogAlone(tx: Db, memoId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${compactionLockKey(memoId)}))`;
}

/** Merges a batch into one row per editor, so a busy memo writes few rows. */
function rowsForBatch(batch: PendingUpdate[]): { userId: string | null; data: Uint8Array }[] {
  const byUser = new Map<string | null, Uint8Array[]>();
  for (const update of batch) {
    const list = byUser.get(update.userId) ?? [];
    list.push(update.data);
    byUser.set(update.userId, list);
  }
  return [...byUser].map(([userId, datas]) => ({
    userId,
    data: datas.length === 1 ? datas[0] : Y.mergeUpdates(datas),
  }));
}

/** The Yjs client ids that created content in an update (for "who wrote this"). */
function authoringClients(update: PendingUpdate): number[] {
  if (update.authors) return update.authors;
  const clients = new Set<number>();
  for (const struct of Y.decodeUpdate(update.data).structs) if (struct instanceof Y.Item) clients.add(struct.id.client);
  return [...clients];
}

// One statement, so one round trip: this runs for every batch of every open memo, and the ORM's
// transaction with createMany and updates cost about 5× the CPU.
//  - The advisory lock is shared with other writers and exclusive with compaction: compaction
//    deletes rows by seq, so no append may be in flight (holding a lower seq) while it reads. The
//    rows are produced by a join with the lock, so it is held before any seq is drawn, until commit.
//  - Nothing is written when the memo is gone (0 rows updated); a memo deleted concurrently fails
//    the foreign key instead, and the retry finds it gone.
//  - The memo's last edit, its pending editors (the next version's editors) and the client ids'
//    users (MemoClientUser, first writer kept) are written in the same statement, so atomically.
//  - lastEditedAt is a timestamp without time zone holding UTC, as Prisma writes it.
//  - It returns the memo's latest restore as the row stands after the lock: a restore that made
//    the batch wait committed after the statement's snapshot, but an UPDATE re-reads a row that a
//    committed transaction changed (READ COMMITTED), so the batch learns of the restore it
//    followed in the same round trip (see restoreWatch.ts).
// Parameters: $1 memo, $2 lock key, $3 rows' data (base64), $4 rows' users, $5 client ids,
// $6 their users, $7 last editor, $8 editors.
const APPEND_UPDATES = `
  WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared(hashtext($2))),
  appended AS (
    INSERT INTO "MemoUpdate" ("memoId", "data", "userId")
    SELECT $1::uuid, decode(row.data, 'base64'), row."userId"
    FROM unnest($3::text[], $4::uuid[]) AS row(data, "userId"), locked
    WHERE EXISTS (SELECT 1 FROM "Memo" WHERE id = $1::uuid)
    RETURNING 1
  ),
  clients AS (
    INSERT INTO "MemoClientUser" ("memoId", "clientId", "userId")
    SELECT $1::uuid, client.id, client."userId"
    FROM unnest($5::bigint[], $6::uuid[]) AS client(id, "userId"), locked
    WHERE EXISTS (SELECT 1 FROM "Memo" WHERE id = $1::uuid)
    ON CONFLICT DO NOTHING
  ),
  updated AS (
    UPDATE "Memo" SET
      "lastEditedAt" = now() AT TIME ZONE 'UTC',
      "lastEditorId" = COALESCE($7::uuid, "lastEditorId"),
      "pendingEditorIds" = ARRAY(SELECT DISTINCT unnest("pendingEditorIds" || $8::uuid[]))
    WHERE id = $1::uuid AND EXISTS (SELECT 1 FROM appended)
    RETURNING "lastRestoreNumber"
  )
  SELECT count(*)::int AS updated, max("lastRestoreNumber") AS "lastRestore" FROM updated`;

/** What appending a batch learned: the memo's latest restore, as of the moment the batch was appended. */
export type AppendedBatch = { lastRestore: number | null };

/**
 * Appends a batch of updates to the memo's log, notes who edited (the next version's editors) and
 * which Yjs client ids belong to whom. Returns what the statement read of the memo, or null when
 * the memo no longer exists.
 */
export async function appendToMemoLog(
  db: SqlRunner,
  memoId: string,
  batch: PendingUpdate[],
): Promise<AppendedBatch | null> {
  if (batch.length === 0) return { lastRestore: null };
  const rows = rowsForBatch(batch);
  const lastEditorId = [...batch].reverse().find((update) => update.userId !== null)?.userId ?? null;
  const editorIds = [...new Set(batch.flatMap((update) => (update.userId ? [update.userId] : [])))];
  const clientUsers = new Map<string, string>();
  for (const update of batch) {
    if (!update.userId) continue;
    for (const clientId of authoringClients(update))
      if (!clientUsers.has(String(clientId))) clientUsers.set(String(clientId), update.userId);
  }
  const [result] = await sqlOf(db)<{ updated: number; lastRestore: number | null }>(
    APPEND_UPDATES,
    [
      memoId,
      compactionLockKey(memoId),
      rows.map((row) => base64(row.data)),
      rows.map((row) => row.userId),
      [...clientUsers.keys()],
      [...clientUsers.values()],
      lastEditorId,
      editorIds,
    ],
    "store-memo-updates",
  );
  return result.updated > 0 ? { lastRestore: result.lastRestore } : null;
}

/** appendToMemoLog, answering only whether the memo still exists. */
export async function appendMemoUpdates(db: SqlRunner, memoId: string, batch: PendingUpdate[]): Promise<boolean> {
  return (await appendToMemoLog(db, memoId, batch)) !== null;
}

/** Folds the memo's log into a new snapshot. Returns how many log rows were folded in. */
export async function compactMemoLog(db: PrismaClient, memoId: string): Promise<number> {
  return db.$transaction(
    async (tx) => {
      await lockMemoLogAlone(tx, memoId);
      const loaded = await loadMemoDocument(tx, memoId);
      if (!loaded || loaded.throughSeq === null) return 0;
      const { doc, throughSeq } = loaded;
      const pending = (doc as unknown as { store: { pendingStructs: unknown; pendingDs: unknown } }).store;
      if (pending.pendingStructs || pending.pendingDs) {
        // Never fold rows into a snapshot that would leave part of them out.
        throw new Error(`memo ${memoId}: stored updates have unmet dependencies; compaction skipped`);
      }
      // A memo stored before updates were checked for them may hold NUL or a lone surrogate (in a
      // mark's attributes, which Yjs keeps as JSON), which jsonb and text refuse: the derived copies
      // leave them out, so the memo still compacts; the Yjs state keeps exactly what was stored.
      // One the schema cannot read as it is (not opened since) is described as its repair leaves it.
      const json = toStorableJson(storedMemoJson(doc));
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
      return loaded.logRows;
    },
    { timeout: 60_000 },
  );
}
