import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { testConnection, testRoom } from "../testing/roomFixtures";
import { testLimits } from "../testing/collabHarness";
import { manyClientsUpdate } from "../testing/largeUpdates";
import { handleMessage } from "./messageHandlers";
import { CloseCode, MessageType } from "../../common/protocol/protocol";
import { ProtocolViolation } from "./collabRefusals";

// What a viewer's or commenter's document frames cost: an empty one nothing, any other one a
// look at its length (it is never decoded), and past a short grace the connection.

function syncFrame(syncType: 1 | 2, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The outcome of one frame from `connection`: "ok", "dropped" or the close code. */
function outcome(frame: Uint8Array, context: Parameters<typeof handleMessage>[1]): "ok" | "dropped" | number {
  try {
    handleMessage(frame, context);
    return "ok";
  } catch (error) {
    if (!(error instanceof ProtocolViolation)) throw error;
    return error.closes ? error.closeCode : "dropped";
  }
}

function viewerContext() {
  const room = testRoom();
  const connection = testConnection(1);
  connection.role = "viewer";
  return { room, connection, limits: testLimits };
}

describe("updates from a read-only role", () => {
  it("an up-to-date client's empty diff is exactly [0, 0], recognised without decoding and free", () => {
    const server = new Y.Doc();
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("Opening line.")]);
    server.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    const empty = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    expect([...empty]).toEqual([0, 0]);

    const context = viewerContext();
    // Far more than the grace: an empty update never counts against it.
    for (let i = 0; i < 100; i++) expect(outcome(syncFrame(2, empty), context)).toBe("ok");
  });

  it("drops a non-empty update without decoding it: garbage is dropped, not refused as malformed", () => {
    // Were it decoded, 0xff bytes would fail as a malformed update (1007).
    const garbage = new Uint8Array(440 * 1024).fill(0xff);
    expect(outcome(syncFrame(2, garbage), viewerContext())).toBe("dropped");
    // A well-formed one of the same size, costly to decode, is dropped the same way.
    expect(outcome(syncFrame(2, manyClientsUpdate(440 * 1024)), viewerContext())).toBe("dropped");
  });

  it("closes with 4403 once the grace is spent, by count or by bytes", () => {
    const small = new Y.Doc();
    small.getMap("m").set("k", 1);
    const update = Y.encodeStateAsUpdate(small);
    const byCount = viewerContext();
    for (let i = 0; i < testLimits.readOnlyGraceUpdates; i++)
      expect(outcome(syncFrame(2, update), byCount)).toBe("dropped");
    expect(outcome(syncFrame(2, update), byCount)).toBe(CloseCode.Forbidden);

    const big = new Uint8Array(Math.ceil(testLimits.readOnlyGraceBytes / 3) + 1).fill(7);
    const byBytes = viewerContext();
    expect(outcome(syncFrame(2, big), byBytes)).toBe("dropped");
    expect(outcome(syncFrame(2, big), byBytes)).toBe("dropped");
    expect(outcome(syncFrame(2, big), byBytes)).toBe(CloseCode.Forbidden);
  });
});
