import pino, { type Logger } from "pino";
import { loadEnv } from "./env";

export type { Logger } from "pino";

const holder = globalThis as typeof globalThis & { __demarcheLogger?: Logger };

/** The process-wide structured (JSON) logger. Secrets and passwords are never passed to it. */
export function logger(): Logger {
  holder.__demarcheLogger ??= pino({
    level: loadEnv().LOG_LEVEL,
    base: { service: "demarche" },
    redact: ["password", "*.password", "passwordHash", "*.passwordHash", "cookie", "*.cookie", "headers.cookie"],
  });
  return holder.__demarcheLogger;
}
