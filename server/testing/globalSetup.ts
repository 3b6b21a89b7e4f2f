import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../database/embeddedPostgres";
import { applyMigrations } from "../database/migrate";

// One real PostgreSQL for the whole integration run. Migrations are applied once to a template
// database; every test file then gets its own copy (CREATE DATABASE … TEMPLATE), so files run in
// parallel and in any order without seeing each other's rows.

export const TEMPLATE_DATABASE = "demarche_template";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the test cluster's maintenance database (to create per-file databases). */
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "demarche-test-"));
  // PostgreSQL runs as the postgres user when we are root: it must be able to enter the folder.
  await fs.chmod(dataDir, 0o755);
  const postgres = await startEmbeddedPostgres(dataDir, pino({ level: "warn" }));
  const adminUrl = postgres.url.replace(/\/[^/]+$/, "/postgres");
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  await applyMigrations(adminUrl.replace(/\/postgres$/, `/${TEMPLATE_DATABASE}`));
  project.provide("postgresAdminUrl", adminUrl);

  return async () => {
    await postgres.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
}
