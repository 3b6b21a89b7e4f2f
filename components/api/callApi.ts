// The one way the browser calls our JSON routes: every failure becomes an Error whose message can
// be shown as it is (the route's own message when it sent one).

import type { InvalidInputDetails } from "@/server/errors";

/** The body of an error answer (app/_http/routeHandler.ts); details.issues when the input was invalid. */
export type ErrorBody = { error?: { message?: string; details?: Partial<InvalidInputDetails> } };

/** A server type as it arrives over JSON: dates become ISO strings, at any depth. */
export type Jsonified<T> = T extends Date
  ? string
  : T extends (infer Item)[]
    ? Jsonified<Item>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/** Fetches `input` (never from the HTTP cache) and returns the response once it is a success. */
export async function fetchOk(input: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(input, { cache: "no-store", ...init });
  } catch {
    throw new Error("Could not reach the server. Check your connection and try again.");
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null;
    throw new Error(body?.error?.message ?? `The server answered ${response.status}. Try again.`);
  }
  return response;
}

/** Fetches `input` and returns its JSON body; undefined for 204. */
export async function callApi<T>(input: string, init: RequestInit = {}): Promise<T> {
  const response = await fetchOk(input, init);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** A request with a JSON body. */
export const jsonRequest = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** The first problem named for each top-level field of an invalid-input answer, to show beside the field. */
export function fieldMessages(body: ErrorBody | null): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const issue of body?.error?.details?.issues ?? []) {
    const field = issue.path[0];
    if (field !== undefined && !(field in messages)) messages[field] = issue.message;
  }
  return messages;
}
