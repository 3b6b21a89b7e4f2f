import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { restoreAnnouncement, type RestoreAnnouncement } from "./restoreAnnouncement";
import { MEMO_ROLES, type MemoRole } from "../sharing/memoPermissions";

// The collaboration wire protocol, which the server and the browser both run. Every message the server writes is built here, by one builder (`message`), and each
// message of ours has its reader beside its writer, as Hocuspocus keeps a write and a read per
// message in packages/common. A reader reads the payload after the type (y-websocket's provider
// has read the type when it calls a handler) and is as strict as the server's own decoding: it
// throws MalformedMessage for anything its writer would not have written, trailing bytes included.

/** Path prefix of the collaboration WebSocket: `${COLLAB_PATH}/<memoId>`. */
export const COLLAB_PATH = "/collab";

/** The inbox's server-sent events (served by the collaboration server, server/inbox/inboxStreams.ts). */
export const INBOX_STREAM_PATH = "/api/inbox/stream";

/** y-websocket message types (0–3) and ours (100+). */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /** Server → client: what is durably stored (see saveAck.ts). */
  Saved: 100,
  /** Server → client: one byte, 1 while the memo's updates cannot be stored (database down), 0 when they can again. */
  StorageStatus: 101,
  /** Server → client: the user's role in the memo (a string); sent on join and when it changes. */
  Access: 102,
  /** Server → client: the memo's comments changed (a string: the thread id, or empty for any); fetch them again. */
  CommentsChanged: 103,
  /** Server → client: someone restored a version (a JSON string, restoreAnnouncement.ts). */
  Restored: 104,
} as const;

/**
 * WebSocket close codes. y-websocket clients stop reconnecting on 4400–4499 (the server decided
 * and retrying cannot help) and retry on everything else.
 */
export const CloseCode = {
  Normal: 1000,
  /** Server shutting down or restarting: reconnect. */
  GoingAway: 1001,
  /** A text frame, or a message type the server does not speak. */
  UnsupportedData: 1003,
  /** A frame that does not decode (garbage bytes, truncated varints, invalid update). */
  InvalidPayload: 1007,
  /** Too many messages, or content the memo schema forbids. */
  PolicyViolation: 1008,
  /** Frame over the size limit. */
  MessageTooBig: 1009,
  InternalError: 1011,
  /** The memo could not be loaded right now: reconnect later. */
  TryAgainLater: 1013,
  Unauthorized: 4401,
  /** Access to the memo was removed while it was open. */
  Forbidden: 4403,
  /** The memo was deleted while open. */
  MemoDeleted: 4404,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** A message that is not what its writer writes: truncated, with trailing bytes, or a value outside its type. */
export class MalformedMessage extends Error {
  constructor(what: string) {
    super(`malformed ${what}`);
    this.name = "MalformedMessage";
  }
}

/** The one builder: a message of `type`, then what `write` adds. */
function message(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Reads with `read`, turning a decoding failure (truncated, not UTF-8, not JSON) into MalformedMessage. */
function decode<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof MalformedMessage) throw error;
    throw new MalformedMessage(what);
  }
}

/** The one reader of payloads: reads a whole payload with `read`, refusing what is left over. */
function payload<T>(decoder: decoding.Decoder, what: string, read: () => T): T {
  const value = decode(what, read);
  // lib0 reads past the end of a short buffer without throwing (a byte reads as undefined).
  if (decoder.pos > decoder.arr.length) throw new MalformedMessage(`${what} (truncated)`);
  if (decoding.hasContent(decoder)) throw new MalformedMessage(`${what} (trailing bytes)`);
  return value;
}

/** Reads a message's type, the first thing in every message. */
export function readMessageType(decoder: decoding.Decoder): number {
  return decode("message type", () => decoding.readVarUint(decoder));
}

// ── y-websocket's messages, as the server writes them (y-protocols reads them in the browser) ──

/** Sync step 1: a document's state vector, which starts a sync handshake. */
export const writeSyncStep1 = (doc: Y.Doc): Uint8Array =>
  message(MessageType.Sync, (encoder) => syncProtocol.writeSyncStep1(encoder, doc));

/** Sync step 2: what a client holding some state vector lacks, as one update. */
export const writeSyncStep2 = (update: Uint8Array): Uint8Array =>
  message(MessageType.Sync, (encoder) => {
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(encoder, update);
  });

/** A document update. */
export const writeSyncUpdate = (update: Uint8Array): Uint8Array =>
  message(MessageType.Sync, (encoder) => syncProtocol.writeUpdate(encoder, update));

/** Presence of some clients, an awareness update as y-protocols encodes it (writeAwarenessUpdate). */
export const writeAwareness = (awarenessUpdate: Uint8Array): Uint8Array =>
  message(MessageType.Awareness, (encoder) => encoding.writeVarUint8Array(encoder, awarenessUpdate));

/** One client's presence in an awareness update: its clock and its state (null: it left). */
export type AwarenessEntry = { clientId: number; clock: number; state: unknown };

/** An awareness update as y-protocols encodes it (encodeAwarenessUpdate), from its entries. */
export function writeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}

/** The entries of an awareness update (the server binds each to its connection's user). */
export function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  return payload(decoder, "awareness update", () => {
    const count = decoding.readVarUint(decoder);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      entries.push({ clientId, clock, state: JSON.parse(decoding.readVarString(decoder)) });
    }
    return entries;
  });
}

// ── Ours, each a writer and its reader ─────────────────────────────────────────────────────────

/** What is durably stored: an encoded Yjs snapshot (saveAck.ts writes and tracks them). */
export const writeSaved = (encodedSnapshot: Uint8Array): Uint8Array =>
  message(MessageType.Saved, (encoder) => encoding.writeVarUint8Array(encoder, encodedSnapshot));

/** The encoded snapshot of a Saved message, checked to decode as one. */
export function readSaved(decoder: decoding.Decoder): Uint8Array {
  return payload(decoder, "saved acknowledgement", () => {
    const snapshot = decoding.readVarUint8Array(decoder);
    Y.decodeSnapshot(snapshot);
    return snapshot;
  });
}

/** Whether the memo's updates cannot be stored right now. */
export const writeStorageStatus = (failing: boolean): Uint8Array =>
  message(MessageType.StorageStatus, (encoder) => encoding.writeUint8(encoder, failing ? 1 : 0));

/** The failing flag of a StorageStatus message. */
export function readStorageStatus(decoder: decoding.Decoder): boolean {
  return payload(decoder, "storage status", () => {
    const status = decoding.readUint8(decoder);
    if (status !== 0 && status !== 1) throw new MalformedMessage("storage status");
    return status === 1;
  });
}

/** The user's role in the memo. */
export const writeAccess = (role: MemoRole): Uint8Array =>
  message(MessageType.Access, (encoder) => encoding.writeVarString(encoder, role));

/** The role of an Access message. */
export function readAccess(decoder: decoding.Decoder): MemoRole {
  return payload(decoder, "access message", () => {
    const role = decoding.readVarString(decoder) as MemoRole;
    if (!MEMO_ROLES.includes(role)) throw new MalformedMessage("access message");
    return role;
  });
}

const THREAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The memo's comments changed, in a thread (empty: any thread may have changed). Comments live in
 * PostgreSQL, not in the Y.Doc: when one is written, in any process, the memo's open clients are
 * told to fetch them again.
 */
export const writeCommentsChanged = (threadId = ""): Uint8Array =>
  message(MessageType.CommentsChanged, (encoder) => encoding.writeVarString(encoder, threadId));

/** The thread id of a CommentsChanged message, or "" for any thread. */
export function readCommentsChanged(decoder: decoding.Decoder): string {
  return payload(decoder, "comments-changed message", () => {
    const threadId = decoding.readVarString(decoder);
    if (threadId !== "" && !THREAD_ID.test(threadId)) throw new MalformedMessage("comments-changed message");
    return threadId;
  });
}

/** Someone restored a version (restoreAnnouncement.ts says what the editor shows). */
export const writeRestored = (announcement: RestoreAnnouncement): Uint8Array =>
  message(MessageType.Restored, (encoder) => encoding.writeVarString(encoder, JSON.stringify(announcement)));

/** The announcement of a Restored message. */
export function readRestored(decoder: decoding.Decoder): RestoreAnnouncement {
  return payload(decoder, "restore announcement", () => {
    const parsed = restoreAnnouncement.safeParse(JSON.parse(decoding.readVarString(decoder)));
    if (!parsed.success) throw new MalformedMessage("restore announcement");
    return parsed.data;
  });
}
