import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, type TestUser } from "../testing/fixtures";
import {
  connectTestClient,
  openRawSocket,
  sessionCookie,
  startTestCollabServer,
  waitFor,
  type TestClient,
  type TestCollabServer,
} from "../testing/collabHarness";
import { loadMemoDocument } from "../memos/memoStore";
import { memoJsonFromYdoc, plainTextFromMemoJson } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { CloseCode, MessageType } from "../../common/protocol/protocol";

let database: TestDatabase;
let server: TestCollabServer;
let owner: TestUser;
let ownerCookie: string;
const clients: TestClient[] = [];

function client(memoId: string, cookie: string | null = ownerCookie): TestClient {
  const created = connectTestClient(server.url, memoId, cookie);
  clients.push(created);
  return created;
}

async function storedText(memoId: string): Promise<string> {
  const loaded = await loadMemoDocument(database.prisma, memoId);
  return loaded ? plainTextFromMemoJson(memoJsonFromYdoc(loaded.doc)) : "(missing)";
}

function closeEvent(socket: import("ws").WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestCollabServer(database.prisma, database.url);
  owner = await createTestUser(database.prisma, "Owner Analyst");
  ownerCookie = await sessionCookie(owner, server.secret);
});

afterEach(() => {
  for (const created of clients.splice(0)) created.destroy();
});

afterAll(async () => {
  await server.stop();
  await database.drop();
});

describe("collaboration server", () => {
  it("makes two clients converge and stores their edits", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Start.");
    const alice = client(memoId);
    const bob = client(memoId);
    await Promise.all([alice.synced(), bob.synced()]);
    expect(alice.text()).toBe("Start.");

    alice.appendParagraph("From Alice.");
    bob.appendParagraph("From Bob.");
    await waitFor(
      () => alice.text() === bob.text() && alice.text().includes("From Alice.") && alice.text().includes("From Bob."),
      5000,
      "convergence",
    );
    await waitFor(() => alice.isSaved() && bob.isSaved(), 5000, "saved acknowledgements");
    const stored = await storedText(memoId);
    expect(stored).toBe(alice.text());
  });

  it("gives a client that joins later the full state", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Base.");
    const first = client(memoId);
    await first.synced();
    for (let i = 0; i < 20; i++) first.appendParagraph(`Line ${i}.`);
    await waitFor(() => first.isSaved(), 5000, "first client's edits stored");
    const late = client(memoId);
    await late.synced();
    expect(late.text()).toBe(first.text());
    expect(late.text()).toContain("Line 19.");
  });

  it("keeps every edit across a server restart, and clients reconnect by themselves", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Before restart.");
    const writer = client(memoId);
    await writer.synced();
    writer.appendParagraph("Typed before the restart.");
    await waitFor(() => writer.isSaved(), 5000, "edit stored");

    const port = server.port;
    await server.stop();
    server = await startTestCollabServer(database.prisma, database.url, { port, secret: server.secret });

    await waitFor(() => writer.provider.wsconnected && writer.provider.synced, 10_000, "reconnect");
    writer.appendParagraph("Typed after the restart.");
    const reader = client(memoId);
    await reader.synced();
    await waitFor(
      () => reader.text().includes("Typed after the restart."),
      5000,
      "post-restart edit reaches a new client",
    );
    expect(reader.text()).toContain("Typed before the restart.");
    await waitFor(() => writer.isSaved(), 5000, "post-restart edit stored");
    expect(await storedText(memoId)).toBe(reader.text());
  });

  it("flushes pending edits on shutdown even when the batch window has not elapsed", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Flush.");
    const port = server.port;
    await server.stop();
    server = await startTestCollabServer(database.prisma, database.url, {
      port,
      secret: server.secret,
      batchMs: 60_000,
    });
    const writer = client(memoId);
    await writer.synced();
    writer.appendParagraph("Only in memory until shutdown.");
    await waitFor(() => server.collab.registry.stats().connections === 1, 2000, "connection registered");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await storedText(memoId)).not.toContain("Only in memory");
    await server.stop();
    expect(await storedText(memoId)).toContain("Only in memory until shutdown.");
    server = await startTestCollabServer(database.prisma, database.url, { port, secret: server.secret });
  });

  it("refuses a connection without a session with 401, before upgrading", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    await expect(openRawSocket(server.url, memoId, null)).rejects.toMatchObject({ status: 401 });
    await expect(openRawSocket(server.url, memoId, `next-auth.session-token=forged.token.value`)).rejects.toMatchObject(
      { status: 401 },
    );
  });

  it("answers another user's memo exactly as an unknown memo: 404, nothing about whether it exists", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const stranger = await createTestUser(database.prisma, "Stranger");
    const strangerCookie = await sessionCookie(stranger, server.secret);
    const refusedStranger = await openRawSocket(server.url, memoId, strangerCookie).catch((error: unknown) => error);
    const refusedUnknown = await openRawSocket(
      server.url,
      "00000000-0000-4000-8000-000000000000",
      strangerCookie,
    ).catch((error: unknown) => error);
    expect(refusedStranger).toMatchObject({ status: 404, body: "Memo not found.\n" });
    expect(refusedUnknown).toMatchObject({ status: 404, body: "Memo not found.\n" });
    await expect(openRawSocket(server.url, "00000000-0000-4000-8000-000000000000", ownerCookie)).rejects.toMatchObject({
      status: 404,
    });
    await expect(openRawSocket(server.url, "not-a-uuid", ownerCookie)).rejects.toMatchObject({ status: 404 });
  });

  it("refuses a correctly signed session whose subject is not an account id, with 401 and the server unharmed", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    for (const id of ["not-a-uuid", "' OR 1=1 --", "00000000-0000-4000-8000-000000000000"]) {
      const cookie = await sessionCookie(
        { id, email: "ghost@example.org", name: "Ghost", sessionId: owner.sessionId },
        server.secret,
      );
      await expect(openRawSocket(server.url, memoId, cookie)).rejects.toMatchObject({
        status: 401,
        body: "Sign in to open this memo.\n",
      });
    }
    const socket = await openRawSocket(server.url, memoId, ownerCookie);
    expect(socket.readyState).toBe(socket.OPEN);
    socket.close();
  });

  it("refuses a session signed with another secret", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const forged = await sessionCookie(owner, "a-different-secret-of-sufficient-length-0123456789");
    await expect(openRawSocket(server.url, memoId, forged)).rejects.toMatchObject({ status: 401 });
  });

  it("closes only the offender on a text frame or garbage, and stores nothing from it", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Intact.");
    const bystander = client(memoId);
    await bystander.synced();

    const textSender = await openRawSocket(server.url, memoId, ownerCookie);
    const textClosed = closeEvent(textSender);
    textSender.send("hello");
    expect((await textClosed).code).toBe(CloseCode.UnsupportedData);

    const garbageSender = await openRawSocket(server.url, memoId, ownerCookie);
    const garbageClosed = closeEvent(garbageSender);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Sync);
    encoding.writeVarUint(encoder, 2); // sync "update"
    encoding.writeVarUint8Array(encoder, new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02, 0x03]));
    garbageSender.send(encoding.toUint8Array(encoder));
    expect((await garbageClosed).code).toBe(CloseCode.InvalidPayload);

    const unknownSender = await openRawSocket(server.url, memoId, ownerCookie);
    const unknownClosed = closeEvent(unknownSender);
    unknownSender.send(new Uint8Array([77]));
    expect((await unknownClosed).code).toBe(CloseCode.UnsupportedData);

    bystander.appendParagraph("Still working.");
    await waitFor(() => bystander.isSaved(), 5000, "bystander still saves");
    expect(bystander.provider.wsconnected).toBe(true);
    expect(await storedText(memoId)).toBe("Intact.\n\nStill working.");
  });

  it("disconnects open editors with 4404 when the memo is deleted", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const editor = client(memoId);
    await editor.synced();
    const closed = new Promise<{ code: number }>((resolve) =>
      editor.provider.once("closed", (event) => resolve(event)),
    );
    await database.prisma.memo.delete({ where: { id: memoId } });
    await server.collab.memoDeleted(memoId);
    expect((await closed).code).toBe(CloseCode.MemoDeleted);
  });

  it("acknowledges deletions as saved only once stored, in batches with other editors' insertions", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Keep this. Remove this.");
    const deleter = client(memoId);
    const typist = client(memoId);
    await Promise.all([deleter.synced(), typist.synced()]);
    const firstLine = (doc: Y.Doc) => (doc.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    // A deletion never moves the state vector: only the delete set in the acknowledgement covers it.
    firstLine(deleter.doc).delete("Keep this.".length, " Remove this.".length);
    typist.appendParagraph("Added meanwhile.");
    expect(deleter.isSaved()).toBe(false);
    await waitFor(() => deleter.isSaved() && typist.isSaved(), 5000, "both acknowledged");
    expect(await storedText(memoId)).toBe("Keep this.\n\nAdded meanwhile.");
  });

  it("unloads an idle memo after the grace period, with its last edits stored", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const editor = client(memoId);
    await editor.synced();
    editor.appendParagraph("Last words.");
    await waitFor(() => editor.isSaved(), 5000, "stored");
    editor.destroy();
    await waitFor(() => server.collab.registry.stats().memos === 0, 5000, "memo unloaded");
    expect(await storedText(memoId)).toContain("Last words.");
    // Its last version and compaction finish in the background, tracked (shutdown waits for them),
    // so the next load reads a snapshot alone.
    await waitFor(() => server.collab.registry.stats().finishing === 0, 5000, "memo compacted");
    expect(await database.prisma.memoUpdate.count({ where: { memoId } })).toBe(0);
  });

  it("a memo that fails to load is not left half-loaded, and the next attempt loads it", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "Recoverable.");
    const good = await database.prisma.memo.findUniqueOrThrow({ where: { id: memoId } });
    await database.prisma.memo.update({ where: { id: memoId }, data: { ydocState: new Uint8Array([1, 2, 3]) } });
    const loadedBefore = server.collab.registry.stats().memos;
    const socket = await openRawSocket(server.url, memoId, ownerCookie);
    expect((await closeEvent(socket)).code).toBe(CloseCode.TryAgainLater);
    expect(server.collab.registry.stats().memos).toBe(loadedBefore);

    await database.prisma.memo.update({ where: { id: memoId }, data: { ydocState: good.ydocState } });
    const retry = client(memoId);
    await retry.synced();
    expect(retry.text()).toBe("Recoverable.");
  });
});
