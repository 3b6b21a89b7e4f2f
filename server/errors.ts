// Errors the domain throws on purpose. Each has a stable code, mapped to an HTTP status in one
// place, here (httpStatusOf): route handlers answer with it (app/_http/routeHandler.ts), and so
// does the collaboration server when it refuses an upgrade (collab/collabRefusals.ts, which also
// holds the WebSocket close codes of the errors that end a connection).

/** Stable identifiers of expected failures. */
export type ErrorCode =
  | "invalid_input"
  | "unauthenticated"
  | "invalid_credentials"
  | "throttled"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "too_large"
  | "unsupported_media_type"
  | "unprocessable"
  | "busy";

const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  throttled: 429,
  // A member whose role does not allow the action. Non-members get not_found from memoAccess.
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  busy: 503,
};

/** The HTTP status an error of this code is answered with. */
export const httpStatusOf = (code: ErrorCode): number => HTTP_STATUS[code];

/** An expected failure with a message fit to show to the user. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra facts for the client (field errors, retry-after seconds). Never secrets. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** One problem with a request's input: where it is (["anchor", "start"]; [] for the input as a whole) and what to fix. */
export type InputIssue = { path: (string | number)[]; message: string };
/** The one shape of an invalid_input error's details, when it has any: every problem found. */
export type InvalidInputDetails = { issues: InputIssue[] };

/** Input that cannot be used as sent; `issues` say where (parseInput.ts fills them from a schema). */
export const invalidInput = (message: string, issues?: InputIssue[]) =>
  new AppError("invalid_input", message, issues && ({ issues } satisfies InvalidInputDetails));
export const unauthenticated = () => new AppError("unauthenticated", "Sign in to continue.");
export const invalidCredentials = () => new AppError("invalid_credentials", "Email or password is incorrect.");
export const throttled = (retryAfterSeconds: number) => {
  // The first waits are seconds long (signInThrottle.ts): "1 minute" would overstate them.
  const [amount, unit] =
    retryAfterSeconds < 60 ? [Math.max(1, retryAfterSeconds), "second"] : [Math.ceil(retryAfterSeconds / 60), "minute"];
  return new AppError(
    "throttled",
    `Too many failed sign-in attempts. Try again in ${amount} ${unit}${amount === 1 ? "" : "s"}.`,
    {
      retryAfterSeconds,
    },
  );
};
export const forbidden = (message = "You do not have access to this memo.") => new AppError("forbidden", message);
export const notFound = (what = "Memo") => new AppError("not_found", `${what} not found.`);
export const conflict = (message: string) => new AppError("conflict", message);
export const tooLarge = (message: string) => new AppError("too_large", message);
export const unsupportedMediaType = (message: string) => new AppError("unsupported_media_type", message);
/** Well-formed input the server will not process as it is (a memo nested or sized beyond its limits). */
export const unprocessable = (message: string, details?: Record<string, unknown>) =>
  new AppError("unprocessable", message, details);
/**
 * The server has no capacity for the request now; the client may retry after `retryAfterSeconds`.
 * `reason` says which capacity, for callers that must still get the work done (heavyWork.ts).
 */
export const busy = (message: string, retryAfterSeconds: number, reason?: BusyReason) =>
  new AppError("busy", message, reason ? { retryAfterSeconds, reason } : { retryAfterSeconds });

/**
 * Why work was refused for now: a worker pool had no place in its queue, a task waited too long
 * in it, the pool is shutting down, a task ran past its deadline or its thread died; or the
 * database had no connection or transaction slot free in time (databaseBusy.ts).
 */
export type BusyReason = "queue-full" | "queue-wait" | "closed" | "deadline" | "lost" | "database";

/** True when `error` is an AppError with the given code. */
export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
