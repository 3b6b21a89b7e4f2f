import * as Y from "yjs";
import { newMemoDoc } from "./memoStore";
import { sqlOf, type SqlRunner } from "../database/sqlQuery";

// A memo's stored Yjs state as the database holds it, undecoded: decoding it (Y.applyUpdate) takes
// time that grows with the memo, so exports and version history decode it in a document worker
// (server/workers), not on the server's event loop, unless it is small (runDocumentTask). The
// same rows as memoStore.ts's loadMemoDocument reads, read the same way: the snapshot and the log
// rows after it in one statement, so from one MVCC snapshot, as base64 text (which both SQL
// runners pass through alike).

/** The snapshot and log of a memo, base64, and when it was last edited (to tell whether it changed since). */
export type StoredMemoState = { state: string; log: string | null; editedAt: string };

const READ_STORED_STATE = `
  SELECT encode(m."ydocState", 'base64') AS state, tail.log, m."lastEditedAt"::text AS "editedAt"
  FROM "Memo" m CROSS JOIN LATERAL (
    SELECT string_agg(encode(u.data, 'base64'), ',' ORDER BY u.seq) AS log
    FROM "MemoUpdate" u WHERE u."memoId" = m.id AND u.seq > m."snapshotSeq"
  ) tail
  WHERE m.id = $1::uuid`;

/** Reads a memo's stored state; null when the memo does not exist. */
export async function readStoredState(db: SqlRunner, memoId: string): Promise<StoredMemoState | null> {
  const [row] = await sqlOf(db)<StoredMemoState>(READ_STORED_STATE, [memoId], "read-stored-state");
  return row ?? null;
}

/** The part of a stored state a worker decodes: the snapshot and the log rows after it. */
export type StoredRows = Pick<StoredMemoState, "state" | "log">;

/** About how many bytes the stored state holds (base64 is 4 characters per 3 bytes): what decoding it costs. */
export const storedBytes = (stored: StoredRows): number =>
  Math.ceil(((stored.state.length + (stored.log?.length ?? 0)) * 3) / 4);

/** The memo's document from its stored rows (in a worker, or on the caller's thread when small). */
export function decodeStoredMemo(stored: StoredRows): Y.Doc {
  const doc = newMemoDoc();
  doc.transact(() => {
    Y.applyUpdate(doc, Buffer.from(stored.state, "base64"));
    // Base64 has no commas: each row is one update (as memoStore.ts's loadMemoDocument reads them).
    for (const row of stored.log?.split(",") ?? []) Y.applyUpdate(doc, Buffer.from(row, "base64"));
  });
  return doc;
}
