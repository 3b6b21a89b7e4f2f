import { Counter, Gauge, type Registry } from "prom-client";
import type { Logger } from "pino";
import { findFreePort } from "../net/findFreePort";
import {
  clusterUrl,
  ensureApplicationDatabase,
  launchPostmaster,
  PostmasterStartError,
  prepareEmbeddedCluster,
  stopPostmaster,
  type EmbeddedPostgres,
  type Postmaster,
} from "./embeddedPostgres";

// The embedded PostgreSQL, restarted whenever it dies without being asked to (SIGKILL, the OOM
// killer, a crash). Restarts back off exponentially and never stop: an instance without its
// database is useless, so we keep trying at the cap and say why in /readyz and the log.
//
// After a SIGKILL the data folder still holds postmaster.pid. We leave it alone: PostgreSQL
// ignores the file when its pid is dead, and it also records the shared-memory segment, which is
// how PostgreSQL refuses to start while orphaned backends of the killed server are still attached
// ("pre-existing shared memory block is still in use"). Deleting it would skip that check and let
// two servers write the same files. Those backends exit within moments; the backoff covers it.
//
// The same port is reused on every restart: the URL is baked into the Prisma client and the pg
// pools, which drop their broken connections and open new ones to the restarted server.

/** What the supervisor is doing, for /readyz. */
export type EmbeddedPostgresStatus = {
  state: "running" | "restarting" | "stopped";
  /** Successful restarts since start-up. */
  restarts: number;
  /** How the last unexpected exit ended ("signal SIGKILL", "code 1"). */
  lastExit?: string;
  /** While restarting: when PostgreSQL died, attempts so far and why the last one failed. */
  downSince?: string;
  attempts?: number;
  lastError?: string;
};

/** The embedded PostgreSQL under supervision. */
export type SupervisedPostgres = EmbeddedPostgres & {
  status: () => EmbeddedPostgresStatus;
  /** Pid of the current postmaster (undefined while it is down). */
  pid: () => number | undefined;
  /** Adds the supervisor's metrics to a registry (the one /metrics serves). */
  registerMetrics: (registry: Registry) => void;
};

/** Restart delays: the first one, the cap, and how long a server must live to reset the backoff. */
export type RestartBackoff = { initialMs: number; maxMs: number; stableAfterMs: number };

const DEFAULT_BACKOFF: RestartBackoff = { initialMs: 500, maxMs: 30_000, stableAfterMs: 60_000 };
// Crash recovery replays the WAL before the server accepts connections; a big WAL takes a while.
const RESTART_READY_TIMEOUT_MS = 5 * 60_000;

function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null }): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

function shortReason(error: unknown): string {
  if (error instanceof PostmasterStartError) return error.reason;
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}

/** Starts the embedded PostgreSQL (as startEmbeddedPostgres) and restarts it whenever it dies. */
export async function startSupervisedPostgres(
  dataDir: string,
  log: Logger,
  options: { port?: number; backoff?: Partial<RestartBackoff> } = {},
): Promise<SupervisedPostgres> {
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const cluster = await prepareEmbeddedCluster(dataDir, log);
  const port = options.port ?? (await findFreePort());
  let current: Postmaster | undefined = await launchPostmaster(cluster, port, { detached: true });
  try {
    await ensureApplicationDatabase(cluster, port);
  } catch (error) {
    await stopPostmaster(current);
    throw error;
  }
  log.info({ port, clusterDir: cluster.clusterDir, postgresPid: current.child.pid }, "embedded PostgreSQL is running");

  let state: EmbeddedPostgresStatus["state"] = "running";
  let startedAt = Date.now();
  let restartCount = 0;
  let delayMs = 0;
  let lastExit: string | undefined;
  let downSince = 0;
  let attempts = 0;
  let lastError: string | undefined;
  let loggedCap = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt: Promise<void> | undefined;
  const stopRequested = new AbortController();

  const restarts = new Counter({
    name: "demarche_embedded_postgres_restarts_total",
    help: "Restarts of the embedded PostgreSQL after it died unexpectedly.",
    registers: [],
  });
  const up = new Gauge({
    name: "demarche_embedded_postgres_up",
    help: "1 while the embedded PostgreSQL runs, 0 while it is being restarted.",
    registers: [],
    collect() {
      this.set(state === "running" ? 1 : 0);
    },
  });

  // A detached postmaster outlives us unless told to stop; process.exit() paths (the shutdown
  // deadline, a second Ctrl-C) skip stop(), so ask it for a fast shutdown on the way out.
  const stopOnExit = () => {
    if (current && current.child.exitCode === null && current.child.signalCode === null) current.child.kill("SIGINT");
  };
  process.on("exit", stopOnExit);

  const watch = (postmaster: Postmaster) => {
    void postmaster.exited.then((exit) => {
      if (state !== "running" || postmaster !== current) return; // stop() asked for this exit
      current = undefined;
      state = "restarting";
      lastExit = describeExit(exit);
      downSince = Date.now();
      attempts = 0;
      lastError = undefined;
      loggedCap = false;
      // A server that dies soon after a restart keeps the backoff growing instead of resetting it.
      delayMs =
        Date.now() - startedAt < backoff.stableAfterMs
          ? Math.min(Math.max(delayMs * 2, backoff.initialMs), backoff.maxMs)
          : backoff.initialMs;
      log.error(
        { exit: lastExit, postgresPid: postmaster.child.pid, upForMs: Date.now() - startedAt, retryInMs: delayMs },
        "embedded PostgreSQL died; restarting it",
      );
      schedule();
    });
  };

  const schedule = () => {
    timer = setTimeout(() => {
      timer = undefined;
      attempt = restart().finally(() => (attempt = undefined));
    }, delayMs);
  };

  const restart = async () => {
    attempts += 1;
    try {
      const postmaster = await launchPostmaster(cluster, port, {
        detached: true,
        readyTimeoutMs: RESTART_READY_TIMEOUT_MS,
        signal: stopRequested.signal,
      });
      if (state !== "restarting") return void (await stopPostmaster(postmaster));
      current = postmaster;
      state = "running";
      startedAt = Date.now();
      restartCount += 1;
      restarts.inc();
      log.info(
        { postgresPid: postmaster.child.pid, attempts, downMs: Date.now() - downSince },
        "embedded PostgreSQL restarted",
      );
      watch(postmaster);
    } catch (error) {
      if (state !== "restarting") return;
      const reason = shortReason(error);
      delayMs = Math.min(delayMs * 2, backoff.maxMs);
      // One line when the reason changes and one when the backoff reaches its cap, not one per attempt.
      if (reason !== lastError)
        log.warn({ attempts, reason, retryInMs: delayMs }, "embedded PostgreSQL did not restart; retrying");
      else if (delayMs === backoff.maxMs && !loggedCap) {
        loggedCap = true;
        log.error(
          { attempts, reason, downMs: Date.now() - downSince, retryEveryMs: delayMs },
          "embedded PostgreSQL is still down; retrying until it starts",
        );
      }
      lastError = reason;
      schedule();
    }
  };

  watch(current);

  let stopping: Promise<void> | undefined;
  return {
    url: clusterUrl(cluster, port),
    port,
    stop() {
      stopping ??= (async () => {
        state = "stopped";
        clearTimeout(timer);
        stopRequested.abort();
        await attempt;
        if (current) await stopPostmaster(current);
        current = undefined;
        process.off("exit", stopOnExit);
      })();
      return stopping;
    },
    status: () => {
      const base = { state, restarts: restartCount, ...(lastExit ? { lastExit } : {}) };
      if (state !== "restarting") return base;
      return { ...base, downSince: new Date(downSince).toISOString(), attempts, ...(lastError ? { lastError } : {}) };
    },
    pid: () => current?.child.pid,
    registerMetrics: (registry) => {
      registry.registerMetric(restarts);
      registry.registerMetric(up);
    },
  };
}
