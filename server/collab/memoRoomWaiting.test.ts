import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CollabConnection } from "./collabConnection";
import { MemoRoom } from "./memoRoom";
import { checkClientUpdate } from "./memoUpdateRules";
import { SaveTracker } from "../../common/protocol/saveAck";
import { newMemoDoc, type PendingUpdate } from "../memos/memoStore";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { recordingSocket, savedAcks, syncUpdates, testRoom } from "../testing/roomFixtures";

// A memo over its write budget (outgoingTurn.ts) holds its next broadcast back; the
// client updates that arrive meanwhile wait with it and are applied together, as one transaction,
// when it goes out (applyClientUpdate, applyWaiting). These tests hold a room over budget with many
// connections and check what a waiting update may build on, what is stored and what is sent.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** More connections than the budget's burst (165 writes): every other broadcast must wait. */
const CONNECTIONS = 200;

const rooms: MemoRoom[] = [];
afterEach(() => {
  for (const room of rooms.splice(0)) room.destroy();
});

function setUp() {
  const stored: PendingUpdate[][] = [];
  const room = testRoom({
    storage: {
      store: async (_memoId, batch) => {
        stored.push(batch);
        return true;
      },
      compact: async () => 0,
    },
    timing: { batchMs: 5 },
  });
  rooms.push(room);
  const received: Uint8Array[] = [];
  const receivedByFirstTypist: Uint8Array[] = [];
  const connections = Array.from(
    { length: CONNECTIONS },
    (_, index) =>
      new CollabConnection(
        recordingSocket(index === 0 ? received : index === 1 ? receivedByFirstTypist : []),
        { id: `user-${index}`, name: "U", email: "u@x" },
        "memo",
        index,
        "editor",
      ),
  );
  for (const connection of connections) room.join(connection);
  received.length = 0;
  receivedByFirstTypist.length = 0;
  return { room, stored, received, receivedByFirstTypist, connections };
}

/** A client editing the memo: each call types a paragraph and returns its update. */
function typist(clientID: number) {
  return editor(clientID).type;
}

/** A client editing the memo, which can also delete its own paragraphs. */
function editor(clientID: number) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  const fragment = doc.getXmlFragment(MEMO_FRAGMENT);
  return {
    doc,
    type: (text: string): Uint8Array => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText(text)]);
      fragment.insert(fragment.length, [paragraph]);
      return updates[updates.length - 1];
    },
    deleteParagraph: (index: number): Uint8Array => {
      fragment.delete(index, 1);
      return updates[updates.length - 1];
    },
  };
}

function send(room: MemoRoom, connection: CollabConnection, update: Uint8Array): void {
  room.applyClientUpdate(update, connection, checkClientUpdate(room, update), true);
}

const memoText = (doc: Y.Doc) =>
  doc
    .getXmlFragment(MEMO_FRAGMENT)
    .toArray()
    .map((paragraph) => (paragraph as Y.XmlElement).toArray().map(String).join(""))
    .join("|");

describe("client updates that wait for the next broadcast", () => {
  it("are applied together when the broadcast goes out, each stored with its own author", async () => {
    const { room, stored, received, connections } = setUp();
    const alice = typist(1);
    const bob = typist(2);
    send(room, connections[1], alice("one"));
    expect(memoText(room.doc)).toBe("one");
    await sleep(1); // the first broadcast goes out at once and leaves the budget in debt

    const two = alice("two");
    const three = alice("three"); // builds on "two", which is not applied yet
    const mine = bob("mine");
    send(room, connections[1], two);
    send(room, connections[1], three);
    send(room, connections[2], mine);
    // Waiting: not in the document, not stored, and the check sees them all the same.
    expect(memoText(room.doc)).toBe("one");
    expect(room.isPersisted).toBe(false);
    expect(() =>
      checkClientUpdate(
        { doc: room.doc, waitingItem: () => undefined, clocks: (client) => Y.getState(room.doc.store, client) },
        three,
      ),
    ).toThrow(/never saw/);
    expect(room.clocks(1)).toBeGreaterThan(Y.getState(room.doc.store, 1));

    await sleep(150);
    expect(memoText(room.doc)).toMatch(/^one\|(two\|three\|mine|mine\|two\|three)$/);
    // One message for "one" and one for the three that waited, to a connection that sent none.
    const messages = syncUpdates(received);
    expect(messages).toHaveLength(2);
    const client = new Y.Doc();
    for (const update of messages) Y.applyUpdate(client, update);
    expect(memoText(client)).toBe(memoText(room.doc));
    // Stored as received, update by update, with their senders.
    await room.flush();
    const rows = stored.flat();
    const byData = new Map(rows.map((row) => [Buffer.from(row.data).toString("hex"), row.userId]));
    expect(byData.get(Buffer.from(two).toString("hex"))).toBe("user-1");
    expect(byData.get(Buffer.from(three).toString("hex"))).toBe("user-1");
    expect(byData.get(Buffer.from(mine).toString("hex"))).toBe("user-2");
    expect(room.isPersisted).toBe(true);
  });

  it("may delete what another waiting update inserted; the deletion is applied, stored and acknowledged", async () => {
    const { room, stored, received, receivedByFirstTypist, connections } = setUp();
    const alice = editor(1);
    const tracker = new SaveTracker();
    const sendAlice = (update: Uint8Array) => {
      tracker.recordLocalUpdate(update);
      send(room, connections[1], update);
    };
    sendAlice(alice.type("one"));
    await sleep(1);

    const two = alice.type("two");
    const deletion = alice.deleteParagraph(1); // "two", which waits and is not in the document yet
    sendAlice(two);
    sendAlice(deletion); // checked against the room's clocks, which count the waiting "two"
    expect(room.clocks(1)).toBeGreaterThan(Y.getState(room.doc.store, 1));
    expect(() =>
      checkClientUpdate(
        { doc: room.doc, waitingItem: () => undefined, clocks: (client) => Y.getState(room.doc.store, client) },
        deletion,
      ),
    ).toThrow(/never saw/);

    await sleep(150);
    expect(memoText(room.doc)).toBe("one");
    expect(memoText(alice.doc)).toBe("one");
    const rows = stored.flat().map((row) => Buffer.from(row.data));
    expect(rows.some((row) => row.equals(Buffer.from(deletion)))).toBe(true);
    // Another client rebuilding the memo from what it was sent, or from what was stored, agrees.
    const viewer = new Y.Doc();
    for (const update of syncUpdates(received)) Y.applyUpdate(viewer, update);
    expect(memoText(viewer)).toBe("one");
    const rebuilt = newMemoDoc();
    for (const row of rows) Y.applyUpdate(rebuilt, row);
    expect(memoText(rebuilt)).toBe("one");
    // The sender is told that the insertion and its deletion are both stored.
    await room.flush();
    const acks = savedAcks(receivedByFirstTypist);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) tracker.acknowledge(ack);
    expect(tracker.isSaved()).toBe(true);
  });

  it("are applied and stored by a flush before the broadcast is due (unloading, shutdown)", async () => {
    const { room, stored, connections } = setUp();
    const alice = typist(1);
    send(room, connections[1], alice("one"));
    await sleep(1);
    const two = alice("two");
    send(room, connections[1], two);
    expect(memoText(room.doc)).toBe("one");
    await room.flush();
    expect(memoText(room.doc)).toBe("one|two");
    expect(stored.flat().some((row) => Buffer.from(row.data).equals(Buffer.from(two)))).toBe(true);
  });

  it("go first when a replay is applied at once, so updates stay in the order they were accepted", async () => {
    const { room, connections } = setUp();
    const alice = typist(1);
    send(room, connections[1], alice("one"));
    await sleep(1);
    send(room, connections[1], alice("two"));
    const replay = alice("three");
    // A replay (sync step 2) never waits; it builds on "two", which must be applied before it.
    room.applyClientUpdate(replay, connections[1], checkClientUpdate(room, replay));
    expect(memoText(room.doc)).toBe("one|two|three");
  });

  it("do not wait while the memo is within its budget", () => {
    const { room, connections } = setUp();
    send(room, connections[1], typist(1)("one"));
    expect(memoText(room.doc)).toBe("one");
  });
});
