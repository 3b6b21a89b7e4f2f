import { createSqlPool, type SqlPool, type SqlQuery } from "../database/sqlQuery";
import { logger } from "../logger";

// A document worker's own connection to PostgreSQL, for tasks that write what they produced
// (an import's memo: megabytes of state, JSON and text). Writing them from the worker keeps their
// serialisation into the wire protocol off the server's event loop, and the bytes never cross
// to the main thread. One connection per thread and database; it ends with the thread (an idle
// or recycled thread exits, see workerPool.ts).

const pools = new Map<string, SqlPool>();

/** This thread's connection to `databaseUrl`, for statements and transactions. */
export function workerSqlPool(databaseUrl: string): SqlPool {
  let pool = pools.get(databaseUrl);
  if (!pool) pools.set(databaseUrl, (pool = createSqlPool(databaseUrl, logger(), 1)));
  return pool;
}

/** The statement runner of this thread's connection to `databaseUrl`. */
export const workerSql = (databaseUrl: string): SqlQuery => workerSqlPool(databaseUrl).query;
