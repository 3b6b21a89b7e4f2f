import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../database/embeddedPostgres";
import { applyMigrations } from "../database/migrate";
import { createPrismaClient, type PrismaClient } from "../db";
import { createTestMemo, createTestUser } from "../testing/fixtures";
import {
  connectTestClient,
  sessionCookie,
  startTestCollabServer,
  waitFor,
  type TestCollabServer,
} from "../testing/collabHarness";
import { memoJsonFromYdoc, plainTextFromMemoJson } from "../../common/editor/memoDocument";
import { loadMemoDocument } from "../memos/memoStore";
import { CloseCode } from "../../common/protocol/protocol";

// PostgreSQL stops for 30 s while people type. The server keeps serving from memory, within a
// bounded buffer; clients are never told their edits are saved; once PostgreSQL is back,
// everything is stored and acknowledged. This file runs its own PostgreSQL so it can stop it.

const OUTAGE_MS = 30_000;
let dataDir: string;
let postgres: EmbeddedPostgres;
let prisma: PrismaClient;
let server: TestCollabServer;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "demarche-outage-"));
  await fs.chmod(dataDir, 0o755);
  postgres = await startEmbeddedPostgres(dataDir, pino({ level: "warn" }));
  await applyMigrations(postgres.url);
  prisma = createPrismaClient(postgres.url);
  server = await startTestCollabServer(prisma, postgres.url, { limits: { maxUnstoredBytes: 256 * 1024 } });
}, 120_000);

afterAll(async () => {
  await server.stop();
  await prisma.$disconnect();
  await postgres.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
}, 120_000);

describe("PostgreSQL outage", () => {
  it("keeps serving from memory for 30 s, then stores everything", async () => {
    const user = await createTestUser(prisma);
    const memoId = await createTestMemo(prisma, user.id, "Outage.");
    const cookie = await sessionCookie(user, server.secret);
    const alice = connectTestClient(server.url, memoId, cookie);
    const bob = connectTestClient(server.url, memoId, cookie);
    await Promise.all([alice.synced(), bob.synced()]);

    await postgres.stop();
    const outageStarted = Date.now();
    let round = 0;
    while (Date.now() - outageStarted < OUTAGE_MS) {
      alice.appendParagraph(`Alice during the outage ${round}.`);
      bob.appendParagraph(`Bob during the outage ${round}.`);
      round += 1;
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Still live between the two of them, and honestly unsaved.
      await waitFor(() => alice.text() === bob.text(), 2000, "live sync during the outage");
      expect(alice.isSaved() || bob.isSaved()).toBe(false);
    }
    const stats = server.collab.registry.stats();
    expect(stats.storageFailing).toBe(true);
    expect(alice.storageFailing()).toBe(true);
    expect(stats.unstoredBytes).toBeGreaterThan(0);

    // The buffer is bounded: a paste that would overflow it is refused (1013), not stored in RAM.
    const closed = new Promise<number>((resolve) =>
      bob.provider.once("connection-close", (event) => resolve(event?.code ?? 0)),
    );
    bob.appendParagraph("P".repeat(300 * 1024));
    expect(await closed).toBe(CloseCode.TryAgainLater);
    expect(server.collab.registry.stats().unstoredBytes).toBeLessThanOrEqual(256 * 1024);

    const restarted = await startEmbeddedPostgres(dataDir, pino({ level: "warn" }), { port: postgres.port });
    postgres = restarted;
    await waitFor(() => alice.isSaved(), 20_000, "alice's edits stored after PostgreSQL is back");
    // Bob's big paste was kept on his side; it is stored once he reconnects.
    await waitFor(
      () => bob.provider.synced && bob.isSaved() && bob.text() === alice.text(),
      20_000,
      "bob reconnects and is stored",
    );
    expect(server.collab.registry.stats().storageFailing).toBe(false);
    expect(alice.storageFailing()).toBe(false);
    const stored = plainTextFromMemoJson(memoJsonFromYdoc((await loadMemoDocument(prisma, memoId))!.doc));
    expect(stored).toBe(alice.text());
    expect(stored).toContain(`Alice during the outage ${round - 1}.`);
    expect(stored).toContain(`Bob during the outage ${round - 1}.`);
    expect(stored).toContain("P".repeat(300 * 1024));
    alice.destroy();
    bob.destroy();
  }, 120_000);

  it("tells clients storage is failing within seconds when PostgreSQL hangs mid-typing, and stores everything once it resumes", async () => {
    const user = await createTestUser(prisma);
    const memoId = await createTestMemo(prisma, user.id, "Paused.");
    const alice = connectTestClient(server.url, memoId, await sessionCookie(user, server.secret));
    await alice.synced();
    alice.appendParagraph("Before the pause.");
    await waitFor(() => alice.isSaved(), 5000, "saved before the pause");

    // Every process of the cluster: a paused postmaster alone would leave its backends answering.
    const postmaster = Number(
      (await fs.readFile(path.join(dataDir, "postgres", "postmaster.pid"), "utf8")).split("\n")[0],
    );
    const cluster = [
      postmaster,
      ...execFileSync("pgrep", ["-P", String(postmaster)], { encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .map(Number),
    ];
    for (const pid of cluster) process.kill(pid, "SIGSTOP");
    try {
      const pausedAt = Date.now();
      alice.appendParagraph("Typed while PostgreSQL hangs.");
      await waitFor(() => alice.storageFailing(), 6000, "told storage is failing");
      expect(Date.now() - pausedAt).toBeLessThan(5000);
      expect(alice.isSaved()).toBe(false);
      expect(server.collab.registry.stats().storageFailing).toBe(true);
    } finally {
      for (const pid of cluster) process.kill(pid, "SIGCONT");
    }
    await waitFor(
      () => alice.isSaved() && !alice.storageFailing(),
      20_000,
      "stored and told so once PostgreSQL resumes",
    );
    const stored = plainTextFromMemoJson(memoJsonFromYdoc((await loadMemoDocument(prisma, memoId))!.doc));
    expect(stored).toContain("Typed while PostgreSQL hangs.");
    alice.destroy();
  }, 60_000);
});
