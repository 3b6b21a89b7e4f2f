import { NextResponse } from "next/server";
import { loadEnv } from "@/server/env";
import { AppError, forbidden, httpStatusOf, invalidInput, tooLarge, type ErrorCode } from "@/server/errors";
import { logger } from "@/server/logger";
import { originAllowed } from "@/server/http/originPolicy";
import { databaseBusy, isDatabaseBusy } from "@/server/database/databaseBusy";

// The one place where domain errors become HTTP responses. Unexpected errors are logged with
// context and answered with a generic 500: no stack trace ever reaches a client.

/** Body of every error response. */
export type ErrorBody = { error: { code: ErrorCode | "internal"; message: string; details?: Record<string, unknown> } };

/** Maps an error to a JSON response. */
export function errorResponse(error: unknown, context: Record<string, unknown> = {}): NextResponse<ErrorBody> {
  // No connection was free in time: nothing wrong with the request, which may be sent again.
  if (!(error instanceof AppError) && isDatabaseBusy(error)) {
    logger().warn({ err: error, ...context }, "database busy; answered 503");
    error = databaseBusy();
  }
  if (error instanceof AppError) {
    const status = httpStatusOf(error.code);
    const body: ErrorBody = { error: { code: error.code, message: error.message, details: error.details } };
    const headers: Record<string, string> = {};
    if ((error.code === "throttled" || error.code === "busy") && typeof error.details?.retryAfterSeconds === "number") {
      headers["retry-after"] = String(error.details.retryAfterSeconds);
    }
    return NextResponse.json(body, { status, headers });
  }
  logger().error({ err: error, ...context }, "unexpected error in a route handler");
  return NextResponse.json(
    { error: { code: "internal", message: "Something went wrong on our side. Try again." } },
    { status: 500 },
  );
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses state-changing requests sent by another site's pages. Browsers always send Origin on
 * such requests; the session cookie's SameSite=Lax already blocks most, this closes the rest.
 */
function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get("origin");
  if (origin !== null && !originAllowed(origin, request.headers.get("host"), loadEnv().origins))
    throw forbidden("Cross-site requests are not allowed.");
}

/** Runs a route body and turns thrown errors into responses. */
export async function handleRoute(
  request: Request,
  run: () => Promise<Response>,
  context: Record<string, unknown> = {},
): Promise<Response> {
  try {
    assertSameOrigin(request);
    return await run();
  } catch (error) {
    return errorResponse(error, { method: request.method, path: new URL(request.url).pathname, ...context });
  }
}

/** Reads a request body, refusing more than `maxBytes` without buffering the excess. */
export async function readBodyBytes(request: Request, maxBytes: number, tooLargeMessage: string): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(tooLargeMessage);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Not awaited: cancelling one branch of a cloned (teed) body resolves only once the other
      // branch is cancelled too, which for malformedJsonResponse's clone is never.
      reader.cancel().catch(() => undefined);
      throw tooLarge(tooLargeMessage);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

const JSON_BODY_LIMIT = 2 * 1024 * 1024;

/** Reads a JSON body (at most 2 MB); a malformed one is invalid_input. */
export async function readJsonBody(request: Request, maxBytes = JSON_BODY_LIMIT): Promise<unknown> {
  const bytes = await readBodyBytes(request, maxBytes, "The request is too large.");
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw invalidInput("The request body is not valid JSON.");
  }
}

/**
 * For handlers that read their body themselves (next-auth parses JSON with `request.json()` and
 * answers a malformed body with a 500): the error response for a JSON body that is malformed or
 * over `maxBytes`, or null when the handler may go ahead. Reads a clone; the body stays unread.
 */
export async function malformedJsonResponse(request: Request, maxBytes: number): Promise<Response | null> {
  if (request.method !== "POST" || !request.headers.get("content-type")?.includes("application/json")) return null;
  try {
    await readJsonBody(request.clone(), maxBytes);
    return null;
  } catch (error) {
    return errorResponse(error, { method: request.method, path: new URL(request.url).pathname });
  }
}
