import type { Db } from "../db";
import { lockVersions, storeVersionContent } from "../versions/recordVersion";
import type { RenderedExport } from "./renderStoredMemo";

// The version of kind "export" that records what was sent out. recordVersion (server/versions)
// reads the memo and derives the version's content inside its transaction; for an export the
// worker already derived it from the very state it rendered
// (renderStoredMemo.ts), so this writes that content, with recordVersion's steps: under the same
// per-memo advisory lock the next number is taken, the content stored once per hash, and the
// memo's pending editors become the version's editors.
// Edits stored while the file was being rendered are not in it: then the pending editors are
// credited but kept pending, so that the next version credits them too (nobody is left out).

/** What the export version holds, with who made it and how. */
export type ExportVersionInput = RenderedExport["version"] & { note: string; createdById: string; editedAt: string };

/** Records the export version inside its own transaction (or the caller's). False when the memo is gone. */
export async function recordExportVersion(db: Db, memoId: string, input: ExportVersionInput): Promise<boolean> {
  const record = async (tx: Db) => {
    await lockVersions(tx, memoId);
    const [memo] = await tx.$queryRaw<{ pendingEditorIds: string[]; editedAt: string }[]>`
      SELECT "pendingEditorIds"::text[] AS "pendingEditorIds", "lastEditedAt"::text AS "editedAt" FROM "Memo" WHERE id = ${memoId}::uuid`;
    if (!memo) return false;
    const latest = await tx.memoVersion.findFirst({
      where: { memoId },
      orderBy: { number: "desc" },
      select: { number: true },
    });
    await storeVersionContent(tx, memoId, input);
    // As SQL too: Prisma's update returns the whole row, the memo's state and JSON included (3.4 MB for 10,000 items).
    if (memo.editedAt === input.editedAt)
      await tx.$executeRaw`UPDATE "Memo" SET "pendingEditorIds" = '{}' WHERE id = ${memoId}::uuid`;
    await tx.memoVersion.create({
      data: {
        memoId,
        number: (latest?.number ?? 0) + 1,
        kind: "export",
        note: input.note,
        createdById: input.createdById,
        editorIds: memo.pendingEditorIds,
        snapshot: input.snapshot,
        contentHash: input.hash,
      },
      select: { id: true },
    });
    return true;
  };
  return "$transaction" in db ? db.$transaction(record, { timeout: 30_000 }) : record(db);
}
