import { sqlOf, type SqlRunner } from "../database/sqlQuery";
import { databaseUrl } from "../env";
import { logger } from "../logger";
import { runHeavyTask } from "../workers/heavyWork";
import { createSearchIndexer, type SearchIndexer } from "./searchIndexer";

// The process's search indexer: the collaboration server tells it of stored edits, routes of
// restores, and at start-up it catches up on memos never indexed (created before search existed,
// or whose indexing failed at import). Bodies are indexed by the document workers. Route handlers,
// bundled by Next.js, and the start command load separate copies of this module in one process,
// so the indexer lives on globalThis (as the worker pool does, heavyWork.ts).

/** An edit is searchable about this long after it was stored, plus one indexing. */
export const SEARCH_INDEX_DELAY_MS = 1_000;
/** Memos indexed at once: the rest of the worker pool stays free for imports and exports. */
const CONCURRENT_INDEXING = 2;

const holder = globalThis as typeof globalThis & { __demarcheSearchIndexer?: SearchIndexer };

/** The process-wide search indexer, created on first use. */
export function searchIndexer(): SearchIndexer {
  holder.__demarcheSearchIndexer ??= createSearchIndexer({
    index: (memoId) => runHeavyTask("indexMemo", { memoId, databaseUrl: databaseUrl() }),
    delayMs: SEARCH_INDEX_DELAY_MS,
    concurrency: CONCURRENT_INDEXING,
    log: logger().child({ component: "search" }),
  });
  return holder.__demarcheSearchIndexer;
}

/** Schedules every memo whose body was never indexed; returns how many. */
export async function indexUnindexedMemos(db: SqlRunner, indexer: SearchIndexer): Promise<number> {
  const memos = await sqlOf(db)<{ id: string }>(
    `SELECT m.id::text AS id FROM "Memo" m
     WHERE NOT EXISTS (SELECT 1 FROM "MemoSearchIndex" s WHERE s."memoId" = m.id)`,
    [],
    "search-unindexed-memos",
  );
  for (const memo of memos) indexer.changed(memo.id);
  return memos.length;
}

/** Stops the process's indexer, if it was started; waits for the indexing under way. */
export async function closeSearchIndexer(): Promise<void> {
  const indexer = holder.__demarcheSearchIndexer;
  holder.__demarcheSearchIndexer = undefined;
  await indexer?.close();
}
