import { busy, isAppError, type AppError } from "../errors";

// When the database has no connection free in time. Prisma says so with P2028 ("Unable to start
// a transaction in the given time": its interactive transaction waited maxWait for a pooled
// connection) or P2024 (a query waited for one); pg's own pool with "timeout exceeded when trying
// to connect". None says anything about the request, which may simply be sent again: it is
// answered 503 with Retry-After (errorResponse in app/_http/routeHandler.ts), never 500, and work
// that must happen retries it (transactionLane.ts).

const BUSY_CODES: ReadonlySet<string> = new Set(["P2028", "P2024"]);
const RETRY_AFTER_SECONDS = 5;

/** True when `error` says the database had no connection or transaction slot free in time. */
export function isDatabaseBusy(error: unknown): boolean {
  if (isAppError(error, "busy")) return error.details?.reason === "database";
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === "string" && BUSY_CODES.has(code)) return true;
  return /timeout exceeded when trying to connect|Unable to start a transaction in the given time/i.test(error.message);
}

/** The 503 a person gets when the database is too busy to take their request now. */
export const databaseBusy = (): AppError =>
  busy("The server is busy with other work. Try again in a few seconds.", RETRY_AFTER_SECONDS, "database");
