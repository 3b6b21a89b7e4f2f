import * as encoding from "lib0/encoding";
import * as Y from "yjs";

// Large hostile updates for tests of what a frame costs the server.

/** The bytes of one map entry written by client 1, after its client id and clock. */
const MAP_ENTRY = (() => {
  const doc = new Y.Doc();
  doc.clientID = 1;
  doc.getMap("m").set("k", 1);
  const update = Y.encodeStateAsUpdate(doc);
  // [1 client][1 struct][client 1][clock 0] item… [0 delete-set clients]
  return update.subarray(4, update.length - 1);
})();

/**
 * A well-formed Yjs update of at least `bytes`: one map entry from each of many clients, so
 * decoding it means reading tens of thousands of structs (15–60 ms for 440 KB on our machines).
 */
export function manyClientsUpdate(bytes: number): Uint8Array {
  const sections = encoding.createEncoder();
  let clients = 0;
  while (encoding.length(sections) < bytes) {
    clients++;
    encoding.writeVarUint(sections, 1);
    encoding.writeVarUint(sections, clients);
    encoding.writeVarUint(sections, 0);
    encoding.writeUint8Array(sections, MAP_ENTRY);
  }
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, clients);
  encoding.writeUint8Array(update, encoding.toUint8Array(sections));
  encoding.writeVarUint(update, 0);
  return encoding.toUint8Array(update);
}
