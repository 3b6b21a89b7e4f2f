import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { Page } from "@playwright/test";
import WebSocket from "ws";
import * as Y from "yjs";

// A hostile colleague's client: a real account's session on the real WebSocket, speaking the
// y-websocket protocol by hand, so a test can send what no browser of ours would.

/** A crafted connection to a memo, holding the memo as the server sent it. */
export type CraftedClient = {
  doc: Y.Doc;
  /** Resolves once the server's state has arrived. */
  synced: Promise<void>;
  /** Resolves with the close code when the server closes the connection. */
  closed: Promise<number>;
  sendPresence(clientId: number, clock: number, state: unknown): void;
  /** Sends an update made on a copy of the memo as received. */
  sendEdit(edit: (copy: Y.Doc) => void): void;
  close(): void;
};

/** Opens the memo's WebSocket with the session cookies of `page`. */
export async function craftedClient(page: Page, memoId: string): Promise<CraftedClient> {
  const cookies = (await page.context().cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
  const origin = new URL(page.url()).origin;
  const socket = new WebSocket(`${origin.replace(/^http/, "ws")}/collab/${memoId}`, {
    headers: { cookie: cookies, origin },
  });
  socket.binaryType = "nodebuffer";
  const doc = new Y.Doc();
  let markSynced: () => void = () => undefined;
  const synced = new Promise<void>((resolve) => (markSynced = resolve));
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  const send = (write: (encoder: encoding.Encoder) => void) => {
    const encoder = encoding.createEncoder();
    write(encoder);
    if (socket.readyState === WebSocket.OPEN) socket.send(encoding.toUint8Array(encoder));
  };
  socket.on("message", (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== 0) return;
    const step = decoding.readVarUint(decoder);
    if (step === 0) return; // the server's state vector: we have nothing to send back
    Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
    if (step === 1) markSynced();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  send((encoder) => {
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
  });
  return {
    doc,
    synced,
    closed,
    sendPresence(clientId, clock, state) {
      send((encoder) => {
        const update = encoding.createEncoder();
        encoding.writeVarUint(update, 1);
        encoding.writeVarUint(update, clientId);
        encoding.writeVarUint(update, clock);
        encoding.writeVarString(update, JSON.stringify(state));
        encoding.writeVarUint(encoder, 1);
        encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
      });
    },
    sendEdit(edit) {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
      const before = Y.encodeStateVector(copy);
      edit(copy);
      const update = Y.encodeStateAsUpdate(copy, before);
      send((encoder) => {
        encoding.writeVarUint(encoder, 0);
        encoding.writeVarUint(encoder, 2);
        encoding.writeVarUint8Array(encoder, update);
      });
    },
    close: () => socket.close(),
  };
}
