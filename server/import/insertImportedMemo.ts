import crypto from "node:crypto";
import { sqlOf, type SqlRunner } from "../database/sqlQuery";
import type { PreparedImport } from "./prepareImport";

// Writes a memo prepared from a source (prepareImport.ts) with its version 1, as createMemo and
// recordVersion would, in one statement: the memo row, the version's content and the version.
// One statement is atomic on its own, so it needs no interactive transaction and runs through
// either SQL runner: the pg pool from a route handler, or a Prisma transaction (the seed's).
// The large values (Yjs state, JSON and text as UTF-8) go in as binary parameters, which pg sends
// as they are and PostgreSQL decodes itself: through Prisma's query engine, the 17 MB of a 512 KB
// import of "- x" lines blocked the event loop for 0.7–1.3 s.
// Timestamps are written as Prisma writes them: UTC in a timestamp without time zone.
// Parameters: $1 memo, $2 title, $3 owner, $4 state, $5 JSON, $6 text, $7 hash, $8 gzip JSON,
// $9 words, $10 version, $11 snapshot.
const INSERT_IMPORTED_MEMO = `
  WITH memo AS (
    INSERT INTO "Memo" (id, title, "ownerId", "lastEditorId", "ydocState", "contentJson", "contentText", "createdAt", "lastEditedAt")
    VALUES ($1::uuid, $2, $3::uuid, $3::uuid, $4::bytea, convert_from($5::bytea, 'UTF8')::jsonb, convert_from($6::bytea, 'UTF8'),
      now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
    RETURNING id
  ), content AS (
    INSERT INTO "MemoVersionContent" ("memoId", hash, "jsonGzip", words)
    SELECT id, $7, $8::bytea, $9::int FROM memo
    RETURNING "memoId", hash
  )
  INSERT INTO "MemoVersion" (id, "memoId", number, kind, note, "createdById", "editorIds", snapshot, "contentHash", "createdAt")
  SELECT $10::uuid, "memoId", 1, 'automatic', 'Created', $3::uuid, '{}', $11::bytea, hash, now() AT TIME ZONE 'UTC' FROM content
  RETURNING "memoId"::text AS id`;

/** Inserts the memo owned by `ownerId`, titled `title` (already checked). Returns its id. */
export async function insertImportedMemo(
  db: SqlRunner,
  input: { ownerId: string; title: string; prepared: PreparedImport },
): Promise<string> {
  const { ownerId, title, prepared } = input;
  const memoId = crypto.randomUUID();
  const { version } = prepared;
  await sqlOf(db)(
    INSERT_IMPORTED_MEMO,
    [
      memoId,
      title,
      ownerId,
      prepared.state,
      prepared.json,
      prepared.text,
      version.hash,
      version.jsonGzip,
      version.words,
      crypto.randomUUID(),
      version.snapshot,
    ],
    "insert-imported-memo",
  );
  return memoId;
}
