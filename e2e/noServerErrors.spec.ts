import crypto from "node:crypto";
import fc from "fast-check";
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { createAnalyst, expect, test } from "./fixtures";

// No input makes a 500: every route, next-auth's included, driven with malformed bodies, content
// types, query values, ids and characters PostgreSQL cannot store, as the owner of a real memo.
// Each answer is a 4xx (or a success), and an error from our routes is JSON with a message.

const baseURL = `http://localhost:${process.env.E2E_PORT}`;
const RUNS = Number(process.env.FUZZ_RUNS ?? 240);

/** Strings a database or a parser may choke on. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfff",
    "\ud83d",
    "%00",
    "../../etc/passwd",
    "<script>",
    "' OR 1=1 --",
    "😀".repeat(50),
    "x".repeat(20_000),
    " ",
    "",
  ),
);
const hostileNumber = fc.constantFrom(-1, 0, 1.5, 2147483648, -2147483649, 1e30, Number.MAX_SAFE_INTEGER + 2, 1e308);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constant(null),
  fc.boolean(),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
  fc.constant({ a: { b: { c: { d: { e: [[[[["deep"]]]]] } } } } }),
);
/** Field names our routes read, so values reach the checks behind the first. */
const FIELDS = [
  "title",
  "from",
  "source",
  "name",
  "note",
  "email",
  "role",
  "body",
  "quote",
  "mentions",
  "anchor",
  "resolved",
  "marking",
  "to",
  "date",
  "subject",
  "distribution",
  "password",
  "userId",
  "versionId",
  "label",
  "text",
  "status",
  "token",
];
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 5 }).map((value) => ({ json: value })),
  fc.jsonValue().map((value) => ({ json: value })),
  fc
    .oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom("{", '{"title":', "[1,2", "\u0000", '{"title":"\\ud800"}', '{"title":"a\\u0000b"}', "null"),
    )
    .map((text) => ({ raw: text })),
);
const contentType = fc.constantFrom(
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "multipart/form-data",
  "application/octet-stream",
  "",
  "application/json; charset=utf-16",
);

type Route = { method: "GET" | "POST" | "PATCH" | "DELETE"; path: (ids: Ids) => string; nextAuth?: boolean };
type Ids = { memo: string; other: string; query: string };

const ROUTES: Route[] = [
  { method: "POST", path: () => "/api/accounts" },
  { method: "POST", path: () => "/api/accounts/reset-password" },
  { method: "GET", path: ({ query }) => `/api/memos?q=${query}` },
  { method: "POST", path: () => "/api/memos" },
  { method: "POST", path: ({ query }) => `/api/memos/import?title=${query}` },
  { method: "GET", path: ({ query }) => `/api/mentions?q=${query}` },
  { method: "GET", path: ({ query }) => `/api/inbox?before=${query}` },
  { method: "GET", path: ({ query }) => `/api/inbox?count=${query}` },
  { method: "POST", path: () => "/api/inbox/read" },
  { method: "PATCH", path: () => "/api/inbox/settings" },
  { method: "GET", path: ({ query }) => `/api/search?q=${query}&limit=${query}&offset=${query}` },
  { method: "GET", path: ({ memo }) => `/api/memos/${memo}` },
  { method: "PATCH", path: ({ memo }) => `/api/memos/${memo}` },
  { method: "GET", path: ({ memo, query }) => `/api/memos/${memo}/export?format=${query}` },
  { method: "GET", path: ({ memo }) => `/api/memos/${memo}/metadata` },
  { method: "PATCH", path: ({ memo }) => `/api/memos/${memo}/metadata` },
  { method: "GET", path: ({ memo }) => `/api/memos/${memo}/sharing` },
  { method: "POST", path: ({ memo }) => `/api/memos/${memo}/sharing` },
  { method: "GET", path: ({ memo, query }) => `/api/memos/${memo}/sharing/audit?before=${query}` },
  { method: "DELETE", path: ({ memo, other }) => `/api/memos/${memo}/sharing/invites/${other}` },
  { method: "PATCH", path: ({ memo, other }) => `/api/memos/${memo}/sharing/members/${other}` },
  { method: "DELETE", path: ({ memo, other }) => `/api/memos/${memo}/sharing/members/${other}` },
  { method: "POST", path: ({ memo }) => `/api/memos/${memo}/sharing/owner` },
  { method: "GET", path: ({ memo, query }) => `/api/memos/${memo}/threads?status=${query}` },
  { method: "POST", path: ({ memo }) => `/api/memos/${memo}/threads` },
  { method: "PATCH", path: ({ memo, other }) => `/api/memos/${memo}/threads/${other}` },
  { method: "POST", path: ({ memo, other }) => `/api/memos/${memo}/threads/${other}/comments` },
  { method: "PATCH", path: ({ memo, other }) => `/api/memos/${memo}/threads/${other}/comments/${other}` },
  { method: "DELETE", path: ({ memo, other }) => `/api/memos/${memo}/threads/${other}/comments/${other}` },
  { method: "POST", path: ({ memo }) => `/api/memos/${memo}/ticket` },
  { method: "GET", path: ({ memo, query }) => `/api/memos/${memo}/versions?before=${query}&limit=${query}` },
  { method: "POST", path: ({ memo }) => `/api/memos/${memo}/versions` },
  { method: "GET", path: ({ memo, query }) => `/api/memos/${memo}/versions/compare?from=${query}&to=${query}` },
  {
    method: "GET",
    path: ({ memo, query }) => `/api/memos/${memo}/versions/compare/export?from=${query}&to=${query}&format=${query}`,
  },
  { method: "GET", path: ({ memo, other }) => `/api/memos/${memo}/versions/${other}` },
  { method: "PATCH", path: ({ memo, other }) => `/api/memos/${memo}/versions/${other}` },
  { method: "POST", path: ({ memo, other }) => `/api/memos/${memo}/versions/${other}/restore` },
  { method: "POST", path: () => "/api/auth/callback/credentials", nextAuth: true },
  { method: "GET", path: ({ query }) => `/api/auth/callback/credentials?error=${query}`, nextAuth: true },
  { method: "POST", path: () => "/api/auth/signin/credentials", nextAuth: true },
  { method: "GET", path: () => "/api/auth/session", nextAuth: true },
  { method: "GET", path: () => "/api/auth/csrf", nextAuth: true },
  { method: "GET", path: ({ query }) => `/api/auth/${query}`, nextAuth: true },
  { method: "POST", path: () => "/api/auth/signin/oidc", nextAuth: true },
  {
    method: "GET",
    path: ({ query }) => `/api/auth/callback/oidc?code=${query}&state=${query}&iss=${query}`,
    nextAuth: true,
  },
];

let owner: APIRequestContext;
let memoId: string;
let versionId: string;

test.beforeAll(async ({ request }) => {
  const analyst = await createAnalyst(request, "Fuzz Owner");
  owner = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = (await (await owner.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signedIn = await owner.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: analyst.email, password: analyst.password, json: "true" },
  });
  expect(signedIn.ok()).toBe(true);
  const created = await owner.post("/api/memos", {
    data: { from: "source", title: "Fuzzed memo", source: "Background\nThe talks resume on Monday." },
  });
  expect(created.status()).toBe(201);
  memoId = ((await created.json()) as { memo: { id: string } }).memo.id;
  const versions = (await (await owner.get(`/api/memos/${memoId}/versions`)).json()) as { versions: { id: string }[] };
  versionId = versions.versions[0]?.id ?? crypto.randomUUID();
});

test.afterAll(async () => {
  await owner.dispose();
});

test("no route answers 500 to malformed bodies, content types, query values, ids or unstorable characters", async () => {
  test.setTimeout(240_000);
  const ids = fc.record({
    memo: fc.constantFrom(
      () => memoId,
      () => crypto.randomUUID(),
      () => "not-a-uuid",
      () => "%00",
      () => "..%2F..%2Fapi",
      () => "00000000-0000-0000-0000-000000000000",
    ),
    other: fc.constantFrom(
      () => versionId,
      () => crypto.randomUUID(),
      () => "x",
      () => "%ud800",
      () => "-1",
    ),
    query: hostileString.map((value) => encodeURIComponent(value.replace(/[\ud800-\udfff]/g, "\ufffd")).slice(0, 2000)),
  });
  const failures: string[] = [];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ROUTES), ids, body, contentType, async (route, id, payload, type) => {
      const path = route.path({ memo: id.memo(), other: id.other(), query: id.query });
      const headers: Record<string, string> = { origin: baseURL };
      if (type) headers["content-type"] = type;
      const data = route.method === "GET" ? undefined : "json" in payload ? JSON.stringify(payload.json) : payload.raw;
      const response = await owner.fetch(path, {
        method: route.method,
        headers,
        data,
        maxRedirects: 0,
        failOnStatusCode: false,
      });
      const status = response.status();
      if (status >= 500) failures.push(`${route.method} ${path} (${type}) ${String(data).slice(0, 120)} → ${status}`);
      if (status >= 400 && !route.nextAuth && (response.headers()["content-type"] ?? "").includes("json")) {
        const parsed = (await response.json()) as { error?: { message?: unknown } };
        expect(typeof parsed.error?.message, `${route.method} ${path}`).toBe("string");
      }
    }),
    { numRuns: RUNS, seed: 20261202 },
  );
  expect(failures).toEqual([]);
  // The owner's memo still answers (unless a fuzzed DELETE removed it, which is an answer too).
  expect((await owner.get(`/api/memos/${memoId}`)).status()).toBeLessThan(500);
});
