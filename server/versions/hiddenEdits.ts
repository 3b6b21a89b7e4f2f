import * as Y from "yjs";
import type { Db, PrismaClient } from "../db";
import { newMemoDoc } from "../memos/memoStore";
import { decodeStoredMemo, readStoredState, storedBytes, type StoredRows } from "../memos/storedMemoState";
import { runDocumentTask } from "../workers/heavyWork";
import { deleteSetOf, rangesOf, rangesWithin, subtractRanges, unionRanges, type ClockRanges } from "./clockRanges";
import type { DeleteSet } from "../../common/protocol/saveAck";
import { insertVersion, lockVersions, storeVersionContent, type RecordedVersion } from "./recordVersion";
import { docAtVersion, versionRecordOf, type VersionRecord } from "./versionContent";

// Edits a restore hid. A restore replaces the memo in one update computed from what is stored; an
// edit the collaboration server held in memory meanwhile, or one typed before its author's editor
// received the restore, lands inside a paragraph the update deleted: Yjs stores it, but as deleted
// content, which neither the restored memo nor the version saved before the restore shows. The
// collaboration server finds such edits (restoreWatch.ts) and, before it acknowledges them, has
// them recorded here in a version: the memo as its colleagues had it, that is every stored edit
// except the restore's own (its insertions and deletions), with the hidden edits showing.

/** The note of the version that keeps the edits a restore of version `restoredFrom` hid. */
export const hiddenEditsNote = (restoredFrom: number) =>
  `Saved before restoring version ${restoredFrom}, with the edits made during the restore`;

/** A restore that changed the memo, as its version keeps it. */
export type StoredRestore = { number: number; update: Uint8Array };

/** The restores of a memo after version `after` (all when null) that changed it, oldest first. */
export async function storedRestoresAfter(db: Db, memoId: string, after: number | null): Promise<StoredRestore[]> {
  const rows = await db.memoVersion.findMany({
    where: { memoId, kind: "restore", number: { gt: after ?? 0 }, restoreUpdate: { not: null } },
    orderBy: { number: "asc" },
    select: { number: true, restoreUpdate: true },
  });
  return rows.map((row) => ({ number: row.number, update: row.restoreUpdate! }));
}

/**
 * The stored memo without a restore: every item except the restore's own, deleted as stored
 * except for what the restore deleted and for `hidden` (deleted only because they landed in what
 * the restore deleted). Edits that build on the restore's content cannot be without it and are
 * left out (they are in the restored memo).
 */
export function snapshotWithoutRestore(stored: Y.Doc, restoreUpdate: Uint8Array, hidden: ClockRanges): Y.Snapshot {
  const restore = Y.decodeUpdate(restoreUpdate);
  const full = Y.snapshot(stored);
  const stateVector = new Map(full.sv);
  // The restore's items are its own client's, from the first clock it wrote.
  for (const struct of restore.structs) {
    const first = Math.min(stateVector.get(struct.id.client) ?? Infinity, struct.id.clock);
    stateVector.set(struct.id.client, first);
  }
  const deletions = subtractRanges(subtractRanges(rangesOf(full.ds), rangesOf(restore.ds)), hidden);
  // Yjs leaves out (as pending) what depends on items the state vector excludes; the snapshot
  // keeps only what the document then holds, so that it rebuilds exactly.
  const draft = Y.createDocFromSnapshot(stored, Y.createSnapshot(deleteSetOf(deletions), stateVector), newMemoDoc());
  const held = Y.decodeStateVector(Y.encodeStateVector(draft));
  draft.destroy();
  return Y.createSnapshot(deleteSetOf(rangesWithin(deletions, held)), held);
}

/** Items a snapshot does not show: those beyond its state vector (up to `upTo`) and those it deletes. */
function hiddenBy(snapshot: Y.Snapshot, upTo: Map<number, number>): ClockRanges {
  const beyond: ClockRanges = new Map();
  for (const [client, clock] of upTo) {
    const from = snapshot.sv.get(client) ?? 0;
    if (clock > from) beyond.set(client, [[from, clock]]);
  }
  return unionRanges(rangesOf(snapshot.ds), beyond);
}

/** A snapshot showing every item that either snapshot shows. */
export function snapshotUnion(a: Y.Snapshot, b: Y.Snapshot): Y.Snapshot {
  const stateVector = new Map(a.sv);
  for (const [client, clock] of b.sv) stateVector.set(client, Math.max(clock, stateVector.get(client) ?? 0));
  const hiddenByA = hiddenBy(a, stateVector);
  const hiddenByBoth = subtractRanges(hiddenByA, subtractRanges(hiddenByA, hiddenBy(b, stateVector)));
  return Y.createSnapshot(deleteSetOf(hiddenByBoth), stateVector);
}

/** What the version keeping a restore's hidden edits is computed from (in a document worker). */
export type HiddenEditsInput = {
  stored: StoredRows;
  restoreUpdate: Uint8Array;
  hidden: ClockRanges;
  /** The snapshot of the version to widen, when the latest one keeps this restore's hidden edits already. */
  widening: Uint8Array | null;
};

/**
 * The version showing the memo without the restore and with its hidden edits (and, when widening,
 * what the version widened showed): it decodes the whole stored memo, deletions included, so it
 * runs in a document worker unless the memo is small (runDocumentTask).
 */
export function hiddenEditsRecord(input: HiddenEditsInput): VersionRecord {
  const stored = decodeStoredMemo(input.stored);
  try {
    let snapshot = snapshotWithoutRestore(stored, input.restoreUpdate, input.hidden);
    if (input.widening) snapshot = snapshotUnion(Y.decodeSnapshot(input.widening), snapshot);
    const doc = docAtVersion(stored, Y.encodeSnapshot(snapshot));
    try {
      return versionRecordOf(doc, snapshot);
    } finally {
      doc.destroy();
    }
  } finally {
    stored.destroy();
  }
}

/**
 * Records, after `restoreNumber`, a version that shows the edits of `hidden` the restore hid,
 * which must be stored. If the latest version is already the one keeping this restore's hidden
 * edits (several batches can hold some), it is widened to show what it showed and these too
 * (whichever instance recorded it), rather than followed by a near copy.
 */
export async function keepHiddenEdits(
  db: PrismaClient,
  memoId: string,
  restoreNumber: number,
  hidden: DeleteSet,
): Promise<RecordedVersion | null> {
  return db.$transaction(
    async (tx) => {
      await lockVersions(tx, memoId);
      const restore = await tx.memoVersion.findUnique({
        where: { memoId_number: { memoId, number: restoreNumber } },
        select: { restoreUpdate: true, restoredFrom: true },
      });
      if (!restore?.restoreUpdate) return null;
      const note = hiddenEditsNote(restore.restoredFrom ?? 0);
      const latest = await tx.memoVersion.findFirst({
        where: { memoId },
        orderBy: { number: "desc" },
        select: { id: true, number: true, kind: true, note: true, snapshot: true, editorIds: true, contentHash: true },
      });
      const stored = await readStoredState(tx, memoId);
      if (!stored || !latest) return null;
      const hiddenRanges = rangesOf(hidden);
      const owners = await tx.memoClientUser.findMany({
        where: { memoId, clientId: { in: [...hiddenRanges.keys()].map((client) => BigInt(client)) } },
        select: { userId: true },
      });
      const editorIds = [...new Set(owners.map((owner) => owner.userId))];
      // The latest version kept this restore's hidden edits already when it came after the restore with
      // that note (no later restore: it would be the latest version, or come before one).
      const widen = latest.number > restoreNumber && latest.kind === "automatic" && latest.note === note;
      const input = {
        stored,
        restoreUpdate: restore.restoreUpdate,
        hidden: hiddenRanges,
        widening: widen ? latest.snapshot : null,
      };
      const record = await runDocumentTask("hiddenEditsVersion", input, {
        bytes: storedBytes(stored),
        inline: hiddenEditsRecord,
        mustRun: true,
      });
      if (!widen)
        return await insertVersion(tx, memoId, record, { kind: "automatic", note, onlyIfChanged: true }, editorIds);
      if (record.hash === latest.contentHash) return null;
      await storeVersionContent(tx, memoId, record);
      return await tx.memoVersion.update({
        where: { id: latest.id },
        data: {
          snapshot: record.snapshot,
          contentHash: record.hash,
          editorIds: [...new Set([...latest.editorIds, ...editorIds])],
        },
        select: { id: true, number: true, contentHash: true },
      });
    },
    { timeout: 30_000 },
  );
}
