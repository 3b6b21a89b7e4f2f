import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createCollabServer } from "../../server/collab/collabServer";
import type { RoomStorage } from "../../server/collab/memoRoom";
import { createPrismaClient } from "../../server/db";
import { runServerProcess } from "./serverProcess";

// Our collaboration server, without Next.js, exactly as server/main.ts wires it (same timing and
// limits), on PostgreSQL. `memory` mode keeps updates in memory only (no durability, for comparison
// with the anchors' in-memory modes); loading and authorization still use PostgreSQL.

const mode = process.argv[2] === "memory" ? "memory" : "postgres";
const databaseUrl = process.env.BENCH_DATABASE_URL;
const sessionSecret = process.env.BENCH_SESSION_SECRET;
if (!databaseUrl || !sessionSecret) throw new Error("BENCH_DATABASE_URL and BENCH_SESSION_SECRET are required");

const memoryStorage: RoomStorage = { store: async () => true, compact: async () => 0 };

void runServerProcess(async () => {
  const db = createPrismaClient(databaseUrl);
  const collab = createCollabServer({
    db,
    log: pino({ level: "warn" }, pino.destination(2)),
    sessionSecret,
    secureCookies: false,
    // server/main.ts uses these, except the unload grace (30 s there): a short grace lets the harness
    // wait for a memo to be unloaded, stored and compacted between runs instead of in the next one.
    timing: { batchMs: 50, compactAfterRows: 500, compactIdleMs: 10_000, unloadGraceMs: Number(process.env.BENCH_UNLOAD_GRACE_MS ?? 1_000) },
    limits: { maxFrameBytes: 4 * 1024 * 1024, maxEarlyFrames: 200 },
    storage: mode === "memory" ? memoryStorage : undefined,
  });
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (req, socket, head) => void collab.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    openDocuments: async () => (await collab.registry.stats()).memos,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await collab.close();
      server.closeAllConnections();
      await closed;
      await db.$disconnect();
    },
  };
});
