import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as encoding from "lib0/encoding";
import type * as Y from "yjs";
import type { MemoRole } from "../../common/sharing/memoPermissions";
import { MessageType } from "../../common/protocol/protocol";
import { encodeSaveAck, type DeleteSet } from "../../common/protocol/saveAck";

// The messages a memo's room sends its clients, each written here once (the room, its outgoing
// turn and its storage queue all send some).

/** Sync step 1: the room's state vector, which starts a client's sync handshake. */
export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** A document update (sync "update"). */
export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Presence of some clients, as y-protocols encodes an awareness update. */
export function awarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, awarenessUpdate);
  return encoding.toUint8Array(encoder);
}

/** The presence of these clients (all of them by default) of an awareness, as one message. */
export function presenceMessage(awareness: awarenessProtocol.Awareness, clients = [...awareness.getStates().keys()]): Uint8Array {
  return awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
}

/** The user's role in the memo. */
export function accessMessage(role: MemoRole): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Access);
  encoding.writeVarString(encoder, role);
  return encoding.toUint8Array(encoder);
}

/** Whether the memo's updates cannot be stored right now. */
export function storageStatusMessage(failing: boolean): Uint8Array {
  return new Uint8Array([MessageType.StorageStatus, failing ? 1 : 0]);
}

/** What is durably stored, as an encoded Yjs snapshot (see saveAck.ts). */
export function savedMessage(encodedSnapshot: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Saved);
  encoding.writeVarUint8Array(encoder, encodedSnapshot);
  return encoding.toUint8Array(encoder);
}

/** The acknowledgement of a stored batch: the stored state vector and the batch's deletions. */
export function saveAckMessage(stateVector: Uint8Array, batchDeletes: DeleteSet | null): Uint8Array {
  return savedMessage(encodeSaveAck(stateVector, batchDeletes));
}
