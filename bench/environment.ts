import crypto from "node:crypto";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { signUp } from "../server/accounts/signUp";
import { encodeSessionToken, sessionCookieName } from "../server/accounts/sessionToken";
import { startSession } from "../server/accounts/userSessions";
import { startEmbeddedPostgres } from "../server/database/embeddedPostgres";
import { applyMigrations } from "../server/database/migrate";
import { createPrismaClient, type PrismaClient } from "../server/db";
import type { JSONContent } from "../common/editor/memoDocument";
import { createMemo } from "../server/memos/memoCommands";
import { onCleanup } from "./childProcesses";
import { OPENING_LINE } from "./documents";
import { HOCUSPOCUS_TABLE } from "./servers/hocuspocusTable";

// What every server under test shares: a temp folder, one embedded PostgreSQL (migrated like
// production), an analyst created through the sign-up domain function, her session cookie, and
// memos created through createMemo. All of it is removed when the benchmark ends.

export type BenchEnvironment = {
  databaseUrl: string;
  prisma: PrismaClient;
  sessionSecret: string;
  /** Cookie header of the analyst who owns every benchmark memo. */
  cookie: string;
  ownerId: string;
  leveldbDir: string;
  /** pid of the PostgreSQL postmaster, to measure its CPU. */
  postgresPid: number;
  /** Creates a memo owned by the analyst, starting with the opening paragraph (or `body`). */
  createMemo(body?: JSONContent): Promise<string>;
};

export async function startBenchEnvironment(): Promise<BenchEnvironment> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "demarche-bench-"));
  // PostgreSQL runs as the postgres user when we are root: it must be able to enter the folder.
  await fs.chmod(dir, 0o755);
  onCleanup(() => fs.rm(dir, { recursive: true, force: true }));
  const postgres = await startEmbeddedPostgres(dir, pino({ level: "warn" }));
  onCleanup(() => postgres.stop());
  await applyMigrations(postgres.url);
  const prisma = createPrismaClient(postgres.url);
  onCleanup(() => prisma.$disconnect());
  await prisma.$executeRawUnsafe(`CREATE TABLE ${HOCUSPOCUS_TABLE} (name text PRIMARY KEY, data bytea NOT NULL)`);

  const password = crypto.randomBytes(18).toString("base64url");
  const owner = await signUp(prisma, { name: "Benchmark Analyst", email: "bench@demarche.test", password });
  const sessionSecret = crypto.randomBytes(32).toString("hex");
  const sessionId = await startSession(prisma, owner.id, "benchmark");
  const token = await encodeSessionToken({ ...owner, sessionId }, sessionSecret, 24 * 3600);
  const postgresPid = Number(readFileSync(path.join(dir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  const opening: JSONContent = {
    type: "doc",
    content: [{ type: "paragraph", content: [{ type: "text", text: OPENING_LINE }] }],
  };

  return {
    databaseUrl: postgres.url,
    prisma,
    sessionSecret,
    cookie: `${sessionCookieName(false)}=${token}`,
    ownerId: owner.id,
    leveldbDir: path.join(dir, "leveldb"),
    postgresPid,
    createMemo: (body = opening) => createMemo(prisma, { ownerId: owner.id, title: "Benchmark memo", body }),
  };
}
