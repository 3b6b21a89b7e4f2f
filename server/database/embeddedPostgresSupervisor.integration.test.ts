import fs from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import pino from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../db";
import { serveOperations } from "../http/operationsEndpoints";
import { startTestCollabServer, waitFor } from "../testing/collabHarness";
import { applyMigrations } from "./migrate";
import { startSupervisedPostgres, type SupervisedPostgres } from "./embeddedPostgresSupervisor";

// A real embedded PostgreSQL under the supervisor, in its own folder (killing the shared test
// cluster would break every other file). We SIGKILL its postmaster as the OOM killer would and
// expect it back within seconds, with the pools and the Prisma client of before the kill working.

type LogLine = { level: number; msg: string; [key: string]: unknown };

let dataDir: string;
let supervisor: SupervisedPostgres;
let pool: pg.Pool;
let prisma: PrismaClient;
const registry = new Registry();
const logs: LogLine[] = [];
const log = pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
const messages = () => logs.map((line) => line.msg);

async function postmasterPid(): Promise<number> {
  const file = await fs.readFile(path.join(dataDir, "postgres", "postmaster.pid"), "utf8");
  return Number(file.split("\n")[0]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function restartCount(): Promise<number> {
  const text = await registry.metrics();
  return Number(/^demarche_embedded_postgres_restarts_total (\S+)$/m.exec(text)?.[1] ?? NaN);
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "demarche-supervisor-"));
  await fs.chmod(dataDir, 0o755); // PostgreSQL runs as the postgres user when we are root
  supervisor = await startSupervisedPostgres(dataDir, log, { backoff: { initialMs: 500, maxMs: 2_000 } });
  supervisor.registerMetrics(registry);
  await applyMigrations(supervisor.url); // for the collaboration server behind /readyz
  pool = new pg.Pool({ connectionString: supervisor.url, max: 4 });
  pool.on("error", () => undefined); // idle clients lose their server when it is killed
  prisma = createPrismaClient(supervisor.url);
  await pool.query("CREATE TABLE kept (id int PRIMARY KEY, note text NOT NULL)");
});

afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await supervisor?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe("embedded PostgreSQL supervisor", () => {
  it("restarts PostgreSQL after a SIGKILL; pools and a Prisma client reconnect by themselves", async () => {
    await pool.query("INSERT INTO kept VALUES (1, 'committed before the kill')");
    // Warm connections in both pools, so the kill leaves broken idle clients behind.
    await Promise.all([pool.query("SELECT 1"), pool.query("SELECT 1"), prisma.$queryRaw`SELECT 1`]);
    const pid = await postmasterPid();
    expect(pid).toBe(supervisor.pid());
    expect(await restartCount()).toBe(0);

    process.kill(pid, "SIGKILL");
    const killedAt = Date.now();
    await waitFor(() => supervisor.status().state === "restarting", 2_000, "the supervisor notices the death");
    expect(supervisor.status()).toMatchObject({ state: "restarting", lastExit: "signal SIGKILL" });
    await waitFor(() => supervisor.status().state === "running", 10_000, "PostgreSQL restarted");
    const downMs = Date.now() - killedAt;
    expect(downMs).toBeLessThan(10_000);

    const newPid = await postmasterPid();
    expect(newPid).not.toBe(pid);
    expect(newPid).toBe(supervisor.pid());
    expect(alive(newPid)).toBe(true);
    // The first query through each of them works: broken connections were dropped, not reused.
    expect((await pool.query("SELECT note FROM kept WHERE id = 1")).rows).toEqual([
      { note: "committed before the kill" },
    ]);
    expect(await prisma.$queryRaw`SELECT note FROM kept WHERE id = 1`).toEqual([{ note: "committed before the kill" }]);
    await prisma.$executeRaw`INSERT INTO kept VALUES (2, 'written through Prisma after the restart')`;
    expect((await pool.query("SELECT count(*)::int AS n FROM kept")).rows[0]).toEqual({ n: 2 });

    expect(await restartCount()).toBe(1);
    expect(supervisor.status()).toMatchObject({ state: "running", restarts: 1 });
    const died = logs.filter((line) => line.msg === "embedded PostgreSQL died; restarting it");
    expect(died).toHaveLength(1);
    expect(died[0]).toMatchObject({ exit: "signal SIGKILL", postgresPid: pid });
    expect(messages().filter((msg) => msg === "embedded PostgreSQL restarted")).toHaveLength(1);
  });

  it("keeps retrying with backoff while PostgreSQL cannot start, says why, and logs changes only", async () => {
    const pid = await postmasterPid();
    const before = logs.length;
    // Take the port the moment PostgreSQL dies, so every restart fails to bind until we let go.
    const squatter = net.createServer((socket) => socket.destroy());
    process.kill(pid, "SIGKILL");
    await waitFor(() => supervisor.status().state === "restarting", 2_000, "the supervisor notices the death");
    await new Promise<void>((resolve, reject) => {
      squatter.once("error", reject);
      squatter.listen(supervisor.port, "127.0.0.1", resolve);
    });

    // The delay doubles up to its cap (2 s here): four attempts within about 10 s.
    await waitFor(() => (supervisor.status().attempts ?? 0) >= 4, 15_000, "four failed attempts");
    const status = supervisor.status();
    expect(status.state).toBe("restarting");
    expect(status.lastError).toMatch(/could not (bind|create any TCP\/IP sockets)/);
    const retries = logs.slice(before).filter((line) => line.msg === "embedded PostgreSQL did not restart; retrying");
    expect(retries).toHaveLength(1); // the same reason each time: one line, not one per attempt
    expect(
      logs.slice(before).some((line) => line.msg === "embedded PostgreSQL is still down; retrying until it starts"),
    ).toBe(true);
    await expect(pool.query("SELECT 1")).rejects.toThrow();

    await new Promise((resolve) => squatter.close(resolve));
    await waitFor(() => supervisor.status().state === "running", 10_000, "PostgreSQL restarted once the port is free");
    expect((await pool.query("SELECT count(*)::int AS n FROM kept")).rows[0]).toEqual({ n: 2 });
    expect(await prisma.$queryRaw`SELECT count(*)::int AS n FROM kept`).toEqual([{ n: 2 }]);
    expect(await restartCount()).toBe(2);
  });

  it("/readyz answers 503 with the reason while PostgreSQL is down, and 200 once it is back", async () => {
    // Wired as the start command wires it: the collaboration server's registry, a Prisma ping.
    const collab = await startTestCollabServer(prisma, supervisor.url);
    supervisor.registerMetrics(collab.collab.metrics.registry);
    const server = http.createServer((req, res) => {
      void serveOperations(req.url!, req, res, {
        collab: collab.collab,
        pingDatabase: async () => void (await prisma.$queryRaw`SELECT 1`),
        embeddedPostgres: supervisor.status,
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const readyz = async () => {
      const response = await fetch(`${base}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    try {
      expect(await readyz()).toMatchObject({
        status: 200,
        body: { database: "up", embeddedPostgres: { state: "running", restarts: 2 } },
      });

      process.kill(await postmasterPid(), "SIGKILL");
      // Backends of the killed server may answer one last ping before they notice; after that the
      // answer is 503 until the restart, then 200, without flapping.
      const seen: number[] = [];
      const notReady: Record<string, unknown>[] = [];
      await waitFor(
        async () => {
          const answer = await readyz();
          if (answer.status === 503) notReady.push(answer.body);
          if (notReady.length > 0 && seen.at(-1) !== answer.status) seen.push(answer.status);
          return answer.status === 200 && notReady.length > 0;
        },
        15_000,
        "/readyz 503, then 200 again",
      );
      expect(seen).toEqual([503, 200]);
      expect(notReady).toContainEqual(
        expect.objectContaining({
          status: "not ready",
          database: "unreachable",
          embeddedPostgres: expect.objectContaining({ state: "restarting", lastExit: "signal SIGKILL" }),
        }),
      );
      expect((await readyz()).body).toMatchObject({ embeddedPostgres: { state: "running", restarts: 3 } });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^demarche_embedded_postgres_restarts_total 3$/m);
      expect(metrics).toMatch(/^demarche_embedded_postgres_up 1$/m);
    } finally {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await collab.stop();
    }
  });

  it("does not restart PostgreSQL that it was asked to stop", async () => {
    const pid = await postmasterPid();
    const before = logs.length;
    await supervisor.stop();
    expect(alive(pid)).toBe(false);
    expect(supervisor.status().state).toBe("stopped");
    // Well past the first restart delay: nothing came back.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(supervisor.pid()).toBeUndefined();
    await expect(fs.access(path.join(dataDir, "postgres", "postmaster.pid"))).rejects.toThrow();
    await expect(pool.query("SELECT 1")).rejects.toThrow();
    expect(logs.slice(before).filter((line) => line.level >= 40)).toEqual([]);
    expect(await restartCount()).toBe(3);
  });
});
