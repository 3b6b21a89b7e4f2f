import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { providerUrl } from "./accounts/providerUrl";
import { originPolicy, type OriginPolicy } from "./http/originPolicy";

// Every environment variable Demarche reads, with its default. Nothing else reads process.env.
// The start command (server/main.ts) resolves what is missing (DATABASE_URL of the embedded
// PostgreSQL, the generated session secret) and writes it back into the environment before
// Next.js starts, so route handlers in the same process read the same values through here.

const boolean = z
  .enum(["1", "0", "true", "false", "yes", "no"])
  .transform((value) => ["1", "true", "yes"].includes(value));

/** Markings offered when MEMO_MARKINGS is unset. */
export const DEFAULT_MEMO_MARKINGS = ["UNCLASSIFIED", "UNCLASSIFIED // FOR OFFICIAL USE ONLY", "CONFIDENTIAL"];

// A list in one variable: "|" separates entries because markings themselves contain "//" and commas
// ("SECRET//REL TO USA, GBR").
const markingList = z
  .string()
  .transform((value) =>
    value
      .split("|")
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().max(100, "each marking can be at most 100 characters"))
      .min(1, "name at least one marking")
      .refine((list) => new Set(list).size === list.length, "markings must be unique"),
  );

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Port for the web app and the collaboration WebSocket (same origin). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Public URL of the app; defaults to http://localhost:PORT. */
  APP_URL: z.url().optional(),
  /** External PostgreSQL. When unset, an embedded PostgreSQL is started in DATA_DIR. */
  DATABASE_URL: z.string().min(1).optional(),
  /** Folder for the embedded database and generated secrets (git-ignored). */
  DATA_DIR: z.string().min(1).default(".data"),
  /** Secret that signs sessions. Generated into DATA_DIR on first start when unset. */
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Connections of the Prisma client's pool (route handlers, versions, comments, sharing). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  /** Version-history transactions (automatic versions, exports' records, restores) run at once; the rest wait their turn. */
  HISTORY_TRANSACTIONS: z.coerce.number().int().min(1).max(100).default(4),
  /** Largest source text accepted by "New memo from source", in bytes. */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(512 * 1024),
  /** Threads for work that grows with a document (import parsing, export rendering); default: cores − 1, 1 to 4. */
  WORKER_THREADS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(() => Math.max(1, Math.min(4, os.availableParallelism() - 1))),
  /** Imports and exports that may wait for a worker thread; more are answered 503 with Retry-After. */
  WORKER_QUEUE_LENGTH: z.coerce.number().int().min(0).default(16),
  /** Longest wait for a worker thread before a 503, in milliseconds. */
  WORKER_QUEUE_WAIT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Longest run of one import or export in a worker; its thread is then stopped (503), in milliseconds. */
  WORKER_DEADLINE_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Heap limit of each worker thread, in MB; a task that needs more is refused (422). */
  WORKER_MAX_HEAP_MB: z.coerce.number().int().min(64).default(1024),
  /** How long collected document updates wait before they are written, in milliseconds. */
  PERSIST_BATCH_MS: z.coerce.number().int().min(0).max(5000).default(50),
  /** Largest WebSocket frame the collaboration server accepts (the ws default of 100 MiB is unsafe). */
  COLLAB_MAX_FRAME_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 * 1024),
  /** Largest memo (encoded Yjs state plus updates since load). */
  COLLAB_MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(32 * 1024 * 1024),
  /** Messages per second one connection may send (sustained); the burst is 2.5 times this. */
  COLLAB_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).default(200),
  /**
   * Bytes per second one connection may send (sustained); the burst is twice COLLAB_MAX_FRAME_BYTES
   * or 2.5 times this, whichever is larger, so one paste of a whole memo always fits.
   */
  COLLAB_BYTES_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1024)
    .default(512 * 1024),
  /** Largest presence (awareness) update. */
  COLLAB_MAX_AWARENESS_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .default(32 * 1024),
  /** Updates one memo may hold in memory while PostgreSQL is unreachable. */
  COLLAB_MAX_UNSTORED_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(64 * 1024 * 1024),
  /** An automatic version is taken when editing pauses this long (seconds)… */
  VERSION_SETTLE_SECONDS: z.coerce.number().int().min(1).default(120),
  /** …and at least this often during continuous editing (seconds). */
  VERSION_MAX_BURST_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Redis shared by several collaboration-server instances; unset for a single instance. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "REDIS_URL must start with redis:// or rediss://")
    .optional(),
  /**
   * How many reverse proxies sit in front of the server. Their X-Forwarded-For entries are believed
   * (the client is the address the outermost one saw); 0 means none: the socket's peer is the client.
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Optional bearer token required to read /metrics. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Seed the demo analysts and their memo (defaults to on with the embedded database only). */
  SEED_DEMO: boolean.optional(),
  /** Classification or handling markings a memo can carry, separated by "|"; the first is the default. */
  MEMO_MARKINGS: markingList.default(DEFAULT_MEMO_MARKINGS),
  /** OpenID Connect single sign-on: the identity provider's issuer URL (docs/single-sign-on.md). */
  OIDC_ISSUER: providerUrl("OIDC_ISSUER").optional(),
  /** The client id Demarche is registered under at the identity provider. */
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** That client's secret. */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Scopes asked for at sign-in, separated by spaces; must include openid. */
  OIDC_SCOPES: z
    .string()
    .default("openid email profile")
    .refine((value) => value.split(/\s+/).includes("openid"), "OIDC_SCOPES must include openid"),
  /** The claim (ID token or userinfo) that holds the person's email address. */
  OIDC_EMAIL_CLAIM: z.string().min(1).default("email"),
  /** The claim that holds the person's display name (the email's local part when absent). */
  OIDC_NAME_CLAIM: z.string().min(1).default("name"),
  /** What the sign-in button calls the identity provider ("Sign in with …"). */
  OIDC_DISPLAY_NAME: z.string().min(1).max(60).default("single sign-on"),
  /**
   * Link a first sign-in to an existing password account with the same email even when the
   * provider does not say the email is verified (email_verified). Only for a provider whose users
   * cannot choose their email, such as a single-tenant Microsoft Entra ID.
   */
  OIDC_TRUST_EMAIL: boolean.default(false),
  /**
   * Where to send inbox email: smtp://user:pass@host:587 (STARTTLS when offered) or
   * smtps://…:465 (TLS from the start). Unset: no email; the app works fully without it.
   */
  SMTP_URL: z
    .url()
    .refine((value) => /^smtps?:\/\//.test(value), "SMTP_URL must start with smtp:// or smtps://")
    .optional(),
  /** The From of inbox email; "Demarche <demarche@APP_URL's host>" when unset. */
  SMTP_FROM: z.string().min(3).max(200).optional(),
  /** Email-and-password sign-in, sign-up and password reset; "off" leaves single sign-on only. */
  PASSWORD_SIGNIN: z
    .enum(["on", "off"])
    .default("on")
    .transform((value) => value === "on"),
});

/** OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET come together; password sign-in is off only beside OIDC. */
function checkSignInMethods(env: z.infer<typeof envSchema>): string[] {
  const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
  const problems: string[] = [];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    problems.push("  OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set all three for single sign-on, or none");
  }
  if (!env.PASSWORD_SIGNIN && !oidc.every(Boolean)) {
    problems.push("  PASSWORD_SIGNIN: off needs single sign-on (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET)");
  }
  return problems;
}

/** Single sign-on as configured, or null when it is off. */
export type OidcSettings = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  emailClaim: string;
  nameClaim: string;
  displayName: string;
  trustEmail: boolean;
};

/** Validated configuration. */
export type Env = z.infer<typeof envSchema> & {
  /** Absolute DATA_DIR. */
  dataDir: string;
  /** APP_URL or its default, without a trailing slash. */
  appUrl: string;
  /** Which page origins are ours (see originPolicy.ts): APP_URL's, or by default any address of this server. */
  origins: OriginPolicy;
  /** Single sign-on, when OIDC_* configure it. */
  oidc: OidcSettings | null;
};

let cached: Env | undefined;

/** Reads and validates the environment once; throws a readable error on a bad value. */
export function loadEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${problems.join("\n")}`);
  }
  const env = parsed.data;
  const problems = checkSignInMethods(env);
  if (problems.length > 0) throw new Error(`Invalid environment:\n${problems.join("\n")}`);
  const appUrl = (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
  cached = {
    ...env,
    dataDir: path.resolve(env.DATA_DIR),
    appUrl,
    origins: originPolicy(appUrl, env.APP_URL !== undefined),
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
        ? {
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            scopes: env.OIDC_SCOPES.trim(),
            emailClaim: env.OIDC_EMAIL_CLAIM,
            nameClaim: env.OIDC_NAME_CLAIM,
            displayName: env.OIDC_DISPLAY_NAME,
            trustEmail: env.OIDC_TRUST_EMAIL,
          }
        : null,
  };
  return cached;
}

/** DATABASE_URL, which `npm start` provides (the embedded PostgreSQL's when none is configured); throws when unset. */
export function databaseUrl(): string {
  const url = loadEnv().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start Demarche with `npm start`, which provides it");
  return url;
}

/** Overrides variables for this process (used by the start command and tests), then re-reads them. */
export function setEnv(values: Record<string, string | undefined>): Env {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  cached = undefined;
  return loadEnv();
}
