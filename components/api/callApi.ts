// The one way the browser calls our JSON routes: every failure becomes an Error whose message can
// be shown as it is (the route's own message when it sent one).

type ErrorBody = { error?: { message?: string } };

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
