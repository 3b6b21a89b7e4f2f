import pg from "pg";
import type { Logger } from "pino";
import type { Db } from "../db";

// Plain SQL with positional parameters ($1, $2, …), through either of our two ways to PostgreSQL:
//   - the Prisma client (or one of its interactive transactions), for everything but the hot path;
//   - a small pg pool of the collaboration server, for what runs on every batch of every open memo
//     and on every memo load. Prisma 6's client engine compiles each request, raw SQL included, in
//     its WebAssembly query compiler: `npm run bench --profile=ours` showed ~1 ms of CPU per
//     statement there, more than everything else a batch costs. pg also keeps the statement
//     prepared per connection (named statements), so PostgreSQL does not plan it again either.
// Results come back as pg or Prisma produces them: callers select text (int8 as ::text, bytea as
// base64) so that both give the same JavaScript values.

/** Runs one statement and returns its rows. `name` prepares it once per connection (pg only). */
export type SqlQuery = <Row>(text: string, values: unknown[], name?: string) => Promise<Row[]>;

/** A statement runner over Prisma (a client or an open transaction). */
export function prismaSqlQuery(db: Db): SqlQuery {
  return (text, values) => db.$queryRawUnsafe(text, ...values);
}

/** What functions that run on both accept: a Prisma client or transaction, or a SqlQuery. */
export type SqlRunner = Db | SqlQuery;

/** The SqlQuery of either kind of runner. */
export const sqlOf = (db: SqlRunner): SqlQuery => (typeof db === "function" ? db : prismaSqlQuery(db));

/** The collaboration server's own connections; end() them on shutdown. */
export type SqlPool = {
  query: SqlQuery;
  /** Runs `work` in a transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (query: SqlQuery) => Promise<T>): Promise<T>;
  end(): Promise<void>;
};

/** A pg pool for `connectionString`. Connection failures reject the query; they never throw elsewhere. */
export function createSqlPool(
  connectionString: string,
  log: Logger,
  max = 8,
  options: { statementTimeoutMs?: number } = {},
): SqlPool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 10_000,
    query_timeout: 60_000,
    // PostgreSQL cancels a statement that runs longer (SQLSTATE 57014), however the client went.
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // An idle connection that breaks (PostgreSQL restarted) is dropped by the pool; without a
  // listener the 'error' event would end the process.
  pool.on("error", (error) => log.warn({ err: error }, "idle database connection failed"));
  return {
    query: async (text, values, name) => (await pool.query(name ? { name, text, values } : { text, values })).rows,
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      // While checked out, a client's connection errors are its holder's: pg-pool listens only
      // to idle clients, and an unheard 'error' would end the thread.
      const onError = (error: Error) => {
        broken = error;
        log.warn({ err: error }, "database connection failed during a transaction");
      };
      client.on("error", onError);
      try {
        await client.query("BEGIN");
        const result = await work(
          async (text, values, name) => (await client.query(name ? { name, text, values } : { text, values })).rows,
        );
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((rollback: Error) => (broken = rollback));
        throw error;
      } finally {
        // A connection that failed, or whose rollback failed, is in no state to serve the next caller.
        client.off("error", onError);
        client.release(broken);
      }
    },
    end: () => pool.end(),
  };
}
