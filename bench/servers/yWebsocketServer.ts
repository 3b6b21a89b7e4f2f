import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { WebSocketServer } from "ws";
import { runServerProcess } from "./serverProcess";

// Anchor: the y-websocket reference server (@y/websocket-server 0.1.1, the last release for yjs 13),
// wired like its own bin (src/server.js) with the `ws` it ships with, in memory or with its LevelDB
// persistence (y-leveldb), which it turns on from YPERSISTENCE when its module loads.

const mode = process.argv[2] === "leveldb" ? "leveldb" : "memory";
if (mode === "leveldb") {
  if (!process.env.BENCH_LEVELDB_DIR) throw new Error("BENCH_LEVELDB_DIR is required");
  process.env.YPERSISTENCE = process.env.BENCH_LEVELDB_DIR;
} else {
  delete process.env.YPERSISTENCE;
}

/** y-leveldb runs every read and write through one promise chain, `tr`. */
type LeveldbQueue = { tr: Promise<unknown>; destroy(): Promise<void> };

/**
 * Waits until y-leveldb's queue has been idle for a moment. The reference server binds a document to
 * LevelDB asynchronously and forgets it on the last disconnect, so writes can still be queued (or be
 * queued later, once a backlog drains) after it reports nothing open; closing LevelDB then loses them.
 */
async function writesDone(leveldb: LeveldbQueue): Promise<void> {
  for (;;) {
    const tail = leveldb.tr;
    await tail;
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (leveldb.tr === tail) return;
  }
}

void runServerProcess(async () => {
  const { setupWSConnection, docs, getPersistence } = await import("@y/websocket-server/utils");
  // The reference server's own dependency (ws 6), as `npx y-websocket` would run it.
  const requireFromServer = createRequire(import.meta.resolve("@y/websocket-server/utils"));
  const WebSocket = requireFromServer("ws") as { Server: typeof WebSocketServer };
  const wss = new WebSocket.Server({ noServer: true });
  const server = http.createServer((_request, response) => response.writeHead(200).end("okay"));
  wss.on("connection", setupWSConnection);
  server.on("upgrade", (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const leveldb = (getPersistence() as { provider?: LeveldbQueue } | null)?.provider;
  return {
    port: (server.address() as AddressInfo).port,
    openDocuments: async () => {
      // Without persistence the reference server never unloads a document; count those in use.
      const open = [...docs.values()].filter((doc) => doc.conns.size > 0).length;
      if (open > 0) return open;
      if (leveldb) await writesDone(leveldb);
      return 0;
    },
    async stop() {
      for (const client of wss.clients) client.close(1001);
      await new Promise((resolve) => setTimeout(resolve, 200));
      wss.close();
      server.close();
      if (leveldb) {
        await writesDone(leveldb);
        await leveldb.destroy();
      }
    },
  };
});
