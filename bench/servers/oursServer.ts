import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createCollabServer } from "../../server/collab/collabServer";
import type { RoomStorage } from "../../server/collab/memoRoom";
import { collabLimitsFrom } from "../../server/collab/limits";
import { createPrismaClient } from "../../server/db";
import { loadEnv } from "../../server/env";
import { originPolicy } from "../../server/http/originPolicy";
import { runServerProcess } from "./serverProcess";

// Our collaboration server, without Next.js, exactly as server/main.ts wires it (same timing and
// limits, from the same environment defaults), on PostgreSQL. `memory` mode keeps updates in memory
// only (no durability, for comparison with the anchors' in-memory modes); loading and authorization
// still use PostgreSQL. With BENCH_REDIS_URL it is one of several instances sharing memos through
// Redis, as with REDIS_URL in production (issue #9).

const mode = process.argv[2] === "memory" ? "memory" : "postgres";
const databaseUrl = process.env.BENCH_DATABASE_URL;
const sessionSecret = process.env.BENCH_SESSION_SECRET;
const redisUrl = process.env.BENCH_REDIS_URL || undefined;
if (!databaseUrl || !sessionSecret) throw new Error("BENCH_DATABASE_URL and BENCH_SESSION_SECRET are required");

const memoryStorage: RoomStorage = { store: async () => true, compact: async () => 0 };

void runServerProcess(async () => {
  const db = createPrismaClient(databaseUrl);
  const env = loadEnv();
  const collab = createCollabServer({
    db,
    databaseUrl,
    origins: originPolicy("http://127.0.0.1", true),
    redisUrl,
    log: pino({ level: "warn" }, pino.destination(2)),
    sessionSecret,
    secureCookies: false,
    // server/main.ts uses these, except the unload grace (30 s there): a short grace lets the harness
    // wait for a memo to be unloaded, stored and compacted between runs instead of in the next one.
    timing: {
      batchMs: env.PERSIST_BATCH_MS,
      compactAfterRows: 500,
      compactIdleMs: 10_000,
      unloadGraceMs: Number(process.env.BENCH_UNLOAD_GRACE_MS ?? 1_000),
      versionSettleMs: env.VERSION_SETTLE_SECONDS * 1000,
      versionMaxBurstMs: env.VERSION_MAX_BURST_SECONDS * 1000,
    },
    // main.ts's limits, except the per-connection message rate: the cold-load scenario writes its
    // 20,000-edit memo through one client at 2,000 edits a second, and 200 a second would close it.
    // The measured clients stay far below either rate (5 letters a second each).
    limits: collabLimitsFrom({ ...env, COLLAB_MESSAGES_PER_SECOND: Math.max(env.COLLAB_MESSAGES_PER_SECOND, 10_000) }),
    storage: mode === "memory" ? memoryStorage : undefined,
  });
  // Ready means ready to relay: clients of a run may start on several instances at once.
  for (let waited = 0; collab.redis && !collab.redis.connected; waited += 20) {
    if (waited > 15_000) throw new Error(`Redis at ${redisUrl} did not connect`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (req, socket, head) => void collab.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    // Loaded memos, and unloaded ones still storing their last version and compacting.
    openDocuments: () => {
      const stats = collab.registry.stats();
      return stats.memos + stats.finishing;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await collab.close();
      server.closeAllConnections();
      await closed;
      await db.$disconnect();
    },
  };
});
