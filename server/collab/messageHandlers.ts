import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import type { CollabConnection } from "./collabConnection";
import type { MemoRoom } from "./memoRoom";
import { MessageType } from "./protocol";
import { invalidPayload, unsupportedData } from "./protocolViolation";

// One handler per y-websocket message type. Each reads exactly one message from the decoder and
// throws a ProtocolViolation for anything malformed; the caller closes the offending connection.

type Handler = (decoder: decoding.Decoder, connection: CollabConnection, room: MemoRoom) => void;

function readBytes(decoder: decoding.Decoder, what: string): Uint8Array {
  try {
    return decoding.readVarUint8Array(decoder);
  } catch {
    throw invalidPayload(`truncated ${what}`);
  }
}

function reply(connection: CollabConnection, write: (encoder: encoding.Encoder) => void): void {
  const encoder = encoding.createEncoder();
  write(encoder);
  connection.send(encoding.toUint8Array(encoder));
}

function applyClientUpdate(update: Uint8Array, connection: CollabConnection, room: MemoRoom): void {
  try {
    // Decode first: applyUpdate swallows some malformed input and leaves the doc untouched.
    Y.decodeUpdate(update);
    Y.applyUpdate(room.doc, update, connection);
  } catch {
    throw invalidPayload("malformed update");
  }
}

const handleSync: Handler = (decoder, connection, room) => {
  let syncType: number;
  try {
    syncType = decoding.readVarUint(decoder);
  } catch {
    throw invalidPayload("truncated sync message");
  }
  switch (syncType) {
    case syncProtocol.messageYjsSyncStep1: {
      const stateVector = readBytes(decoder, "state vector");
      let diff: Uint8Array;
      try {
        diff = Y.encodeStateAsUpdate(room.doc, stateVector);
      } catch {
        throw invalidPayload("malformed state vector");
      }
      reply(connection, (encoder) => {
        encoding.writeVarUint(encoder, MessageType.Sync);
        encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
        encoding.writeVarUint8Array(encoder, diff);
      });
      return;
    }
    case syncProtocol.messageYjsSyncStep2:
    case syncProtocol.messageYjsUpdate:
      applyClientUpdate(readBytes(decoder, "update"), connection, room);
      return;
    default:
      throw unsupportedData(`unknown sync message ${syncType}`);
  }
};

const handleAwareness: Handler = (decoder, connection, room) => {
  const update = readBytes(decoder, "awareness update");
  try {
    awarenessProtocol.applyAwarenessUpdate(room.awareness, update, connection);
  } catch {
    throw invalidPayload("malformed awareness update");
  }
};

const handleQueryAwareness: Handler = (_decoder, connection, room) => {
  reply(connection, (encoder) => {
    encoding.writeVarUint(encoder, MessageType.Awareness);
    encoding.writeVarUint8Array(
      encoder,
      awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()]),
    );
  });
};

const handlers: Partial<Record<number, Handler>> = {
  [MessageType.Sync]: handleSync,
  [MessageType.Awareness]: handleAwareness,
  [MessageType.QueryAwareness]: handleQueryAwareness,
};

/** Reads one client frame and dispatches it to the handler of its message type. */
export function handleMessage(frame: Uint8Array, connection: CollabConnection, room: MemoRoom): void {
  const decoder = decoding.createDecoder(frame);
  let type: number;
  try {
    type = decoding.readVarUint(decoder);
  } catch {
    throw invalidPayload("empty or truncated frame");
  }
  const handler = handlers[type];
  if (!handler) throw unsupportedData(`unknown message type ${type}`);
  handler(decoder, connection, room);
  if (decoding.hasContent(decoder)) throw invalidPayload("trailing bytes after message");
}
