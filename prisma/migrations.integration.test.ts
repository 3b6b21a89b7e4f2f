import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from "../server/testing/testDatabase";

// schema.prisma and the committed migrations must describe the same database. `prisma migrate diff
// --from-migrations` cannot run here (it needs PostgreSQL ≤ 17 catalog support in Prisma 6.19's
// WebAssembly engine), so we build one database from the migrations (`migrate deploy`, the
// template every test uses) and one straight from schema.prisma (`migrate diff --from-empty
// --to-schema-datamodel --script`), and compare their catalogs.

const CATALOG_QUERIES = {
  columns: `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
                   character_maximum_length, numeric_precision, datetime_precision
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1, 2`,
  indexes: `SELECT tablename, indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1, 2`,
  constraints: `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
                FROM pg_constraint
                WHERE connamespace = 'public'::regnamespace
                  AND conrelid NOT IN (SELECT oid FROM pg_class WHERE relname = '_prisma_migrations')
                ORDER BY 1, 2`,
  enums: `SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY 1, e.enumsortorder`,
};

async function catalog(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result: Record<string, unknown[]> = {};
    for (const [name, query] of Object.entries(CATALOG_QUERIES)) result[name] = (await client.query(query)).rows;
    return result;
  } finally {
    await client.end();
  }
}

// What the migrations create that schema.prisma cannot say: these must exist, by name, and are
// left out of the comparison. (Functions and triggers are not compared at all.)
const BEYOND_SCHEMA = {
  indexes: ["SearchEntry_text_trgm_idx"],
  constraints: ["SearchEntry_kind_check"],
};

/** The catalog without the objects of BEYOND_SCHEMA, after checking they are there. */
function withoutBeyondSchema(catalog: Record<string, unknown[]>) {
  const indexes = catalog.indexes as { indexname: string }[];
  const constraints = catalog.constraints as { conname: string }[];
  expect(indexes.map((index) => index.indexname)).toEqual(expect.arrayContaining(BEYOND_SCHEMA.indexes));
  expect(constraints.map((constraint) => constraint.conname)).toEqual(
    expect.arrayContaining(BEYOND_SCHEMA.constraints),
  );
  return {
    ...catalog,
    indexes: indexes.filter((index) => !BEYOND_SCHEMA.indexes.includes(index.indexname)),
    constraints: constraints.filter((constraint) => !BEYOND_SCHEMA.constraints.includes(constraint.conname)),
  };
}

let fromMigrations: TestDatabase;
let fromSchema: { url: string; drop(): Promise<void> };

beforeAll(async () => {
  fromMigrations = await createTestDatabase();
  fromSchema = await createEmptyDatabase();
});
afterAll(async () => {
  await fromMigrations.drop();
  await fromSchema.drop();
});

describe("prisma/schema.prisma and prisma/migrations", () => {
  it("describe the same tables, columns, indexes and constraints", async () => {
    const diff = spawnSync(
      process.execPath,
      [
        path.resolve("scripts/prisma.mjs"),
        "migrate",
        "diff",
        "--from-empty",
        "--to-schema-datamodel",
        "prisma/schema.prisma",
        "--script",
      ],
      { env: { ...process.env, DATABASE_URL: fromSchema.url }, encoding: "utf8" },
    );
    expect(diff.status, diff.stderr).toBe(0);
    const client = new pg.Client({ connectionString: fromSchema.url });
    await client.connect();
    await client.query(diff.stdout);
    await client.end();

    const expected = await catalog(fromSchema.url);
    const actual = withoutBeyondSchema(await catalog(fromMigrations.url));
    expect(expected.columns.length).toBeGreaterThan(10);
    expect(actual).toEqual(expected);
  });
});
