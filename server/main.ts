import path from "node:path";
import { collectDefaultMetrics } from "prom-client";
import { seedDemoData, type DemoAccount } from "../prisma/seed";
import { createCollabServer } from "./collab/collabServer";
import { createInboxMailer, type InboxMailer } from "./inbox/inboxMailer";
import { collabLimitsFrom } from "./collab/limits";
import { startSupervisedPostgres, type SupervisedPostgres } from "./database/embeddedPostgresSupervisor";
import { applyMigrations } from "./database/migrate";
import { db, disconnectDb } from "./db";
import { closeHeavyWork } from "./workers/heavyWork";
import { closeSearchIndexer, indexUnindexedMemos, searchIndexer } from "./search/searchIndexing";
import { loadEnv, setEnv } from "./env";
import { startAppServer, type AppServer } from "./http/appServer";
import { logger } from "./logger";
import { ensureProductionBuild } from "./startup/ensureBuild";
import { resolveSessionSecret } from "./startup/sessionSecret";

// The start command: `npm start` (production; builds first when needed), `npm run dev` (hot
// reload) and `npm run build`. It brings up PostgreSQL (embedded unless DATABASE_URL is set),
// applies migrations, seeds the demo data on first run, and serves the app and the collaboration
// WebSocket on one port. The embedded PostgreSQL is restarted if it dies. Ctrl-C or SIGTERM stops
// everything, PostgreSQL last.

const SHUTDOWN_DEADLINE_MS = 10_000;
const projectDir = process.cwd();

function banner(url: string, embedded: boolean, accounts: DemoAccount[]): string {
  const lines = ["", `  Demarche is running at ${url}`, ""];
  if (embedded) {
    lines.push("  Embedded PostgreSQL (data in DATA_DIR). Demo analysts:");
    for (const account of accounts)
      lines.push(`    ${account.email.padEnd(28)} password: ${account.password}   (${account.name})`);
    lines.push("");
  }
  lines.push("  Press Ctrl-C to stop.", "");
  return lines.join("\n");
}

async function start(dev: boolean): Promise<void> {
  const env = loadEnv();
  const log = logger();
  const startedAt = performance.now();
  const sessionSecret = await resolveSessionSecret(env.SESSION_SECRET, env.dataDir);

  let embedded: SupervisedPostgres | undefined;
  let app: AppServer | undefined;
  let mailer: InboxMailer | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      log.warn("second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, "shutting down");
    const deadline = setTimeout(() => {
      log.error("shutdown took longer than 10 s; exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    try {
      await app?.close();
      await mailer?.close();
      await closeSearchIndexer();
      await closeHeavyWork();
      await disconnectDb();
      await embedded?.stop();
      clearTimeout(deadline);
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, "error during shutdown");
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  // Each step of start-up, with how long it took: when a start is slow, the log says where.
  let stepStartedAt = performance.now();
  const stepDone = (step: string) => {
    log.info({ step, ms: Math.round(performance.now() - stepStartedAt) }, "start-up step done");
    stepStartedAt = performance.now();
  };
  try {
    if (!dev) await ensureProductionBuild(projectDir, log);
    stepDone("build checked");
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      embedded = await startSupervisedPostgres(env.dataDir, log);
      databaseUrl = embedded.url;
      stepDone("embedded PostgreSQL started");
    }
    // Route handlers in the Next.js bundle read these through loadEnv() too.
    const resolved = setEnv({
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: sessionSecret,
      NEXTAUTH_URL: env.appUrl,
      NEXTAUTH_SECRET: sessionSecret,
      NODE_ENV: dev ? "development" : "production",
      NEXT_TELEMETRY_DISABLED: "1",
    });
    await applyMigrations(databaseUrl);
    stepDone("migrations applied");
    const seedDemo = resolved.SEED_DEMO ?? embedded !== undefined;
    const accounts = seedDemo ? await seedDemoData(db(), env.dataDir, env.IMPORT_MAX_BYTES) : [];
    if (seedDemo) stepDone("demo data ready");

    if (env.SMTP_URL) {
      mailer = createInboxMailer({
        db: db(),
        smtpUrl: env.SMTP_URL,
        from: env.SMTP_FROM ?? `Demarche <demarche@${new URL(env.appUrl).hostname}>`,
        appUrl: env.appUrl,
        log: log.child({ component: "mail" }),
      });
    }
    const collab = createCollabServer({
      db: db(),
      databaseUrl,
      origins: env.origins,
      redisUrl: env.REDIS_URL,
      log,
      sessionSecret,
      secureCookies: env.appUrl.startsWith("https://"),
      timing: {
        batchMs: env.PERSIST_BATCH_MS,
        compactAfterRows: 500,
        compactIdleMs: 10_000,
        unloadGraceMs: 30_000,
        versionSettleMs: env.VERSION_SETTLE_SECONDS * 1000,
        versionMaxBurstMs: env.VERSION_MAX_BURST_SECONDS * 1000,
      },
      limits: collabLimitsFrom(env),
      onStored: (memoId) => searchIndexer().changed(memoId),
      onInboxChanged: () => mailer?.wake(),
    });
    collectDefaultMetrics({ register: collab.metrics.registry });
    embedded?.registerMetrics(collab.metrics.registry);
    if (stopping) return;
    app = await startAppServer({
      dev,
      projectDir,
      host: env.HOST,
      port: env.PORT,
      collab,
      log,
      pingDatabase: async () => void (await db().$queryRaw`SELECT 1`),
      metricsToken: env.METRICS_TOKEN,
      embeddedPostgres: embedded?.status,
    });
    log.info({ port: app.port, ms: Math.round(performance.now() - startedAt) }, "ready");
    // In the background: a memo not indexed yet is searchable by its title meanwhile.
    void indexUnindexedMemos(db(), searchIndexer())
      .then((count) => count > 0 && log.info({ memos: count }, "indexing memos for search"))
      .catch((error: unknown) => log.error({ err: error }, "finding memos to index for search failed"));
    process.stdout.write(banner(env.appUrl, embedded !== undefined, accounts));
  } catch (error) {
    log.fatal({ err: error }, "start-up failed");
    await embedded?.stop().catch(() => undefined);
    process.exit(1);
  }
}

async function build(): Promise<void> {
  await ensureProductionBuild(projectDir, logger());
}

const command = process.argv[2] ?? "start";
if (command === "start" || command === "dev") void start(command === "dev");
else if (command === "build")
  void build().catch((error: unknown) => {
    logger().fatal({ err: error }, "build failed");
    process.exit(1);
  });
else {
  process.stderr.write(
    `Unknown command "${command}". Use: start | dev | build (run from ${path.basename(projectDir)})\n`,
  );
  process.exit(2);
}
