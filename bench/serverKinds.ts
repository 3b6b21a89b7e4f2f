import crypto from "node:crypto";
import path from "node:path";
import { forkBenchChild, type BenchChild } from "./childProcesses";
import type { ClientTarget } from "./clients/benchClient";
import type { BenchEnvironment } from "./environment";
import type { ServerProcessApi } from "./servers/serverProcess";

// The servers under test: ours and the anchors a team would deploy instead, each started in its own
// child process on 127.0.0.1.

export const SERVER_IDS = [
  "ours",
  "ours-memory",
  "hocuspocus",
  "hocuspocus-postgres",
  "y-websocket",
  "y-websocket-leveldb",
] as const;
export type ServerId = (typeof SERVER_IDS)[number];

export type ServerKind = {
  id: ServerId;
  label: string;
  /** Ours, or a server we compare against. */
  anchor: boolean;
  /** Whether it stores documents (the targets compare servers with persistence on). */
  persistent: boolean;
  entry: string;
  args: string[];
  protocol: ClientTarget["protocol"];
};

const servers = path.join(import.meta.dirname, "servers");

export const SERVER_KINDS: Record<ServerId, ServerKind> = {
  ours: {
    id: "ours",
    label: "Demarche + Postgres",
    anchor: false,
    persistent: true,
    entry: "oursServer.ts",
    args: ["postgres"],
    protocol: "y-websocket",
  },
  "ours-memory": {
    id: "ours-memory",
    label: "Demarche, memory",
    anchor: false,
    persistent: false,
    entry: "oursServer.ts",
    args: ["memory"],
    protocol: "y-websocket",
  },
  hocuspocus: {
    id: "hocuspocus",
    label: "Hocuspocus, memory",
    anchor: true,
    persistent: false,
    entry: "hocuspocusServer.ts",
    args: ["memory"],
    protocol: "hocuspocus",
  },
  "hocuspocus-postgres": {
    id: "hocuspocus-postgres",
    label: "Hocuspocus + Postgres",
    anchor: true,
    persistent: true,
    entry: "hocuspocusServer.ts",
    args: ["postgres"],
    protocol: "hocuspocus",
  },
  "y-websocket": {
    id: "y-websocket",
    label: "y-websocket, memory",
    anchor: true,
    persistent: false,
    entry: "yWebsocketServer.ts",
    args: ["memory"],
    protocol: "y-websocket",
  },
  "y-websocket-leveldb": {
    id: "y-websocket-leveldb",
    label: "y-websocket + LevelDB",
    anchor: true,
    persistent: true,
    entry: "yWebsocketServer.ts",
    args: ["leveldb"],
    protocol: "y-websocket",
  },
};

/** Whether a server is ours (so it has memos in PostgreSQL, a session cookie and saved acknowledgements). */
export const isOurs = (kind: ServerKind) => !kind.anchor;

/** A running server under test. */
export type ServerHandle = {
  kind: ServerKind;
  port: number;
  pid: number;
  process: BenchChild<ServerProcessApi>;
  /** A new document for a run: a memo created in PostgreSQL for ours, a fresh name for the anchors. */
  newDocument(purpose: string): Promise<string>;
  /** How a client reaches a document. */
  target(document: string): ClientTarget;
  stats(gc?: boolean): Promise<{ cpuMs: number; rss: number; heapUsed: number }>;
  /** The server's event-loop delay since the previous call (p99, max; ms). */
  loopDelay(): Promise<{ p99: number; max: number }>;
  /** Waits until the server has unloaded every document (stored, compacted). */
  settle(timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
};

/** Starts a server in its own process and waits until it listens. */
export async function startServer(
  kind: ServerKind,
  env: BenchEnvironment,
  options: { cpuProfileDir?: string; redisUrl?: string } = {},
): Promise<ServerHandle> {
  const child = forkBenchChild<ServerProcessApi>(kind.id, path.resolve(servers, kind.entry), kind.args, {
    env: {
      BENCH_DATABASE_URL: env.databaseUrl,
      BENCH_SESSION_SECRET: env.sessionSecret,
      BENCH_LEVELDB_DIR: env.leveldbDir,
      // Ours only: one of several instances sharing memos through this Redis (issue #9).
      BENCH_REDIS_URL: options.redisUrl ?? "",
      NODE_ENV: "production",
    },
    // One folder per server process: V8 writes a profile per thread (tsx's loader runs in its own).
    execArgv: options.cpuProfileDir
      ? ["--cpu-prof", `--cpu-prof-dir=${path.join(options.cpuProfileDir, `${kind.id}-${Date.now()}`)}`]
      : [],
  });
  const { port } = (await child.ready) as { port: number };
  const ours = isOurs(kind);
  return {
    kind,
    port,
    pid: child.pid,
    process: child,
    newDocument: async (purpose) => (ours ? env.createMemo() : `${purpose}-${crypto.randomBytes(6).toString("hex")}`),
    target: (document) =>
      kind.protocol === "hocuspocus"
        ? { protocol: "hocuspocus", url: `ws://127.0.0.1:${port}`, name: document }
        : ours
          ? {
              protocol: "y-websocket",
              url: `ws://127.0.0.1:${port}/collab`,
              room: document,
              cookie: env.cookie,
              savedAcks: true,
            }
          : { protocol: "y-websocket", url: `ws://127.0.0.1:${port}`, room: document },
    stats: (gc = false) => child.rpc.call("stats", { gc }),
    loopDelay: () => child.rpc.call("loopDelay"),
    settle: (timeoutMs = 15_000) => child.rpc.call("settle", { timeoutMs }),
    stop: () => child.stop(),
  };
}
