import * as decoding from "lib0/decoding";
import { describe, expect, it } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { MessageType } from "../../common/protocol/protocol";
import { testConnection, testRoom } from "../testing/roomFixtures";

// Who hears a presence (outgoingTurn.ts, presenceEchoSkipped): a connection's own change goes to the
// others only; a renewal goes to everyone, its sender included, and so does a change to a
// connection that has heard nothing for a renewal interval (the echo keeps an idle client's
// connection alive).

// Long enough that a loaded machine is unlikely to stretch a test's own steps past it, short
// enough to wait for.
const RENEWAL_MS = 400;
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 10));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setUp() {
  const room = testRoom({ timing: { presenceRenewalMs: RENEWAL_MS } });
  const join = (id: number) => {
    const received: Uint8Array[] = [];
    const connection = testConnection(id, received);
    room.join(connection);
    received.length = 0;
    // The client's own presence, published as its provider does, under its connection.
    const presence = new awarenessProtocol.Awareness(new Y.Doc());
    const publish = (state: Record<string, unknown>) => {
      presence.setLocalState(state);
      awarenessProtocol.applyAwarenessUpdate(
        room.awareness,
        awarenessProtocol.encodeAwarenessUpdate(presence, [presence.clientID]),
        connection,
      );
    };
    return { connection, received, publish, clientId: presence.clientID };
  };
  return { room, join };
}

/** The client ids whose presence reached a connection, message by message. */
function presenceHeard(messages: Uint8Array[]): number[][] {
  return messages.flatMap((message) => {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MessageType.Awareness) return [];
    const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    const count = decoding.readVarUint(update);
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(decoding.readVarUint(update));
      decoding.readVarUint(update); // clock
      decoding.readVarString(update); // state
    }
    return [ids];
  });
}

describe("presence echo", () => {
  it("a connection's own change goes to the others only", async () => {
    const { join } = setUp();
    const alice = join(1);
    const bob = join(2);
    alice.publish({ caret: 1 });
    await nextTurn();
    expect(presenceHeard(bob.received)).toEqual([[alice.clientId]]);
    expect(presenceHeard(alice.received)).toEqual([]);
    alice.publish({ caret: 2 });
    await nextTurn();
    expect(presenceHeard(bob.received)).toEqual([[alice.clientId], [alice.clientId]]);
    expect(presenceHeard(alice.received)).toEqual([]);
  });

  it("a renewal goes back to its sender too", async () => {
    const { join } = setUp();
    const alice = join(1);
    const bob = join(2);
    alice.publish({ caret: 1 });
    await nextTurn();
    await sleep(RENEWAL_MS + 20);
    alice.publish({ caret: 1 });
    await nextTurn();
    expect(presenceHeard(bob.received)).toEqual([[alice.clientId], [alice.clientId]]);
    expect(presenceHeard(alice.received)).toEqual([[alice.clientId]]);
  });

  it("a change goes back to a sender that has heard nothing for a renewal interval", async () => {
    const { join } = setUp();
    const alice = join(1);
    await sleep(RENEWAL_MS + 20);
    alice.publish({ caret: 1 });
    await nextTurn();
    expect(presenceHeard(alice.received)).toEqual([[alice.clientId]]);
    // It has just heard something: the next change is not echoed.
    alice.publish({ caret: 2 });
    await nextTurn();
    expect(presenceHeard(alice.received)).toEqual([[alice.clientId]]);
  });

  it("changes from two connections in one turn go to both", async () => {
    const { join } = setUp();
    const alice = join(1);
    const bob = join(2);
    const carol = join(3);
    alice.publish({ caret: 1 });
    bob.publish({ caret: 5 });
    await nextTurn();
    expect(presenceHeard(carol.received)).toEqual([[alice.clientId, bob.clientId]]);
    expect(presenceHeard(alice.received)).toEqual([[alice.clientId, bob.clientId]]);
    expect(presenceHeard(bob.received)).toEqual([[alice.clientId, bob.clientId]]);
  });
});
