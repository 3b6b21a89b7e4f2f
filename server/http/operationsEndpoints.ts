import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CollabServer } from "../collab/collabServer";
import type { EmbeddedPostgresStatus } from "../database/embeddedPostgresSupervisor";

// Endpoints for operators and load balancers:
//   /healthz  the process is up (liveness);
//   /readyz   it can serve new users: not shutting down, and PostgreSQL answers within 2 s (pinged
//             on every request, never cached, so it turns 200 again as soon as PostgreSQL is back);
//   /metrics  Prometheus metrics (optionally behind METRICS_TOKEN).

const PING_TIMEOUT_MS = 2_000;

type Options = {
  collab: CollabServer;
  pingDatabase: () => Promise<void>;
  metricsToken?: string;
  /** The embedded PostgreSQL's supervisor state (when Demarche runs its own database). */
  embeddedPostgres?: () => EmbeddedPostgresStatus;
};

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
}

async function databaseAnswers(ping: () => Promise<void>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  const answered = ping().then(
    () => true,
    () => false,
  );
  const result = await Promise.race([answered, timeout]);
  clearTimeout(timer);
  return result;
}

function tokenMatches(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** Answers /healthz, /readyz and /metrics. */
export async function serveOperations(
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  options: Options,
): Promise<void> {
  if (path === "/healthz") return json(res, 200, { status: "ok" });
  if (path === "/readyz") {
    const stats = options.collab.registry.stats();
    const database = await databaseAnswers(options.pingDatabase);
    // A memo whose edits cannot be stored (the database errs or hangs) makes the instance not
    // ready, even when a ping gets through: a balancer should send new people elsewhere.
    const embeddedPostgres = options.embeddedPostgres?.();
    // A restarted PostgreSQL answers a moment before its supervisor has seen it start: not ready yet.
    const ready =
      database && options.collab.accepting && !stats.storageFailing && embeddedPostgres?.state !== "restarting";
    // Without Redis an instance still serves its own clients, so it stays ready, and says so.
    const redis = options.collab.redis ? (options.collab.redis.connected ? "up" : "unreachable") : "not configured";
    return json(res, ready ? 200 : 503, {
      status: ready ? "ready" : "not ready",
      database: database ? "up" : "unreachable",
      redis,
      accepting: options.collab.accepting,
      openMemos: stats.memos,
      connections: stats.connections,
      unstoredBytes: stats.unstoredBytes,
      storageFailing: stats.storageFailing,
      // Automatic versions not stored yet: waiting their turn, or failing and retried until stored.
      versionsWaiting: stats.versionsWaiting,
      versionsRetrying: stats.versionsRetrying,
      ...(embeddedPostgres ? { embeddedPostgres } : {}),
    });
  }
  if (options.metricsToken && !tokenMatches(req, options.metricsToken)) {
    res.writeHead(401, { "www-authenticate": "Bearer" }).end();
    return;
  }
  const registry = options.collab.metrics.registry;
  res.writeHead(200, { "content-type": registry.contentType }).end(await registry.metrics());
}
