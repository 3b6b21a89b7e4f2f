import * as Y from "yjs";
import type { PrismaClient } from "../db";
import type { SqlRunner } from "../database/sqlQuery";
import { plainTextFromMemoJson, memoJsonFromYdoc } from "../../common/editor/memoDocument";
import { findStructureProblems, repairMemoStructure } from "../editor/memoRepair";
import { publishMemoEvent } from "../memos/memoEvents";
import { toStorableJson } from "../../common/validation/storableText";
import { recordVersion } from "../versions/recordVersion";
import { loadMemoDocument, lockMemoLogAlone, type LoadedMemo } from "../memos/memoStore";

// A memo stored before updates were checked against the schema may not fit it, and the editor
// then deletes what it cannot show and writes that loss back (issue 17). The collaboration server
// is the one place every editor's copy comes from, so it checks each memo as it loads it (one pass,
// no write, for a valid memo) and repairs one that does not fit before anyone receives it: in one
// transaction, under the memo's log lock (as a restore takes it), a version of the memo as it was,
// the repair appended to the log like any edit (no author), and a version saying what was repaired.

const BEFORE_NOTE = "Saved before repairing the memo's structure";

/** The version note naming what was repaired, kept short. */
function repairedNote(problems: string[]): string {
  const named = problems.slice(0, 4).join("; ");
  return `Structure repaired: ${named}${problems.length > 4 ? `; and ${problems.length - 4} more` : ""}`;
}

/** Where loadMemoForEditing reports a repair, or a repair that failed. */
export type RepairLog = { warn(facts: object, message: string): void; error(facts: object, message: string): void };

/**
 * Loads a memo for the collaboration server, repairing its structure first when it does not fit
 * the schema. Null when the memo does not exist. A repair that fails (the database went away
 * mid-transaction) is logged and the memo is served as stored: browsers then show it read-only
 * (memoSchemaFit.ts) and the next load tries again, rather than nobody being able to open it.
 */
export async function loadMemoForEditing(
  db: PrismaClient,
  sql: SqlRunner,
  memoId: string,
  log: RepairLog,
): Promise<LoadedMemo | null> {
  const loaded = await loadMemoDocument(sql, memoId);
  if (!loaded || findStructureProblems(loaded.doc).length === 0) return loaded;
  let repaired: Awaited<ReturnType<typeof repairStoredMemo>>;
  try {
    repaired = await repairStoredMemo(db, memoId);
  } catch (error) {
    log.error({ err: error, memoId }, "memo structure repair failed; serving the memo as stored");
    return loaded;
  }
  loaded.doc.destroy();
  if (repaired && repaired.problems.length > 0)
    log.warn({ memoId, problems: repaired.problems }, "memo structure repaired at load");
  return repaired?.loaded ?? null;
}

/**
 * Repairs the stored structure of a memo and returns the memo as repaired, with what was wrong
 * (nothing when it fits: another process may have repaired it first). Null when it does not exist.
 */
export async function repairStoredMemo(
  db: PrismaClient,
  memoId: string,
): Promise<{ loaded: LoadedMemo; problems: string[] } | null> {
  return db.$transaction(
    async (tx) => {
      // Before the versions, which write the memo's row (see lockMemoLogAlone).
      await lockMemoLogAlone(tx, memoId);
      const loaded = await loadMemoDocument(tx, memoId);
      if (!loaded || findStructureProblems(loaded.doc).length === 0) return loaded && { loaded, problems: [] };
      await recordVersion(tx, memoId, { kind: "automatic", note: BEFORE_NOTE });
      const changes: Uint8Array[] = [];
      const keep = (update: Uint8Array) => changes.push(update);
      loaded.doc.on("update", keep);
      const repair = repairMemoStructure(loaded.doc);
      loaded.doc.off("update", keep);
      const update = changes.length === 1 ? changes[0] : Y.mergeUpdates(changes);
      let facts: Pick<LoadedMemo, "logRows" | "storedBytes" | "throughSeq">;
      if (repair.collected) {
        // The repair garbage-collected a subtree too deep to delete again on every load
        // (deepDeletion.ts): the memo is stored as its new state, replacing the log it folds in.
        const state = Y.encodeStateAsUpdate(loaded.doc);
        const json = toStorableJson(memoJsonFromYdoc(loaded.doc));
        await tx.memo.update({
          where: { id: memoId },
          data: {
            ydocState: state as Uint8Array<ArrayBuffer>,
            ...(loaded.throughSeq === null ? {} : { snapshotSeq: loaded.throughSeq }),
            contentJson: json as object,
            contentText: plainTextFromMemoJson(json),
          },
        });
        if (loaded.throughSeq !== null)
          await tx.memoUpdate.deleteMany({ where: { memoId, seq: { lte: loaded.throughSeq } } });
        facts = { logRows: 0, storedBytes: state.byteLength, throughSeq: null };
      } else {
        const row = await tx.memoUpdate.create({
          data: { memoId, data: update as Uint8Array<ArrayBuffer>, userId: null },
          select: { seq: true },
        });
        // Another instance that has the memo open (one not yet checking at load) applies it too.
        await publishMemoEvent(tx, { memoId, kind: "updated", seq: row.seq.toString() });
        facts = {
          logRows: loaded.logRows + 1,
          storedBytes: loaded.storedBytes + update.byteLength,
          throughSeq: row.seq,
        };
      }
      await recordVersion(tx, memoId, { kind: "automatic", note: repairedNote(repair.problems) });
      // The state read before the repair is no longer the memo's.
      return { loaded: { ...loaded, ...facts, fullState: undefined }, problems: repair.problems };
    },
    { timeout: 60_000 },
  );
}
