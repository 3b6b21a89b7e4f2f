import { describe, expect, it } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { testConnection } from "../testing/roomFixtures";
import { RoomConnections } from "./roomConnections";

// A memo's connections and their presence claims, on their own: a connection speaks for at most
// four client ids, one claimed by another is not its own, and leaving takes its presence along.

function presenceOf(awareness: awarenessProtocol.Awareness, clientId: number) {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const other = new awarenessProtocol.Awareness(doc);
  other.setLocalState({ caret: clientId });
  awarenessProtocol.applyAwarenessUpdate(awareness, awarenessProtocol.encodeAwarenessUpdate(other, [clientId]), null);
}

function setUp() {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState(null);
  return { awareness, connections: new RoomConnections(awareness) };
}

describe("a memo's connections", () => {
  it("lets a connection claim up to four client ids, and says who claimed which", () => {
    const { connections } = setUp();
    const alice = testConnection(1);
    const bob = testConnection(2);
    connections.add(alice);
    connections.add(bob);
    for (const clientId of [11, 12, 13, 14]) expect(connections.claim(alice, clientId)).toBe("ok");
    expect(connections.claim(alice, 15)).toBe("too many");
    expect(connections.claim(bob, 21)).toBe("ok");
    expect(connections.claimedBy(12)).toBe(alice);
    expect(connections.claimedBy(21)).toBe(bob);
    expect(connections.claimedBy(15)).toBeUndefined();
    expect(connections.claim(testConnection(3), 31)).toBe("too many");
  });

  it("removes a leaving connection's presence, and only its own", () => {
    const { awareness, connections } = setUp();
    const alice = testConnection(1);
    const bob = testConnection(2);
    connections.add(alice);
    connections.add(bob);
    connections.claim(alice, 11);
    connections.claim(bob, 21);
    presenceOf(awareness, 11);
    presenceOf(awareness, 21);
    expect(connections.currentClock(11)).toBeGreaterThanOrEqual(0);
    expect(connections.remove(alice)).toBe(true);
    expect(connections.remove(alice)).toBe(false);
    expect(awareness.getStates().has(11)).toBe(false);
    expect(awareness.getStates().has(21)).toBe(true);
    expect(connections.has(alice)).toBe(false);
    expect(connections.size).toBe(1);
    expect(connections.claimedBy(11)).toBeUndefined();
  });

  it("broadcasts to everyone but the one excepted, and counts the writes", () => {
    const { connections } = setUp();
    const received = [[], [], []] as Uint8Array[][];
    const all = received.map((messages, index) => testConnection(index + 1, messages));
    for (const connection of all) connections.add(connection);
    expect(connections.broadcast(new Uint8Array([1]), all[0])).toBe(2);
    expect(received.map((messages) => messages.length)).toEqual([0, 1, 1]);
    expect(connections.userIds()).toEqual(new Set(["u1", "u2", "u3"]));
  });
});
