import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import * as Y from "yjs";
import { createAnalyst, expect, test, type Analyst } from "./fixtures";

// Every comment route tried as each kind of caller, with the exact status: anonymous 401,
// non-member 404, viewer 403 on writes, commenter and above allowed, authors alone edit, authors
// and the owner delete. Ids of another memo's threads and comments never work through this memo.

type Caller = "anonymous" | "nonMember" | "viewer" | "commenter" | "editor" | "owner";
const CALLERS: Caller[] = ["anonymous", "nonMember", "viewer", "commenter", "editor", "owner"];
type Expectation = Record<Caller, number>;

const baseURL = `http://localhost:${process.env.E2E_PORT}`;
const contexts = new Map<Caller, APIRequestContext>();
let memoId: string;
let otherMemoId: string;

// A valid encoded Yjs relative position (the anchor's format); where it points does not matter here.
const position = Buffer.from(
  Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(new Y.Doc().getXmlFragment("default"), 0)),
).toString("base64");
const newThread = (body: string) => ({ anchor: { start: position, end: position }, quote: "A passage", body });

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

type ThreadJson = { id: string; comments: { id: string; body: string }[]; resolvedAt: string | null };

async function openThread(caller: Caller, memo: string, body: string): Promise<ThreadJson> {
  const response = await contexts.get(caller)!.post(`/api/memos/${memo}/threads`, { data: newThread(body) });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { thread: ThreadJson }).thread;
}

const everyone = (ok: number): Expectation => ({
  anonymous: 401,
  nonMember: 404,
  viewer: ok,
  commenter: ok,
  editor: ok,
  owner: ok,
});
const commenters = (ok: number): Expectation => ({
  anonymous: 401,
  nonMember: 404,
  viewer: 403,
  commenter: ok,
  editor: ok,
  owner: ok,
});

async function statuses(
  call: (context: APIRequestContext, caller: Caller) => Promise<{ status(): number }>,
): Promise<Partial<Expectation>> {
  const actual: Partial<Expectation> = {};
  for (const caller of CALLERS) actual[caller] = (await call(contexts.get(caller)!, caller)).status();
  return actual;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  const accounts = new Map<Caller, Analyst>();
  for (const caller of CALLERS)
    if (caller !== "anonymous") accounts.set(caller, await createAnalyst(request, `Comments ${caller}`));
  for (const caller of CALLERS) contexts.set(caller, await signedInContext(accounts.get(caller) ?? null));
  const owner = contexts.get("owner")!;
  memoId = (
    (await (await owner.post("/api/memos", { data: { from: "blank", title: "Comment matrix" } })).json()) as {
      memo: { id: string };
    }
  ).memo.id;
  otherMemoId = (
    (await (await owner.post("/api/memos", { data: { from: "blank", title: "Owner's other memo" } })).json()) as {
      memo: { id: string };
    }
  ).memo.id;
  for (const role of ["viewer", "commenter", "editor"] as const) {
    expect(
      (await owner.post(`/api/memos/${memoId}/sharing`, { data: { email: accounts.get(role)!.email, role } })).status(),
    ).toBe(201);
  }
});

test.afterAll(async () => {
  for (const context of contexts.values()) await context.dispose();
});

test("read threads: everyone with access", async () => {
  expect(await statuses((c) => c.get(`/api/memos/${memoId}/threads`))).toEqual(everyone(200));
});

test("open a thread, reply, resolve, reopen: commenters and above", async () => {
  const thread = await openThread("owner", memoId, "Owner's question");
  expect(
    await statuses((c, caller) => c.post(`/api/memos/${memoId}/threads`, { data: newThread(`By ${caller}`) })),
  ).toEqual(commenters(201));
  expect(
    await statuses((c, caller) =>
      c.post(`/api/memos/${memoId}/threads/${thread.id}/comments`, { data: { body: `Reply by ${caller}` } }),
    ),
  ).toEqual(commenters(201));
  expect(
    await statuses((c) => c.patch(`/api/memos/${memoId}/threads/${thread.id}`, { data: { resolved: true } })),
  ).toEqual(commenters(200));
  expect(
    await statuses((c) => c.patch(`/api/memos/${memoId}/threads/${thread.id}`, { data: { resolved: false } })),
  ).toEqual(commenters(200));
  const replies = (
    (await (await contexts.get("viewer")!.get(`/api/memos/${memoId}/threads`)).json()) as { threads: ThreadJson[] }
  ).threads
    .find((entry) => entry.id === thread.id)!
    .comments.map((comment) => comment.body);
  expect(replies).toEqual(["Owner's question", "Reply by commenter", "Reply by editor", "Reply by owner"]);
});

test("edit a comment: its author only", async () => {
  const thread = await openThread("commenter", memoId, "Commenter's words");
  const path = `/api/memos/${memoId}/threads/${thread.id}/comments/${thread.comments[0].id}`;
  expect(await statuses((c, caller) => c.patch(path, { data: { body: `Edited by ${caller}` } }))).toEqual({
    anonymous: 401,
    nonMember: 404,
    viewer: 403,
    commenter: 200,
    editor: 403,
    owner: 403,
  });
});

test("delete a comment: its author, or the memo's owner", async () => {
  const actual: Partial<Expectation> = {};
  for (const caller of CALLERS) {
    const thread = await openThread("editor", memoId, "Opening");
    const reply = await contexts
      .get("commenter")!
      .post(`/api/memos/${memoId}/threads/${thread.id}/comments`, { data: { body: "Mine" } });
    const target = ((await reply.json()) as { thread: ThreadJson }).thread.comments[1].id;
    actual[caller] = (
      await contexts.get(caller)!.delete(`/api/memos/${memoId}/threads/${thread.id}/comments/${target}`)
    ).status();
  }
  expect(actual).toEqual({ anonymous: 401, nonMember: 404, viewer: 403, commenter: 200, editor: 403, owner: 200 });
});

test("ids of another memo's threads and comments never work here, even for their owner", async () => {
  const elsewhere = await openThread("owner", otherMemoId, "In the other memo");
  const here = await openThread("owner", memoId, "In this memo");
  const owner = contexts.get("owner")!;
  const foreignComment = elsewhere.comments[0].id;
  const attempts = {
    reply: (
      await owner.post(`/api/memos/${memoId}/threads/${elsewhere.id}/comments`, { data: { body: "x" } })
    ).status(),
    resolve: (await owner.patch(`/api/memos/${memoId}/threads/${elsewhere.id}`, { data: { resolved: true } })).status(),
    editViaForeignThread: (
      await owner.patch(`/api/memos/${memoId}/threads/${elsewhere.id}/comments/${foreignComment}`, {
        data: { body: "x" },
      })
    ).status(),
    editViaThisThread: (
      await owner.patch(`/api/memos/${memoId}/threads/${here.id}/comments/${foreignComment}`, { data: { body: "x" } })
    ).status(),
    deleteViaThisThread: (
      await owner.delete(`/api/memos/${memoId}/threads/${here.id}/comments/${foreignComment}`)
    ).status(),
  };
  expect(attempts).toEqual({
    reply: 404,
    resolve: 404,
    editViaForeignThread: 404,
    editViaThisThread: 404,
    deleteViaThisThread: 404,
  });
  const other = ((await (await owner.get(`/api/memos/${otherMemoId}/threads`)).json()) as { threads: ThreadJson[] })
    .threads;
  expect(
    other.map((thread) => ({
      resolved: thread.resolvedAt !== null,
      bodies: thread.comments.map((comment) => comment.body),
    })),
  ).toEqual([{ resolved: false, bodies: ["In the other memo"] }]);
});

test("mentions: signed-in users only; comment writes from another site are refused", async () => {
  expect((await contexts.get("anonymous")!.get("/api/mentions")).status()).toBe(401);
  expect((await contexts.get("viewer")!.get("/api/mentions")).status()).toBe(200);
  const crossSite = await contexts
    .get("owner")!
    .post(`/api/memos/${memoId}/threads`, { data: newThread("Forged"), headers: { origin: "https://evil.example" } });
  expect(crossSite.status()).toBe(403);
});
