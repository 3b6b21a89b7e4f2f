import * as Y from "yjs";
import type { Db, PrismaClient } from "../db";
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

/** Loads a memo's document, or null when the memo does not exist. */
export async function loadMemoDoc(db: Db, memoId: string): Promise<LoadedMemo | null> {
  // Snapshot and log tail must be read as one: a compaction committing between the two reads
  // would trim rows the old snapshot lacks. The shared lock keeps compaction out meanwhile.
  const read = async (tx: Db) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtext(${compactionLockKey(memoId)}))`;
    const memo = await tx.memo.findUnique({ where: { id: memoId }, select: { ydocState: true, snapshotSeq: true } });
    if (!memo) return null;
    const rows = await tx.memoUpdate.findMany({
      where: { memoId, seq: { gt: memo.snapshotSeq } },
      orderBy: { seq: "asc" },
      select: { data: true },
    });
    return { snapshot: memo.ydocState, rows };
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
  const lastEditorId = [...batch].reverse().find((update) => update.userId !== null)?.userId ?? undefined;
  const editorIds = [...new Set(batch.flatMap((update) => (update.userId ? [update.userId] : [])))];
  const clientUsers = rows.flatMap((row) =>
    row.userId ? authoringClients(row.data).map((clientId) => ({ memoId, clientId: BigInt(clientId), userId: row.userId! })) : [],
  );
  try {
    await db.$transaction([
      // Shared with other writers, exclusive with compaction: compaction deletes rows by seq, so no
      // append may be in flight (holding a lower seq) while it reads.
      db.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtext(${compactionLockKey(memoId)}))`,
      db.memoUpdate.createMany({
        data: rows.map((row) => ({ memoId, data: row.data as Uint8Array<ArrayBuffer>, userId: row.userId })),
      }),
      db.memo.update({
        where: { id: memoId },
        data: { lastEditedAt: new Date(), ...(lastEditorId ? { lastEditorId } : {}) },
        select: { id: true },
      }),
      db.$executeRaw`UPDATE "Memo" SET "pendingEditorIds" = ARRAY(SELECT DISTINCT unnest("pendingEditorIds" || ${editorIds}::uuid[])) WHERE "id" = ${memoId}::uuid`,
      db.memoClientUser.createMany({ data: clientUsers, skipDuplicates: true }),
    ]);
    return true;
  } catch (error) {
    if (isMissingMemo(error)) return false;
    throw error;
  }
}

function isMissingMemo(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  // P2025: record to update not found; P2003: foreign key (the memo row is gone).
  return code === "P2025" || code === "P2003";
}

/** Folds the memo's log into a new snapshot. Returns how many log rows were folded in. */
export async function compactMemo(db: PrismaClient, memoId: string): Promise<number> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${compactionLockKey(memoId)}))`;
    const memo = await tx.memo.findUnique({ where: { id: memoId }, select: { ydocState: true, snapshotSeq: true } });
    if (!memo) return 0;
    const rows = await tx.memoUpdate.findMany({
      where: { memoId, seq: { gt: memo.snapshotSeq } },
      orderBy: { seq: "asc" },
      select: { seq: true, data: true },
    });
    if (rows.length === 0) return 0;
    const doc = newMemoDoc();
    Y.applyUpdate(doc, memo.ydocState);
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
