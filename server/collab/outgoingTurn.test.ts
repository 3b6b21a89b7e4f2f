import * as decoding from "lib0/decoding";
import { afterEach, describe, expect, it } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { testConnection } from "../testing/roomFixtures";
import type { CollabConnection } from "./collabConnection";
import { OutgoingTurn, type TurnAudience } from "./outgoingTurn";
import { MessageType } from "../../common/protocol/protocol";
import type { RoomPeers } from "./redisBridge";
import { REMOTE } from "./updateOrigins";

// What one memo sends per event-loop turn, on its own: the turn's updates merged into one message
// (not sent back to their only sender), presence after the text, only what happened here published
// to other instances, and a memo over its write budget waiting and merging what arrives meanwhile.

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 5));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An audience of `size` connections that records each broadcast. */
function recordingAudience(size: number) {
  const sent: { type: number; payload: Uint8Array; except: CollabConnection | undefined }[] = [];
  const audience: TurnAudience = {
    size,
    broadcast(message, except) {
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      if (type === MessageType.Sync) decoding.readVarUint(decoder);
      sent.push({ type, payload: decoding.readVarUint8Array(decoder), except });
      return except ? size - 1 : size;
    },
  };
  return { audience, sent };
}

const turns: OutgoingTurn[] = [];
afterEach(() => {
  for (const turn of turns.splice(0)) turn.stop();
});

function setUp(options: { size?: number; beforeSending?: () => void } = {}) {
  const { audience, sent } = recordingAudience(options.size ?? 3);
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState(null);
  const published = { updates: [] as Uint8Array[], awareness: [] as Uint8Array[] };
  const peers: RoomPeers = {
    publishUpdate: (update) => published.updates.push(update),
    publishAwareness: (update) => published.awareness.push(update),
  };
  const turn = new OutgoingTurn({
    audience,
    awareness,
    peers,
    beforeSending: options.beforeSending ?? (() => undefined),
  });
  turns.push(turn);
  return { turn, sent, published, awareness };
}

/** Single-letter updates typed into one document. */
function letters(text: string, clientID = 1): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  for (const letter of text) doc.getText("t").insert(doc.getText("t").length, letter);
  return updates;
}

const textOf = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText("t").toString();
};

describe("a memo's outgoing turn", () => {
  it("sends the turn's updates as one merged message once the turn ends, not back to their only sender", async () => {
    const { turn, sent } = setUp();
    const alice = testConnection(1);
    for (const update of letters("abc")) {
      turn.addUpdate(update, alice, true);
      turn.schedule();
    }
    expect(sent).toHaveLength(0);
    await nextTurn();
    expect(sent).toHaveLength(1);
    expect(sent[0].type).toBe(MessageType.Sync);
    expect(textOf(sent[0].payload)).toBe("abc");
    expect(sent[0].except).toBe(alice);
  });

  it("sends a turn with two senders to everyone", async () => {
    const { turn, sent } = setUp();
    turn.addUpdate(letters("a", 1)[0], testConnection(1), true);
    turn.addUpdate(letters("b", 2)[0], testConnection(2), true);
    turn.schedule();
    await nextTurn();
    expect(sent).toHaveLength(1);
    expect(sent[0].except).toBeUndefined();
  });

  it("publishes to other instances only what happened here, merged once per turn", async () => {
    const { turn, published } = setUp();
    const [a, b, c] = letters("abc");
    turn.addUpdate(a, testConnection(1), true);
    turn.addUpdate(b, undefined, false);
    turn.addUpdate(c, testConnection(1), true);
    turn.schedule();
    await nextTurn();
    expect(published.updates).toHaveLength(1);
    const check = new Y.Doc();
    Y.applyUpdate(check, b);
    Y.applyUpdate(check, published.updates[0]);
    expect(check.getText("t").toString()).toBe("abc");
    const items = Y.decodeUpdate(published.updates[0]).structs.filter((struct) => struct instanceof Y.Item);
    expect(items.map((item) => item.id.clock)).toEqual([0, 2]);
  });

  it("sends presence after the document updates of the same turn, and publishes only presence changed here", async () => {
    const { turn, sent, published, awareness } = setUp();
    const alice = testConnection(1);
    const own = new awarenessProtocol.Awareness(new Y.Doc());
    own.setLocalState({ caret: 1 });
    awarenessProtocol.applyAwarenessUpdate(
      awareness,
      awarenessProtocol.encodeAwarenessUpdate(own, [own.clientID]),
      alice,
    );
    turn.addUpdate(letters("a")[0], alice, true);
    const remote = new awarenessProtocol.Awareness(new Y.Doc());
    remote.setLocalState({ caret: 2 });
    awarenessProtocol.applyAwarenessUpdate(
      awareness,
      awarenessProtocol.encodeAwarenessUpdate(remote, [remote.clientID]),
      REMOTE,
    );
    await nextTurn();
    expect(sent.map((message) => message.type)).toEqual([MessageType.Sync, MessageType.Awareness]);
    expect(published.awareness).toHaveLength(1);
    const heard = new awarenessProtocol.Awareness(new Y.Doc());
    awarenessProtocol.applyAwarenessUpdate(heard, published.awareness[0], null);
    expect([...heard.getStates().keys()]).toContain(own.clientID);
    expect([...heard.getStates().keys()]).not.toContain(remote.clientID);
  });

  it("holds a broadcast back while it would exceed the write budget, merging what arrives meanwhile", async () => {
    // 200 connections: more than the budget's burst (165 writes), so the second broadcast must wait.
    const { turn, sent } = setUp({ size: 200 });
    const [a, b, c] = letters("abc");
    turn.addUpdate(a, undefined, true);
    expect(turn.schedule()).toBe(false);
    await nextTurn();
    expect(sent).toHaveLength(1);
    turn.addUpdate(b, undefined, true);
    expect(turn.schedule()).toBe(true);
    turn.addUpdate(c, undefined, true);
    expect(turn.schedule()).toBe(true);
    await nextTurn();
    expect(sent).toHaveLength(1);
    await sleep(100);
    expect(sent).toHaveLength(2);
    const check = new Y.Doc();
    Y.applyUpdate(check, a);
    Y.applyUpdate(check, sent[1].payload);
    expect(check.getText("t").toString()).toBe("abc");
  });

  it("runs beforeSending first, and sends at once when asked, cancelling the scheduled send", async () => {
    const [a, b] = letters("ab");
    let turnRef: OutgoingTurn | undefined;
    const { turn, sent } = setUp({ beforeSending: () => turnRef?.addUpdate(b, undefined, true) });
    turnRef = turn;
    turn.addUpdate(a, undefined, true);
    turn.schedule();
    turn.sendNow();
    expect(sent).toHaveLength(1);
    expect(textOf(sent[0].payload)).toBe("ab");
    turnRef = undefined;
    await nextTurn();
    expect(sent).toHaveLength(1);
    expect(turn.isEmpty).toBe(true);
  });
});
