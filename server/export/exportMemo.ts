import type { Db } from "../db";
import type { SqlQuery } from "../database/sqlQuery";
import { notFound } from "../errors";
import { authorizeMemo } from "../memos/memoAccess";
import { readMemoMetadata } from "../memos/memoMetadata";
import { parseInput } from "../validation/parseInput";
import { runHeavyTask } from "../workers/heavyWork";
import type { WorkerPool } from "../workers/workerPool";
import { attachmentDisposition } from "./exportFileName";
import { CONTENT_TYPES, EXPORT_FORMATS, FORMAT_LABELS, type ExportFormat } from "../../common/export/exportFormats";
import { exportInput } from "./exportInput";
import { memoPeopleNames } from "./exportPeople";
import { fileDateOf } from "./exportModel";
import { recordExportVersion } from "./exportVersion";
import { readStoredState } from "../memos/storedMemoState";
import { REQUEST_LANE_WAIT_MS, transactionLane, type TransactionLane } from "../database/transactionLane";

// Exporting a memo: who may, what is exported, and how the file is named. What grows with the
// memo (decoding its state, the limits, rendering, the version's content) runs in a document
// worker (renderStoredMemo.ts); here, on the server's event loop, are the reads before and the
// version write after.

export { EXPORT_FORMATS, type ExportFormat };

/** An exported file, ready to send. */
export type ExportedFile = { bytes: Uint8Array; contentType: string; contentDisposition: string };

/** Exports the current state of a memo the user may export, in `format` (checked after authorization).
 * The state is what the database holds: an edit reaches it at most PERSIST_BATCH_MS after it was
 * typed, so a memo open in the collaboration server exports all but its last few milliseconds.
 * `sql`, when given, reads the state (the largest read) through that runner instead of `db`;
 * `pool`, when given, renders on that worker pool instead of the process-wide one; `lane`, when
 * given, records the export's version in that lane instead of the process-wide one. */
export async function exportMemo(
  db: Db,
  userId: string,
  memoId: string,
  requestedFormat: unknown,
  options: {
    markings: readonly string[];
    /** "clean" (default) or "review" (suggestions as tracked changes); checked with the format. */
    copy?: unknown;
    now?: Date;
    sql?: SqlQuery;
    pool?: WorkerPool;
    lane?: TransactionLane;
  },
): Promise<ExportedFile> {
  const memo = await authorizeMemo(db, userId, memoId, "export");
  // After authorization: someone who may not export learns nothing from a malformed request.
  const { format, copy } = parseInput(exportInput, { format: requestedFormat, copy: options.copy });
  const people = copy === "review" ? await memoPeopleNames(db, memoId) : undefined;
  const stored = await readStoredState(options.sql ?? db, memoId);
  if (!stored) throw notFound();
  const metadata = await readMemoMetadata(db, memoId, options.markings);
  const exportedAt = options.now ?? new Date();
  const rendered = await runHeavyTask(
    "renderExport",
    {
      format,
      title: memo.title,
      metadata,
      exportedAt: exportedAt.toISOString(),
      copy,
      people,
      state: stored.state,
      log: stored.log,
    },
    options.pool,
  );
  // The history shows what was sent out, and when: every export is a version of kind "export",
  // recorded in its turn with the other history writes; a file whose record could not be written
  // in time is not sent (503, try again), so every export that reached someone is in the history.
  await (options.lane ?? transactionLane()).run(
    () =>
      recordExportVersion(db, memoId, {
        ...rendered.version,
        note: `Exported as ${FORMAT_LABELS[format]}${copy === "review" ? " (review copy)" : ""}`,
        createdById: userId,
        editedAt: stored.editedAt,
      }),
    { waitMs: REQUEST_LANE_WAIT_MS },
  );
  const contentDisposition = attachmentDisposition(memo.title, fileDateOf({ metadata, exportedAt }), format);
  return { bytes: rendered.bytes, contentType: CONTENT_TYPES[format], contentDisposition };
}
