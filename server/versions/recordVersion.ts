import type { Db } from "../db";
import { readStoredState, storedBytes } from "../memos/storedMemoState";
import { runDocumentTask } from "../workers/heavyWork";
import type { VersionRecord } from "./versionContent";
import { recordStoredVersion } from "./versionWork";

export type VersionKind = "automatic" | "named" | "restore" | "export";

/** What to record. `onlyIfChanged` skips the version when the memo reads as its latest version does. */
export type VersionInput = {
  kind: VersionKind;
  name?: string | null;
  note?: string | null;
  createdById?: string | null;
  restoredFrom?: number | null;
  /** For restores: the update the restore applied (see MemoVersion.restoreUpdate). */
  restoreUpdate?: Uint8Array | null;
  onlyIfChanged?: boolean;
};

/** A recorded version's id and number. */
export type RecordedVersion = { id: string; number: number; contentHash: string };

/**
 * Records the memo's stored state as its next version, inside the caller's transaction. Versions
 * of one memo are numbered one at a time under an advisory lock, so two people saving at the same
 * moment get two versions and no error. Content is stored once per distinct text. The memo is
 * decoded in a document worker unless it is small (runDocumentTask): a version must be recorded,
 * so when the pool has no room it is derived here instead.
 */
export async function recordVersion(tx: Db, memoId: string, input: VersionInput): Promise<RecordedVersion | null> {
  await lockVersions(tx, memoId);
  const stored = await readStoredState(tx, memoId);
  if (!stored) return null;
  const record = await runDocumentTask("recordVersion", stored, {
    bytes: storedBytes(stored),
    inline: recordStoredVersion,
    mustRun: true,
  });
  return insertVersion(tx, memoId, record, input);
}

/** Takes the lock under which a memo's versions are numbered, until the transaction ends. */
export async function lockVersions(tx: Db, memoId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`memo-versions:${memoId}`}))`;
}

/**
 * Records `record` (a snapshot of the stored memo and what it shows) as the memo's next version,
 * under lockVersions. Its editors are the memo's pending editors (who edited since the last
 * version), which it clears, unless `editorIds` names them.
 */
export async function insertVersion(
  tx: Db,
  memoId: string,
  record: VersionRecord,
  input: VersionInput,
  editorIds?: string[],
): Promise<RecordedVersion | null> {
  const latest = await tx.memoVersion.findFirst({
    where: { memoId },
    orderBy: { number: "desc" },
    select: { number: true, contentHash: true },
  });
  if (input.onlyIfChanged && latest?.contentHash === record.hash) return null;

  await storeVersionContent(tx, memoId, record);
  // The people who edited since the last version become this version's editors.
  let editors = editorIds;
  if (!editors) {
    editors = (await tx.memo.findUniqueOrThrow({ where: { id: memoId }, select: { pendingEditorIds: true } }))
      .pendingEditorIds;
    await tx.memo.update({ where: { id: memoId }, data: { pendingEditorIds: [] } });
  }
  return tx.memoVersion.create({
    data: {
      memoId,
      number: (latest?.number ?? 0) + 1,
      kind: input.kind,
      name: input.name ?? null,
      note: input.note ?? null,
      createdById: input.createdById ?? null,
      editorIds: editors,
      snapshot: record.snapshot,
      contentHash: record.hash,
      restoredFrom: input.restoredFrom ?? null,
      restoreUpdate: (input.restoreUpdate ?? null) as Uint8Array<ArrayBuffer> | null,
    },
    select: { id: true, number: true, contentHash: true },
  });
}

/**
 * Stores a version's content once per distinct text. As SQL: Prisma's upsert reads the row back,
 * and its pg adapter turns the bytea into an array of numbers on the event loop (30–60 ms for a
 * 10,000-item memo).
 */
export async function storeVersionContent(
  tx: Db,
  memoId: string,
  record: Pick<VersionRecord, "hash" | "jsonGzip" | "words">,
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "MemoVersionContent" ("memoId", hash, "jsonGzip", words) VALUES (${memoId}::uuid, ${record.hash}, ${record.jsonGzip}, ${record.words}::int)
    ON CONFLICT ("memoId", hash) DO NOTHING`;
}
