import { PrismaPg } from "@prisma/adapter-pg";
import { createSqlPool, type SqlPool, type SqlQuery } from "./database/sqlQuery";
import { PrismaClient } from "./generated/prisma/client";
import { databaseUrl, loadEnv } from "./env";
import { logger } from "./logger";

export type { PrismaClient } from "./generated/prisma/client";
export { Prisma } from "./generated/prisma/client";

/** A Prisma client, or the client of an open interactive transaction. */
export type Db = PrismaClient | Transaction;

/** The client of an open interactive transaction. */
export type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

// One client per process. The Next.js bundle and the start command load separate copies of this
// module in the same process, so the client lives on globalThis rather than in a module variable.
const holder = globalThis as typeof globalThis & {
  __demarchePrisma?: PrismaClient;
  __demarcheSql?: SqlPool;
  __demarcheSearchSql?: SqlPool;
};

/** A search statement running longer than this is cancelled by PostgreSQL (the caller gets a 503). */
export const SEARCH_STATEMENT_TIMEOUT_MS = 3_000;
/** Searches at once per process; more wait for a connection, so searches never hold up the rest. */
const SEARCH_CONNECTIONS = 2;

/** Creates a Prisma client for a connection string (tests use their own databases, some with small pools). */
export function createPrismaClient(connectionString: string, poolSize = loadEnv().DATABASE_POOL_SIZE): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolSize }) });
}

/** The process-wide Prisma client for DATABASE_URL. */
export function db(): PrismaClient {
  if (!holder.__demarchePrisma) {
    holder.__demarchePrisma = createPrismaClient(databaseUrl());
  }
  return holder.__demarchePrisma;
}

/**
 * Plain SQL on a small pg pool for DATABASE_URL, for statements whose parameters are large (an
 * imported memo's state and JSON): Prisma's query engine handles parameters on the event loop,
 * about 60 ms per MB, where pg passes them through (see sqlQuery.ts).
 */
export function sql(): SqlQuery {
  if (!holder.__demarcheSql) {
    holder.__demarcheSql = createSqlPool(databaseUrl(), logger(), 4);
  }
  return holder.__demarcheSql.query;
}

/**
 * The pool search statements run on: its own two connections, so a burst of searches cannot take
 * the connections imports and exports use, each statement cancelled after
 * SEARCH_STATEMENT_TIMEOUT_MS.
 */
export function searchSql(): SqlQuery {
  if (!holder.__demarcheSearchSql) {
    holder.__demarcheSearchSql = createSqlPool(databaseUrl(), logger(), SEARCH_CONNECTIONS, {
      statementTimeoutMs: SEARCH_STATEMENT_TIMEOUT_MS,
    });
  }
  return holder.__demarcheSearchSql.query;
}

/** Disconnects the process-wide client and pools, if they were created. */
export async function disconnectDb(): Promise<void> {
  const client = holder.__demarchePrisma;
  const pools = [holder.__demarcheSql, holder.__demarcheSearchSql];
  holder.__demarchePrisma = undefined;
  holder.__demarcheSql = undefined;
  holder.__demarcheSearchSql = undefined;
  await Promise.all([client?.$disconnect(), ...pools.map((pool) => pool?.end())]);
}
