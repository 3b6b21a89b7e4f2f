import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { deletesOf, encodeSaveAck, SaveTracker } from "./saveAck";

/** A server doc and a client doc in sync, with the client's updates collected. */
function setup() {
  const server = new Y.Doc();
  const client = new Y.Doc();
  const tracker = new SaveTracker();
  const pending: Uint8Array[] = [];
  client.on("update", (update: Uint8Array) => {
    tracker.recordLocalUpdate(update);
    pending.push(update);
  });
  /** Delivers the client's pending updates to the server as one batch and returns the ack. */
  const commitBatch = () => {
    const batch = pending.splice(0);
    for (const update of batch) Y.applyUpdate(server, update);
    return encodeSaveAck(Y.encodeStateVector(server), batch.length ? deletesOf(batch) : null);
  };
  return { server, client, tracker, commitBatch };
}

describe("SaveTracker", () => {
  it("is saved only after the batch holding an insertion is acknowledged", () => {
    const { client, tracker, commitBatch } = setup();
    expect(tracker.isSaved()).toBe(true);
    client.getText("t").insert(0, "hello");
    expect(tracker.isSaved()).toBe(false);
    expect(tracker.acknowledge(commitBatch())).toBe(true);
  });

  it("does not count an acknowledgement that predates the edit", () => {
    const { client, tracker, commitBatch } = setup();
    client.getText("t").insert(0, "first");
    const earlyAck = commitBatch();
    client.getText("t").insert(5, " second");
    expect(tracker.acknowledge(earlyAck)).toBe(false);
    expect(tracker.acknowledge(commitBatch())).toBe(true);
  });

  it("tracks deletions, which never move the state vector", () => {
    const { client, tracker, commitBatch } = setup();
    client.getText("t").insert(0, "hello world");
    tracker.acknowledge(commitBatch());
    client.getText("t").delete(0, 6);
    expect(tracker.isSaved()).toBe(false);
    // An ack with the same state vector but without this deletion does not count.
    const { server } = setup();
    expect(tracker.acknowledge(encodeSaveAck(Y.encodeStateVector(server), null))).toBe(false);
    expect(tracker.acknowledge(commitBatch())).toBe(true);
  });

  it("ignores acknowledgements for other clients' edits", () => {
    const { tracker, client } = setup();
    const other = new Y.Doc();
    other.getText("t").insert(0, "someone else");
    client.getText("t").insert(0, "mine");
    const ackForOther = encodeSaveAck(Y.encodeStateVector(other), deletesOf([Y.encodeStateAsUpdate(other)]));
    expect(tracker.acknowledge(ackForOther)).toBe(false);
  });

  it("survives a page reload through its JSON form", () => {
    const { client, tracker, commitBatch } = setup();
    client.getText("t").insert(0, "hello world");
    tracker.acknowledge(commitBatch());
    client.getText("t").delete(0, 6);
    client.getText("t").insert(0, "goodbye ");
    const restored = SaveTracker.fromJSON(JSON.parse(JSON.stringify(tracker.toJSON())));
    expect(restored.isSaved()).toBe(false);
    expect(restored.acknowledge(commitBatch())).toBe(true);
    expect(SaveTracker.fromJSON({ structClocks: "junk" }).isSaved()).toBe(true);
  });
});
