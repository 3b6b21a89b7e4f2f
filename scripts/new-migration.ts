// `npm run db:migration -- <name>`: writes prisma/migrations/<UTC timestamp>_<name>/migration.sql
// as the diff from the schema at git HEAD to prisma/schema.prisma. `prisma migrate dev` cannot run
// here (it needs engines we cannot download), and Prisma's diff needs a database connection even
// between two schema files, so this starts a throwaway embedded PostgreSQL for it.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { startEmbeddedPostgres } from "../server/database/embeddedPostgres";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  process.stderr.write("Usage: npm run db:migration -- <name_in_snake_case>\n");
  process.exit(2);
}
const base = process.env.MIGRATION_BASE ?? "HEAD";
const previous = path.join(os.tmpdir(), `previous-schema-${process.pid}.prisma`);
await fs.writeFile(previous, execFileSync("git", ["show", `${base}:prisma/schema.prisma`]));
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "demarche-migration-"));
await fs.chmod(dataDir, 0o755);
const postgres = await startEmbeddedPostgres(dataDir, pino({ level: "warn" }));
try {
  const diff = spawnSync(
    process.execPath,
    [
      "scripts/prisma.mjs",
      "migrate",
      "diff",
      "--from-schema-datamodel",
      previous,
      "--to-schema-datamodel",
      "prisma/schema.prisma",
      "--script",
    ],
    { env: { ...process.env, DATABASE_URL: postgres.url }, encoding: "utf8" },
  );
  if (diff.status !== 0) throw new Error(diff.stderr);
  if (!/\b(CREATE|ALTER|DROP)\b/.test(diff.stdout)) {
    process.stdout.write("schema.prisma matches the last committed schema: no migration written\n");
  } else {
    // Migrations apply in name order: never name one before the newest existing one.
    const existing = (await fs.readdir(path.join("prisma", "migrations")))
      .filter((entry) => /^\d{14}_/.test(entry))
      .sort();
    const newest = existing.at(-1)?.slice(0, 14) ?? "0";
    const now = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const stamp = now > newest ? now : String(BigInt(newest) + 1n);
    const folder = path.join("prisma", "migrations", `${stamp}_${name}`);
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path.join(folder, "migration.sql"), diff.stdout);
    process.stdout.write(`wrote ${folder}/migration.sql\n`);
  }
} finally {
  await postgres.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.rm(previous, { force: true });
}
