import { describe, expect, it } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { syncUpdates, testConnection, testRoom } from "../testing/roomFixtures";
import type { RoomPeers } from "./redisBridge";

// The merged broadcast of one event-loop turn (outgoingTurn.ts) with several
// instances: updates relayed from another instance merge with local ones for our clients, and only
// what happened here is published to the others, once per turn.

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 20));

function setUp() {
  const published = { updates: [] as Uint8Array[], awareness: [] as Uint8Array[] };
  const peers: RoomPeers = {
    publishUpdate: (update) => published.updates.push(update),
    publishAwareness: (update) => published.awareness.push(update),
  };
  const room = testRoom({ timing: { batchMs: 10_000 }, peers });
  const received: Uint8Array[] = [];
  const connection = testConnection(1, received);
  room.join(connection);
  received.length = 0;
  return { room, published, received, connection };
}

/** Three single-letter updates from another document. */
function letters(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  for (const letter of "abc") doc.getText("t").insert(0, letter);
  return updates;
}

describe("merged broadcast with other instances", () => {
  it("merges updates relayed from other instances into one message and does not publish them back", async () => {
    const { room, published, received } = setUp();
    for (const update of letters()) room.applyRemoteUpdate(update);
    await nextTurn();
    expect(syncUpdates(received)).toHaveLength(1);
    expect(published.updates).toHaveLength(0);
    expect(room.doc.getText("t").toString()).toBe("cba");
    room.destroy();
  });

  it("publishes the local updates of one turn as one message, without the relayed ones", async () => {
    const { room, published, received, connection } = setUp();
    const local = letters();
    const remoteDoc = new Y.Doc();
    remoteDoc.getText("t").insert(0, "remote");
    Y.applyUpdate(room.doc, local[0], connection);
    room.applyRemoteUpdate(Y.encodeStateAsUpdate(remoteDoc));
    Y.applyUpdate(room.doc, local[1], connection);
    Y.applyUpdate(room.doc, local[2], connection);
    await nextTurn();
    // Our client gets everything (it did not send all of it), the others only what happened here.
    expect(syncUpdates(received)).toHaveLength(1);
    expect(published.updates).toHaveLength(1);
    const check = new Y.Doc();
    Y.applyUpdate(check, published.updates[0]);
    expect(check.getText("t").toString()).toBe("cba");
    room.destroy();
  });

  it("publishes pending updates at once when asked, so a state vector sent next never runs ahead of them", () => {
    const { room, published, connection } = setUp();
    for (const update of letters()) Y.applyUpdate(room.doc, update, connection);
    expect(published.updates).toHaveLength(0);
    room.flushOutgoing();
    expect(published.updates).toHaveLength(1);
    room.destroy();
  });

  it("publishes presence changed here, not presence relayed, and a departure even when the room is destroyed at once", async () => {
    const { room, published } = setUp();
    const other = new awarenessProtocol.Awareness(new Y.Doc());
    other.setLocalState({ user: { name: "Remote" } });
    room.applyRemoteAwareness(awarenessProtocol.encodeAwarenessUpdate(other, [other.clientID]));
    await nextTurn();
    expect(published.awareness).toHaveLength(0);

    const mine = new awarenessProtocol.Awareness(new Y.Doc());
    mine.setLocalState({ user: { name: "Local" } });
    awarenessProtocol.applyAwarenessUpdate(
      room.awareness,
      awarenessProtocol.encodeAwarenessUpdate(mine, [mine.clientID]),
      null,
    );
    await nextTurn();
    expect(published.awareness).toHaveLength(1);

    awarenessProtocol.removeAwarenessStates(room.awareness, [mine.clientID], null);
    room.destroy();
    expect(published.awareness).toHaveLength(2);
    const departed = new awarenessProtocol.Awareness(new Y.Doc());
    awarenessProtocol.applyAwarenessUpdate(departed, published.awareness[0], null);
    awarenessProtocol.applyAwarenessUpdate(departed, published.awareness[1], null);
    expect(departed.getStates().has(mine.clientID)).toBe(false);
  });
});
