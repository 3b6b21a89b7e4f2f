import type { JSONContent } from "../../common/editor/memoDocument";
import type { SqlPool, SqlQuery } from "../database/sqlQuery";
import { storedMemoJson } from "../editor/memoRepair";
import { loadMemoDocument } from "../memos/memoStore";
import { toStorableJson } from "../../common/validation/storableText";
import { memoSections, type MemoSection } from "./memoSections";

// Writes a memo's body sections into the search index (the SearchEntry rows of kind "section";
// titles, details and comments are kept current by triggers, see the search migration). Runs in a
// document worker, from its own connection: loading a memo and cutting it into sections grows with
// its size, so it never runs on the collaboration server's event loop.
// Two instances may index one memo at once. Each takes the memo's search lock first and reads the
// memo only then, so whichever commits last read the newest state: an older state never
// overwrites a newer one.

// The lock's key is defined once, by the SQL function the triggers take it with (search migration).
const LOCK = `SELECT demarche_search_lock($1::uuid)`;

const REMOVE_SECTIONS = `DELETE FROM "SearchEntry" WHERE "memoId" = $1::uuid AND "kind" = 'section'`;

// The memo's language goes with each section (the trigger picks the configuration from it). A
// memo deleted meanwhile gets no rows: the EXISTS and the foreign key keep the index clean.
const WRITE_SECTIONS = `
  WITH memo AS (
    SELECT m.id, d."language" FROM "Memo" m LEFT JOIN "MemoMetadata" d ON d."memoId" = m.id WHERE m.id = $1::uuid
  ), sections AS (
    INSERT INTO "SearchEntry" ("memoId", "kind", "ref", "blockIndex", "heading", "body", "language")
    SELECT memo.id, 'section', s.ordinal::text, s.block, s.heading, s.body, memo."language"
    FROM memo, unnest($2::int[], $3::int[], $4::text[], $5::text[]) AS s(ordinal, block, heading, body)
    RETURNING 1
  )
  INSERT INTO "MemoSearchIndex" ("memoId", "indexedAt")
  SELECT id, now() AT TIME ZONE 'UTC' FROM memo
  ON CONFLICT ("memoId") DO UPDATE SET "indexedAt" = excluded."indexedAt"
  RETURNING (SELECT count(*) FROM sections)::int AS sections`;

/** Replaces the memo's sections in the index, inside the caller's transaction, which holds the memo's search lock. */
async function writeMemoSections(query: SqlQuery, memoId: string, sections: MemoSection[]): Promise<number> {
  await query(REMOVE_SECTIONS, [memoId], "search-remove-sections");
  const [written] = await query<{ sections: number }>(
    WRITE_SECTIONS,
    [
      memoId,
      sections.map((section) => section.ordinal),
      sections.map((section) => section.blockIndex),
      sections.map((section) => section.heading),
      sections.map((section) => section.text),
    ],
    "search-write-sections",
  );
  return written?.sections ?? 0;
}

/** Indexes the memo's body as stored now (snapshot and log). Returns the sections written, or null when the memo is gone. */
export async function indexStoredMemo(pool: SqlPool, memoId: string): Promise<number | null> {
  return pool.transaction(async (query) => {
    // The lock comes before the read (see above).
    await query(LOCK, [memoId], "search-lock");
    const loaded = await loadMemoDocument(query, memoId);
    if (!loaded) return null;
    const json = toStorableJson(storedMemoJson(loaded.doc)) as JSONContent;
    loaded.doc.destroy();
    return writeMemoSections(query, memoId, memoSections(json));
  });
}

/** Indexes a memo just written from its JSON (an import), inside no transaction of the caller's. */
export async function indexMemoJson(pool: SqlPool, memoId: string, json: JSONContent): Promise<number> {
  return pool.transaction(async (query) => {
    await query(LOCK, [memoId], "search-lock");
    return writeMemoSections(query, memoId, memoSections(json));
  });
}
