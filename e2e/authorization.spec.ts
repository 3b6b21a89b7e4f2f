import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import WebSocket from "ws";
import { createAnalyst, expect, test, type Analyst } from "./fixtures";

// Every page, route and the WebSocket, tried as each kind of caller, with the exact outcome.
// Someone without a role learns nothing (404); a member whose role does not allow an action gets
// 403; ids that belong to another memo never work through this memo's paths.

type Caller = "anonymous" | "nonMember" | "viewer" | "commenter" | "editor" | "owner";
const CALLERS: Caller[] = ["anonymous", "nonMember", "viewer", "commenter", "editor", "owner"];

const baseURL = `http://localhost:${process.env.E2E_PORT}`;
const contexts = new Map<Caller, APIRequestContext>();
const accounts = new Map<Caller, Analyst & { id?: string }>();
let memoId: string;
let otherMemoId: string;
let otherInviteId: string;
let viewerId: string;
let versionId: string;
let otherVersionId: string;

async function signedInContext(analyst: Analyst | null): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL });
  if (!analyst) return context;
  const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await context.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: analyst.email, password: analyst.password, json: "true" },
  });
  expect(response.ok()).toBe(true);
  return context;
}

async function cookieHeader(caller: Caller): Promise<string> {
  const state = await contexts.get(caller)!.storageState();
  return state.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

function openSocket(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://localhost:${process.env.E2E_PORT}${path}`, { headers });
    socket.once("open", () => {
      socket.close();
      resolve(101);
    });
    socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    socket.once("error", () => undefined);
  });
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  for (const caller of CALLERS)
    if (caller !== "anonymous") accounts.set(caller, await createAnalyst(request, `Matrix ${caller}`));
  for (const caller of CALLERS) contexts.set(caller, await signedInContext(accounts.get(caller) ?? null));
  const owner = contexts.get("owner")!;
  memoId = (
    (await (await owner.post("/api/memos", { data: { from: "blank", title: "Matrix memo" } })).json()) as {
      memo: { id: string };
    }
  ).memo.id;
  for (const role of ["viewer", "commenter", "editor"] as const) {
    const response = await owner.post(`/api/memos/${memoId}/sharing`, {
      data: { email: accounts.get(role)!.email, role },
    });
    expect(response.status()).toBe(201);
  }
  const sharing = (await (await owner.get(`/api/memos/${memoId}/sharing`)).json()) as {
    people: { userId: string; email: string }[];
  };
  viewerId = sharing.people.find((person) => person.email === accounts.get("viewer")!.email)!.userId;
  // Another memo, owned by the non-member, with a pending invitation: its ids must never work here.
  const stranger = contexts.get("nonMember")!;
  otherMemoId = (
    (await (await stranger.post("/api/memos", { data: { from: "blank", title: "Other memo" } })).json()) as {
      memo: { id: string };
    }
  ).memo.id;
  otherInviteId = (
    (await (
      await stranger.post(`/api/memos/${otherMemoId}/sharing`, {
        data: { email: "pending@example.org", role: "viewer" },
      })
    ).json()) as { inviteId: string }
  ).inviteId;
  const firstVersion = async (context: APIRequestContext, id: string) =>
    ((await (await context.get(`/api/memos/${id}/versions`)).json()) as { versions: { id: string }[] }).versions.at(-1)!
      .id;
  versionId = await firstVersion(owner, memoId);
  otherVersionId = await firstVersion(stranger, otherMemoId);
});

test.afterAll(async () => {
  for (const context of contexts.values()) await context.dispose();
});

type Expectation = Record<Caller, number>;
const everyoneWithAccess = (ok: number): Expectation => ({
  anonymous: 401,
  nonMember: 404,
  viewer: ok,
  commenter: ok,
  editor: ok,
  owner: ok,
});
const writersOnly = (ok: number): Expectation => ({
  anonymous: 401,
  nonMember: 404,
  viewer: 403,
  commenter: 403,
  editor: ok,
  owner: ok,
});
const ownerOnly = (ok: number): Expectation => ({
  anonymous: 401,
  nonMember: 404,
  viewer: 403,
  commenter: 403,
  editor: 403,
  owner: ok,
});

const routes: {
  name: string;
  expect: Expectation;
  call: (context: APIRequestContext) => Promise<{ status(): number }>;
}[] = [
  { name: "GET memo", expect: everyoneWithAccess(200), call: (c) => c.get(`/api/memos/${memoId}`) },
  {
    name: "rename memo",
    expect: writersOnly(200),
    call: (c) => c.patch(`/api/memos/${memoId}`, { data: { title: "Matrix memo" } }),
  },
  { name: "GET sharing", expect: everyoneWithAccess(200), call: (c) => c.get(`/api/memos/${memoId}/sharing`) },
  {
    name: "invite",
    expect: ownerOnly(201),
    call: (c) =>
      c.post(`/api/memos/${memoId}/sharing`, { data: { email: `x${Math.random()}@example.org`, role: "viewer" } }),
  },
  {
    name: "change a role",
    expect: ownerOnly(200),
    call: (c) => c.patch(`/api/memos/${memoId}/sharing/members/${viewerId}`, { data: { role: "viewer" } }),
  },
  {
    name: "transfer to a non-member",
    expect: { ...ownerOnly(404) },
    call: (c) =>
      c.post(`/api/memos/${memoId}/sharing/owner`, { data: { userId: "00000000-0000-4000-8000-000000000000" } }),
  },
  { name: "audit log", expect: ownerOnly(200), call: (c) => c.get(`/api/memos/${memoId}/sharing/audit`) },
  { name: "WebSocket ticket", expect: everyoneWithAccess(200), call: (c) => c.post(`/api/memos/${memoId}/ticket`) },
  { name: "GET details", expect: everyoneWithAccess(200), call: (c) => c.get(`/api/memos/${memoId}/metadata`) },
  {
    name: "change details",
    expect: writersOnly(200),
    call: (c) => c.patch(`/api/memos/${memoId}/metadata`, { data: { subject: "Matrix" } }),
  },
  {
    name: "export Markdown",
    expect: everyoneWithAccess(200),
    call: (c) => c.get(`/api/memos/${memoId}/export?format=md`),
  },
  { name: "export PDF", expect: everyoneWithAccess(200), call: (c) => c.get(`/api/memos/${memoId}/export?format=pdf`) },
  { name: "list versions", expect: everyoneWithAccess(200), call: (c) => c.get(`/api/memos/${memoId}/versions`) },
  {
    name: "save a named version",
    expect: writersOnly(201),
    call: (c) => c.post(`/api/memos/${memoId}/versions`, { data: { name: "Matrix" } }),
  },
  {
    name: "view a version",
    expect: everyoneWithAccess(200),
    call: (c) => c.get(`/api/memos/${memoId}/versions/${versionId}`),
  },
  {
    name: "name a version",
    expect: writersOnly(200),
    call: (c) => c.patch(`/api/memos/${memoId}/versions/${versionId}`, { data: { name: "First" } }),
  },
  {
    name: "compare versions",
    expect: everyoneWithAccess(200),
    call: (c) => c.get(`/api/memos/${memoId}/versions/compare?from=${versionId}&to=${versionId}`),
  },
  {
    name: "redline of two versions",
    expect: everyoneWithAccess(200),
    call: (c) => c.get(`/api/memos/${memoId}/versions/compare/export?from=${versionId}&to=${versionId}&format=docx`),
  },
  {
    name: "restore a version",
    expect: writersOnly(200),
    call: (c) => c.post(`/api/memos/${memoId}/versions/${versionId}/restore`),
  },
  // Malformed requests: whoever may not act is refused as if the request were well-formed (404 or
  // 403, never a validation message); only those who may act learn what is wrong (400).
  {
    name: "rename to a malformed title",
    expect: writersOnly(400),
    call: (c) => c.patch(`/api/memos/${memoId}`, { data: { title: 42 } }),
  },
  {
    name: "change details to a marking not configured",
    expect: writersOnly(400),
    call: (c) => c.patch(`/api/memos/${memoId}/metadata`, { data: { marking: "TOP SECRET" } }),
  },
  {
    name: "invite with a malformed email",
    expect: ownerOnly(400),
    call: (c) => c.post(`/api/memos/${memoId}/sharing`, { data: { email: "not an email", role: "owner" } }),
  },
  {
    name: "change a role to a malformed one",
    expect: ownerOnly(400),
    call: (c) => c.patch(`/api/memos/${memoId}/sharing/members/${viewerId}`, { data: { role: "admin" } }),
  },
  {
    name: "transfer to a malformed member",
    expect: ownerOnly(400),
    call: (c) => c.post(`/api/memos/${memoId}/sharing/owner`, { data: { userId: 42 } }),
  },
  {
    name: "export to a malformed format",
    expect: everyoneWithAccess(400),
    call: (c) => c.get(`/api/memos/${memoId}/export?format=exe`),
  },
  {
    name: "list versions with a malformed page",
    expect: everyoneWithAccess(400),
    call: (c) => c.get(`/api/memos/${memoId}/versions?before=abc`),
  },
  {
    name: "save a version without a name",
    expect: writersOnly(400),
    call: (c) => c.post(`/api/memos/${memoId}/versions`, { data: { name: "   " } }),
  },
  {
    name: "name a version with a malformed note",
    expect: writersOnly(400),
    call: (c) => c.patch(`/api/memos/${memoId}/versions/${versionId}`, { data: { note: 42 } }),
  },
  {
    name: "compare without two versions",
    expect: everyoneWithAccess(400),
    call: (c) => c.get(`/api/memos/${memoId}/versions/compare?from=${versionId}`),
  },
  {
    name: "open a thread without a passage",
    expect: { anonymous: 401, nonMember: 404, viewer: 403, commenter: 400, editor: 400, owner: 400 },
    call: (c) => c.post(`/api/memos/${memoId}/threads`, { data: { body: "No anchor" } }),
  },
  // Another memo's ids through this memo's paths: never found, even by this memo's owner.
  {
    name: "view another memo's version",
    expect: everyoneWithAccess(404),
    call: (c) => c.get(`/api/memos/${memoId}/versions/${otherVersionId}`),
  },
  {
    name: "restore another memo's version",
    expect: { ...writersOnly(404), viewer: 403, commenter: 403 },
    call: (c) => c.post(`/api/memos/${memoId}/versions/${otherVersionId}/restore`),
  },
  {
    name: "cancel another memo's invitation",
    expect: { ...ownerOnly(404) },
    call: (c) => c.delete(`/api/memos/${memoId}/sharing/invites/${otherInviteId}`),
  },
];

for (const route of routes) {
  test(`route: ${route.name}`, async () => {
    const actual: Partial<Expectation> = {};
    for (const caller of CALLERS) actual[caller] = (await route.call(contexts.get(caller)!)).status();
    expect(actual).toEqual(route.expect);
  });
}

test("page: the memo", async () => {
  const actual: Record<string, string | number> = {};
  for (const caller of CALLERS) {
    const response = await contexts.get(caller)!.get(`/memos/${memoId}`, { maxRedirects: 0 });
    actual[caller] = response.status() === 307 ? `redirect ${response.headers().location}` : response.status();
  }
  expect(actual).toEqual({
    anonymous: `redirect /signin?callbackUrl=${encodeURIComponent(`/memos/${memoId}`)}`,
    nonMember: 404,
    viewer: 200,
    commenter: 200,
    editor: 200,
    owner: 200,
  });
});

test("the memos list shows the memo to members only", async () => {
  const actual: Record<string, number | boolean> = {};
  for (const caller of CALLERS) {
    const response = await contexts.get(caller)!.get("/api/memos");
    actual[caller] =
      response.status() === 200
        ? ((await response.json()) as { memos: { id: string }[] }).memos.some((memo) => memo.id === memoId)
        : response.status();
  }
  expect(actual).toEqual({
    anonymous: 401,
    nonMember: false,
    viewer: true,
    commenter: true,
    editor: true,
    owner: true,
  });
});

test("WebSocket: upgrade outcome per caller, and cross-site pages refused", async () => {
  const actual: Partial<Expectation> = {};
  for (const caller of CALLERS)
    actual[caller] = await openSocket(`/collab/${memoId}`, { cookie: await cookieHeader(caller), origin: baseURL });
  expect(actual).toEqual({ anonymous: 401, nonMember: 404, viewer: 101, commenter: 101, editor: 101, owner: 101 });
  expect(
    await openSocket(`/collab/${memoId}`, { cookie: await cookieHeader("owner"), origin: "https://evil.example" }),
  ).toBe(403);
  expect(await openSocket(`/collab/${otherMemoId}`, { cookie: await cookieHeader("owner"), origin: baseURL })).toBe(
    404,
  );
});

test("state-changing requests from another site are refused", async () => {
  const response = await contexts
    .get("owner")!
    .patch(`/api/memos/${memoId}`, { data: { title: "Hijacked" }, headers: { origin: "https://evil.example" } });
  expect(response.status()).toBe(403);
  expect(
    ((await (await contexts.get("owner")!.get(`/api/memos/${memoId}`)).json()) as { memo: { title: string } }).memo
      .title,
  ).toBe("Matrix memo");
});

test("delete: only the owner", async () => {
  const actual: Partial<Expectation> = {};
  for (const caller of CALLERS.filter((c) => c !== "owner"))
    actual[caller] = (await contexts.get(caller)!.delete(`/api/memos/${memoId}`)).status();
  actual.owner = (await contexts.get("owner")!.delete(`/api/memos/${memoId}`)).status();
  expect(actual).toEqual(ownerOnly(204));
  expect((await contexts.get("viewer")!.get(`/api/memos/${memoId}`)).status()).toBe(404);
});
