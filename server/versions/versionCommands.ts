import { recordRestore } from "../inbox/inboxRecords";
import { anchoredThreads, applyAnchorMoves } from "../comments/reanchorOrphanedComments";
import type { PrismaClient } from "../db";
import { notFound } from "../errors";
import { isUuid } from "../ids";
import { lockMemoLogAlone } from "../memos/memoStore";
import { readStoredState, storedBytes } from "../memos/storedMemoState";
import { runDocumentTask } from "../workers/heavyWork";
import { authorizeMemoWrite } from "../memos/memoAccess";
import { publishMemoEvent } from "../memos/memoEvents";
import { recordVersion, type RecordedVersion } from "./recordVersion";
import { namedVersionInput, versionLabelInput } from "./versionInput";
import { restoreChangeOf, type RestoreChange } from "./versionWork";
import { parseInput } from "../validation/parseInput";
import { REQUEST_LANE_WAIT_MS, transactionLane } from "../database/transactionLane";

/** Runs a request's history transaction in its turn (transactionLane.ts): 503 if it cannot start in time. */
const inHistoryLane = <T>(work: () => Promise<T>): Promise<T> =>
  transactionLane().run(work, { waitMs: REQUEST_LANE_WAIT_MS });

// Labels are checked after authorization, as comments are: someone who may not manage the
// history learns nothing from a malformed one.

/** Saves the memo as it is now as a named version ("Sent to the ambassador"). */
export async function saveNamedVersion(
  db: PrismaClient,
  userId: string,
  memoId: string,
  input: unknown,
): Promise<RecordedVersion> {
  const version = await inHistoryLane(() =>
    db.$transaction(
      async (tx) => {
        await authorizeMemoWrite(tx, userId, memoId, "manageVersions");
        const label = parseInput(namedVersionInput, input ?? {});
        return recordVersion(tx, memoId, { kind: "named", ...label, createdById: userId });
      },
      { timeout: 30_000 },
    ),
  );
  if (!version) throw notFound();
  return version;
}

/** Names (or renames, or annotates) an existing version; named versions are never pruned. */
export async function labelVersion(
  db: PrismaClient,
  userId: string,
  memoId: string,
  versionId: string,
  input: unknown,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await authorizeMemoWrite(tx, userId, memoId, "manageVersions");
    const label = parseInput(versionLabelInput, input ?? {});
    if (!isUuid(versionId)) throw notFound("Version");
    const updated = await tx.memoVersion.updateMany({ where: { id: versionId, memoId }, data: label });
    if (updated.count === 0) throw notFound("Version");
  });
}

/** The versions a restore produced: the saved current state (if it was new) and the restore itself. */
export type RestoreResult = { savedCurrent: RecordedVersion | null; restore: RecordedVersion };

/**
 * Restores a version without losing anything: the current state is saved as a version first; the
 * old content replaces the live document in one update (the smallest change y-tiptap's
 * updateYFragment finds, so unchanged passages keep their identity and comment anchors); the
 * restore is itself a version, so restoring again undoes it. Open editors receive the update
 * through the collaboration server (NOTIFY "updated"), at once and without a reload. The update,
 * and where orphaned comments go afterwards, are computed from one decoding of the memo, in a
 * document worker unless the memo is small (versionWork.ts): the transaction waits for it, the
 * event loop does not.
 *
 * Edits a colleague makes meanwhile in passages the restore removes are not lost either: the
 * update is computed from what is stored, so an edit still in the collaboration server's memory
 * (its batch waits for this transaction's lock on the log) or still on its way from a browser that
 * has not yet received the restore lands inside a deleted paragraph, where Yjs keeps it deleted.
 * The collaboration server, the one place that knows which edits it holds and acknowledges, finds
 * them and records them in a version before it acknowledges them (restoreWatch.ts, hiddenEdits.ts).
 * Computing the restore inside the collaboration server instead would shrink the window but not
 * close it (a browser's edit can still cross the restore on the wire, and another instance holds
 * its own unstored edits), and refusing to delete what others touched would need knowledge of
 * edits nobody has stored yet.
 */
export async function restoreVersion(
  db: PrismaClient,
  userId: string,
  memoId: string,
  versionId: string,
): Promise<RestoreResult> {
  let change: RestoreChange | undefined;
  const result = await inHistoryLane(() =>
    db.$transaction(
      async (tx) => {
        await authorizeMemoWrite(tx, userId, memoId, "manageVersions");
        if (!isUuid(versionId)) throw notFound("Version");
        const target = await tx.memoVersion.findFirst({
          where: { id: versionId, memoId },
          select: { number: true, content: { select: { jsonGzip: true } } },
        });
        if (!target) throw notFound("Version");
        // Before the "saved before restoring" version, which writes the memo's row (see lockMemoLogAlone).
        await lockMemoLogAlone(tx, memoId);
        const savedCurrent = await recordVersion(tx, memoId, {
          kind: "automatic",
          note: `Saved before restoring version ${target.number}`,
          onlyIfChanged: true,
        });
        // The version holding the text the restore replaces, to undo it: the one just saved, or the
        // latest when nothing changed since (recordVersion saved none).
        const replaced =
          savedCurrent ??
          (await tx.memoVersion.findFirst({
            where: { memoId },
            orderBy: { number: "desc" },
            select: { id: true, number: true },
          }));
        const stored = await readStoredState(tx, memoId);
        if (!stored) throw notFound();
        const threads = await anchoredThreads(tx, memoId);
        change = await runDocumentTask(
          "restoreChange",
          { stored, targetJsonGzip: target.content.jsonGzip, threads },
          { bytes: storedBytes(stored), inline: restoreChangeOf },
        );
        const { update } = change;
        if (update) {
          const row = await tx.memoUpdate.create({ data: { memoId, data: update, userId }, select: { seq: true } });
          await tx.memo.update({ where: { id: memoId }, data: { lastEditedAt: new Date(), lastEditorId: userId } });
          await tx.$executeRaw`UPDATE "Memo" SET "pendingEditorIds" = ARRAY(SELECT DISTINCT unnest("pendingEditorIds" || ${[userId]}::uuid[])) WHERE "id" = ${memoId}::uuid`;
          await publishMemoEvent(tx, { memoId, kind: "updated", seq: row.seq.toString() });
        }
        // The update is kept with the restore's version, and the memo names that version, so that
        // the collaboration server can find edits the restore hid (see restoreWatch.ts).
        const restore = (await recordVersion(tx, memoId, {
          kind: "restore",
          createdById: userId,
          restoredFrom: target.number,
          restoreUpdate: update,
        }))!;
        if (update) await tx.memo.update({ where: { id: memoId }, data: { lastRestoreNumber: restore.number } });
        if (update) {
          const by = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true } });
          const savedBefore = replaced && { id: replaced.id, number: replaced.number };
          const announcement = {
            byUserId: userId,
            byName: by.name,
            restoredFrom: target.number,
            savedBefore,
            at: new Date().toISOString(),
          };
          await publishMemoEvent(tx, { memoId, kind: "restored", announcement });
          await recordRestore(tx, { memoId, actorId: userId, restoredFrom: target.number });
        }
        return { savedCurrent, restore };
      },
      { timeout: 60_000 },
    ),
  );
  // Passages the restore brought back are new Yjs items: threads whose passage had been removed
  // find their quote again in the restored memo (after the commit, so the anchors point into
  // stored text; a thread re-anchored meanwhile by someone else is left where they put it).
  if (change) await applyAnchorMoves(db, memoId, change.moves);
  return result;
}
