import type { Socket } from "node:net";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { createTestMemo, createTestUser } from "../testing/fixtures";
import {
  openRawSocket,
  sessionCookie,
  startTestCollabServer,
  waitFor,
  type TestCollabServer,
} from "../testing/collabHarness";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { loadMemoDocument } from "../memos/memoStore";
import { MessageType } from "../../common/protocol/protocol";

// Updates that arrive in one event-loop turn leave the server as one merged message per connection
// (outgoingTurn.ts): with many typists, socket writes dominate the server's CPU.

let database: TestDatabase;
let server: TestCollabServer;
let cookie: string;
let ownerId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestCollabServer(database.prisma, database.url);
  const owner = await createTestUser(database.prisma);
  ownerId = owner.id;
  cookie = await sessionCookie(owner, server.secret);
});

afterAll(async () => {
  await server.stop();
  await database.drop();
});

/** Opens a raw socket, syncs it, and records the update messages it receives afterwards. */
async function listener(memoId: string) {
  const socket = await openRawSocket(server.url, memoId, cookie);
  const updates: Uint8Array[] = [];
  let synced = false;
  socket.on("message", (data: ArrayBuffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return;
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep2) synced = true;
    if (syncType === syncProtocol.messageYjsUpdate) updates.push(decoding.readVarUint8Array(decoder));
  });
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep1(encoder, new Y.Doc());
  socket.send(encoding.toUint8Array(encoder));
  await waitFor(() => synced, 5_000, "the server's answer to sync step 1");
  return { socket, updates };
}

function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe("broadcast of updates", () => {
  it("sends the updates of one event-loop turn as one message, and none back to their only sender", async () => {
    const memoId = await createTestMemo(database.prisma, ownerId, "Start.");
    const observer = await listener(memoId);
    const writer = await listener(memoId);

    const doc = (await loadMemoDocument(database.prisma, memoId))!.doc;
    const updates: Uint8Array[] = [];
    doc.on("update", (update: Uint8Array) => updates.push(update));
    const text = (doc.getXmlFragment(MEMO_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(0, "A");
    text.insert(0, "B");
    text.insert(0, "C");

    // Three frames in one TCP write: the server reads them in one turn.
    const tcp = (writer.socket as WebSocket & { _socket: Socket })._socket;
    tcp.cork();
    for (const update of updates) writer.socket.send(updateFrame(update));
    tcp.uncork();

    await waitFor(() => observer.updates.length > 0, 5_000, "the observer to receive the edits");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(observer.updates).toHaveLength(1);
    expect(Y.encodeStateVectorFromUpdate(observer.updates[0])).toEqual(
      Y.encodeStateVectorFromUpdate(Y.mergeUpdates(updates)),
    );
    expect(writer.updates).toHaveLength(0);

    observer.socket.close();
    writer.socket.close();
  });
});
