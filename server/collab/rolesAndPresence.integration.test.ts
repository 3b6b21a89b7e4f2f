import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type WebSocket from "ws";
import * as Y from "yjs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, type TestUser } from "../testing/fixtures";
import {
  connectTestClient,
  openRawSocket,
  sessionCookie,
  startTestCollabServer,
  TEST_APP_ORIGIN,
  waitFor,
  type TestClient,
  type TestCollabServer,
} from "../testing/collabHarness";
import { changeMemberRole, inviteToMemo, removeMember } from "../sharing/sharingCommands";
import { deleteMemo } from "../memos/memoCommands";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { issueCollabTicket, TICKET_PROTOCOL_PREFIX, COLLAB_SUBPROTOCOL } from "./collabTicket";
import { loadMemoDocument } from "../memos/memoStore";
import { CloseCode, MessageType } from "../../common/protocol/protocol";
import WebSocketClient from "ws";

let database: TestDatabase;
let server: TestCollabServer;
let owner: TestUser;
const clients: TestClient[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestCollabServer(database.prisma, database.url);
  owner = await createTestUser(database.prisma, "Owner Olga");
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  for (const socket of sockets.splice(0)) socket.terminate();
});
afterAll(async () => {
  await server.stop();
  await database.drop();
});

async function memberAs(memoId: string, role: "editor" | "commenter" | "viewer", name = `A ${role}`) {
  const user = await createTestUser(database.prisma, name);
  await inviteToMemo(database.prisma, owner.id, memoId, { email: user.email, role });
  return { user, cookie: await sessionCookie(user, server.secret) };
}

function connect(memoId: string, cookie: string): TestClient {
  const client = connectTestClient(server.url, memoId, cookie);
  clients.push(client);
  return client;
}

/** Opens a raw socket and returns it with the roles the server announces to it (MessageType.Access). */
async function socketWithRoles(memoId: string, cookie: string): Promise<{ socket: WebSocket; roles: () => string[] }> {
  const received: Uint8Array[] = [];
  const socket = await openRawSocket(server.url, memoId, cookie, received);
  sockets.push(socket);
  const roles = () =>
    received.flatMap((frame) => {
      const decoder = decoding.createDecoder(frame);
      return decoding.readVarUint(decoder) === MessageType.Access ? [decoding.readVarString(decoder)] : [];
    });
  return { socket, roles };
}

function craftedUpdateFrame(base: Y.Doc, text: string): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(copy);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  copy.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(copy, before));
  return encoding.toUint8Array(encoder);
}

async function storedText(memoId: string): Promise<string> {
  const loaded = await loadMemoDocument(database.prisma, memoId);
  return JSON.stringify(loaded!.doc.getXmlFragment(MEMO_FRAGMENT).toJSON());
}

describe("read-only roles", () => {
  it("drops hand-crafted updates from viewers and commenters: never applied, stored or broadcast", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Only editors write here.");
    const ownerClient = connect(memoId, await sessionCookie(owner, server.secret));
    await ownerClient.synced();
    for (const role of ["viewer", "commenter"] as const) {
      const { cookie } = await memberAs(memoId, role);
      const { socket, roles } = await socketWithRoles(memoId, cookie);
      await waitFor(() => roles().length > 0, 2000, "role announced");
      expect(roles()).toEqual([role]);
      socket.send(craftedUpdateFrame(ownerClient.doc, `Forged by a ${role}.`));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(socket.readyState).toBe(socket.OPEN);
    }
    ownerClient.appendParagraph("Owner still writes.");
    await waitFor(() => ownerClient.isSaved(), 5000, "owner's edit stored");
    expect(ownerClient.text()).not.toContain("Forged");
    expect(await storedText(memoId)).not.toContain("Forged");
    expect(await storedText(memoId)).toContain("Owner still writes.");
  });

  it("a demoted editor can no longer write, within 5 s, and is told so", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Demotion.");
    const { user, cookie } = await memberAs(memoId, "editor");
    const editor = connect(memoId, cookie);
    await editor.synced();
    editor.appendParagraph("Written as editor.");
    await waitFor(() => editor.isSaved(), 5000, "editor's edit stored");

    const { roles } = await socketWithRoles(memoId, cookie);
    await waitFor(() => roles().includes("editor"), 2000, "role announced");
    await changeMemberRole(database.prisma, owner.id, memoId, user.id, "viewer");
    await waitFor(() => roles().includes("viewer"), 5000, "demotion reaches the open connection");
    editor.appendParagraph("Written after demotion.");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await storedText(memoId)).toContain("Written as editor.");
    expect(await storedText(memoId)).not.toContain("Written after demotion.");
  });

  it("a removed member is disconnected with a clear reason", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const { user, cookie } = await memberAs(memoId, "editor");
    const socket = await openRawSocket(server.url, memoId, cookie);
    sockets.push(socket);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await removeMember(database.prisma, owner.id, memoId, user.id);
    expect(await closed).toEqual({ code: CloseCode.Forbidden, reason: "You no longer have access to this memo." });
    await expect(openRawSocket(server.url, memoId, cookie)).rejects.toMatchObject({ status: 404 });
  });

  it("deleting a memo disconnects its editors with 4404", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const client = connect(memoId, await sessionCookie(owner, server.secret));
    await client.synced();
    const closed = new Promise<number>((resolve) => client.provider.once("closed", (event) => resolve(event.code)));
    await deleteMemo(database.prisma, owner.id, memoId);
    expect(await closed).toBe(CloseCode.MemoDeleted);
  });
});

describe("presence", () => {
  it("binds presence to the signed-in user whatever the client claims", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const { cookie } = await memberAs(memoId, "viewer", "Vera Viewer");
    const ownerClient = connect(memoId, await sessionCookie(owner, server.secret));
    const viewer = connect(memoId, cookie);
    await Promise.all([ownerClient.synced(), viewer.synced()]);
    viewer.provider.awareness.setLocalStateField("user", { name: "The Ambassador", color: "#000000", id: owner.id });
    viewer.provider.awareness.setLocalStateField("activity", "active");
    await waitFor(
      () => ownerClient.provider.awareness.getStates().get(viewer.doc.clientID)?.activity === "active",
      3000,
      "viewer's presence",
    );
    const seen = ownerClient.provider.awareness.getStates().get(viewer.doc.clientID)!;
    expect(seen.user).toMatchObject({ name: "Vera Viewer", role: "viewer" });
    expect(seen.user.id).not.toBe(owner.id);
  });

  it("refuses presence under another connection's client id", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const ownerClient = connect(memoId, await sessionCookie(owner, server.secret));
    await ownerClient.synced();
    ownerClient.provider.awareness.setLocalStateField("activity", "active");
    const { cookie } = await memberAs(memoId, "editor", "Eve Editor");
    const socket = await openRawSocket(server.url, memoId, cookie);
    sockets.push(socket);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await waitFor(() => ownerClient.provider.awareness.meta.has(ownerClient.doc.clientID), 2000, "owner presence");
    const forged = encoding.createEncoder();
    encoding.writeVarUint(forged, 1);
    encoding.writeVarUint(forged, ownerClient.doc.clientID);
    encoding.writeVarUint(forged, 1000);
    encoding.writeVarString(forged, JSON.stringify({ user: { name: "Owner Olga" }, cursor: null }));
    const frame = encoding.createEncoder();
    encoding.writeVarUint(frame, MessageType.Awareness);
    encoding.writeVarUint8Array(frame, encoding.toUint8Array(forged));
    socket.send(encoding.toUint8Array(frame));
    expect(await closed).toEqual({ code: CloseCode.PolicyViolation, reason: "presence for another client" });
  });

  it("relays a presence change at once, and an unchanged presence only as a renewal", async () => {
    const renewalMs = 600;
    const relaying = await startTestCollabServer(database.prisma, database.url, { presenceRenewalMs: renewalMs });
    try {
      const memoId = await createTestMemo(database.prisma, owner.id);
      const { user: colleague } = await memberAs(memoId, "editor");
      const typist = connectTestClient(relaying.url, memoId, await sessionCookie(owner, relaying.secret));
      const watcher = connectTestClient(relaying.url, memoId, await sessionCookie(colleague, relaying.secret));
      clients.push(typist, watcher);
      await Promise.all([typist.synced(), watcher.synced()]);
      const id = typist.doc.clientID;
      let received = 0;
      watcher.provider.awareness.on("update", ({ added, updated }: { added: number[]; updated: number[] }) => {
        if ([...added, ...updated].includes(id)) received++;
      });
      const position = (clock: number) => ({ type: null, tname: null, item: { client: 1, clock }, assoc: 0 });
      const caret = (at: number) => ({ user: { name: "Olga" }, cursor: { anchor: position(at), head: position(at) } });
      typist.provider.awareness.setLocalState(caret(1));
      await waitFor(
        () => watcher.provider.awareness.getStates().get(id)?.cursor?.anchor?.item?.clock === 1,
        3000,
        "first caret",
      );
      const afterFirst = received;

      // What y-tiptap's caret plugin does after every remote change: the same caret again.
      for (let i = 0; i < 5; i++) typist.provider.awareness.setLocalState(caret(1));
      await new Promise((resolve) => setTimeout(resolve, renewalMs / 3));
      expect(received).toBe(afterFirst);

      typist.provider.awareness.setLocalState(caret(7));
      await waitFor(
        () => watcher.provider.awareness.getStates().get(id)?.cursor?.anchor?.item?.clock === 7,
        3000,
        "moved caret",
      );
      expect(received).toBe(afterFirst + 1);

      // Once the last relay is older than the renewal interval, the same state goes out again, so
      // the watcher does not drop the typist's presence as stale (it would after 30 s).
      await new Promise((resolve) => setTimeout(resolve, renewalMs + 100));
      const lastSeen = watcher.provider.awareness.meta.get(id)!.lastUpdated;
      typist.provider.awareness.setLocalState(caret(7));
      await waitFor(() => watcher.provider.awareness.meta.get(id)!.lastUpdated > lastSeen, 3000, "renewal relayed");
      expect(received).toBe(afterFirst + 2);
    } finally {
      await relaying.stop();
    }
  });

  it("removes a disconnected client's presence from the others within a few seconds", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const { cookie } = await memberAs(memoId, "editor");
    const ownerClient = connect(memoId, await sessionCookie(owner, server.secret));
    const leaving = connectTestClient(server.url, memoId, cookie);
    await Promise.all([ownerClient.synced(), leaving.synced()]);
    leaving.provider.awareness.setLocalStateField("activity", "active");
    const id = leaving.doc.clientID;
    await waitFor(() => ownerClient.provider.awareness.getStates().has(id), 3000, "presence arrives");
    // Simulate a tab that dies without saying goodbye: the socket just drops.
    (leaving.provider.ws as unknown as WebSocket | null)?.terminate();
    leaving.provider.disconnect();
    await waitFor(() => !ownerClient.provider.awareness.getStates().has(id), 3000, "presence removed");
    leaving.destroy();
  });
});

describe("WebSocket security", () => {
  it("refuses upgrades from another site's pages", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const cookie = await sessionCookie(owner, server.secret);
    const open = (origin: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocketClient(`${server.url}/${memoId}`, { headers: { cookie, origin } });
        socket.once("open", () => {
          socket.close();
          resolve(101);
        });
        socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        socket.once("error", () => undefined);
      });
    expect(await open("https://evil.example")).toBe(403);
    expect(await open(TEST_APP_ORIGIN)).toBe(101);
  });

  it("requires an Origin on the cookie path; a ticket (non-browser clients) needs none", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const cookie = await sessionCookie(owner, server.secret);
    const open = (options: { headers?: Record<string, string>; protocols?: string[] }) =>
      new Promise<{ status: number; body: string }>((resolve) => {
        const socket = new WebSocketClient(`${server.url}/${memoId}`, options.protocols ?? [], {
          headers: options.headers,
        });
        socket.once("open", () => {
          socket.close();
          resolve({ status: 101, body: "" });
        });
        socket.once("unexpected-response", (_req, res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        socket.once("error", () => undefined);
      });
    // A page on any site can open a WebSocket, and a browser always says which site: a cookie
    // without an Origin is not a page of ours.
    expect(await open({ headers: { cookie } })).toEqual({
      status: 403,
      body: "A browser connection must say where it comes from (Origin).\n",
    });
    expect((await open({ headers: { cookie, origin: TEST_APP_ORIGIN } })).status).toBe(101);
    const ticket = issueCollabTicket(server.secret, owner.id, owner.sessionId, memoId);
    expect((await open({ protocols: [COLLAB_SUBPROTOCOL, `${TICKET_PROTOCOL_PREFIX}${ticket}`] })).status).toBe(101);
    // Without a valid session or ticket, the answer is still 401, with or without an Origin.
    expect((await open({ headers: {} })).status).toBe(401);
    expect((await open({ headers: { cookie: `${cookie}x` } })).status).toBe(401);
    expect((await open({ headers: { cookie: `${cookie}x`, origin: TEST_APP_ORIGIN } })).status).toBe(401);
  });

  it("accepts a short-lived ticket bound to user and memo, in a header, and refuses bad ones", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const otherMemo = await createTestMemo(database.prisma, owner.id);
    const open = (ticket: string | null) =>
      new Promise<number>((resolve) => {
        const protocols = ticket === null ? [] : [COLLAB_SUBPROTOCOL, `${TICKET_PROTOCOL_PREFIX}${ticket}`];
        const socket = new WebSocketClient(`${server.url}/${memoId}`, protocols);
        socket.once("open", () => {
          expect(socket.protocol).toBe(COLLAB_SUBPROTOCOL);
          socket.close();
          resolve(101);
        });
        socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        socket.once("error", () => undefined);
      });
    expect(await open(issueCollabTicket(server.secret, owner.id, owner.sessionId, memoId))).toBe(101);
    expect(await open(null)).toBe(401);
    expect(await open(issueCollabTicket(server.secret, owner.id, owner.sessionId, memoId, Date.now() - 120_000))).toBe(
      401,
    );
    expect(await open(issueCollabTicket("another-secret-entirely-0123456789", owner.id, owner.sessionId, memoId))).toBe(
      401,
    );
    expect(await open(`${issueCollabTicket(server.secret, owner.id, owner.sessionId, memoId)}x`)).toBe(401);
    expect(await open(issueCollabTicket(server.secret, owner.id, owner.sessionId, otherMemo))).toBe(403);
  });
});
