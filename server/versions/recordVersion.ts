import * as Y from "yjs";
import type { Db } from "../db";
import { loadMemoDoc } from "../collab/persistence";
import { gzipJson, versionContentOf } from "./versionContent";

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
 * moment get two versions and no error. Content is stored once per distinct text.
 */
export async function recordVersion(tx: Db, memoId: string, input: VersionInput): Promise<RecordedVersion | null> {
  await lockVersions(tx, memoId);
  const loaded = await loadMemoDoc(tx, memoId);
  if (!loaded) return null;
  try {
    return await insertVersion(tx, memoId, loaded.doc, Y.snapshot(loaded.doc), input);
  } finally {
    loaded.doc.destroy();
  }
}

/** Takes the lock under which a memo's versions are numbered, until the transaction ends. */
export async function lockVersions(tx: Db, memoId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`memo-versions:${memoId}`}))`;
}

/**
 * Records `snapshot` of the stored memo as its next version, showing what `doc` shows (the memo
 * at that snapshot), under lockVersions. Its editors are the memo's pending editors (who edited
 * since the last version), which it clears, unless `editorIds` names them.
 */
export async function insertVersion(
  tx: Db,
  memoId: string,
  doc: Y.Doc,
  snapshot: Y.Snapshot,
  input: VersionInput,
  editorIds?: string[],
): Promise<RecordedVersion | null> {
  const content = versionContentOf(doc);
  const latest = await tx.memoVersion.findFirst({ where: { memoId }, orderBy: { number: "desc" }, select: { number: true, contentHash: true } });
  if (input.onlyIfChanged && latest?.contentHash === content.hash) return null;

  await tx.memoVersionContent.upsert({
    where: { memoId_hash: { memoId, hash: content.hash } },
    create: { memoId, hash: content.hash, jsonGzip: gzipJson(content.json), words: content.words },
    update: {},
  });
  // The people who edited since the last version become this version's editors.
  let editors = editorIds;
  if (!editors) {
    editors = (await tx.memo.findUniqueOrThrow({ where: { id: memoId }, select: { pendingEditorIds: true } })).pendingEditorIds;
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
      snapshot: Y.encodeSnapshot(snapshot) as Uint8Array<ArrayBuffer>,
      contentHash: content.hash,
      restoredFrom: input.restoredFrom ?? null,
      restoreUpdate: (input.restoreUpdate ?? null) as Uint8Array<ArrayBuffer> | null,
    },
    select: { id: true, number: true, contentHash: true },
  });
}
