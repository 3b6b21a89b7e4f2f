import path from "node:path";
import pg from "pg";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { relabelCatalogTypesAsText } from "./prisma/catalogTypesAsText";
import { runMigrationScriptsWhole } from "./prisma/wholeMigrationScripts";

// The Prisma CLI cannot download its native engines on our machines, so it runs the WebAssembly
// schema engine through the pg driver adapter (see README, "Database"). Run it through
// `npm run prisma -- <command>`, which also supplies DATABASE_URL.
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  engine: "js",
  experimental: { adapter: true },
  async adapter() {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set: run Prisma through `npm run prisma -- <command>`");
    relabelCatalogTypesAsText();
    // allowExitOnIdle: the CLI never ends the pool, and idle clients would keep it alive for 10 s.
    const pool = new pg.Pool({ connectionString, allowExitOnIdle: true });
    return runMigrationScriptsWhole(new PrismaPg(pool, { disposeExternalPool: true }));
  },
});
