import * as decoding from "lib0/decoding";
import pino, { type Logger } from "pino";
import * as syncProtocol from "y-protocols/sync";
import type { WebSocket } from "ws";
import type * as Y from "yjs";
import { CollabConnection } from "../collab/collabConnection";
import type { CollabMetrics } from "../collab/collabMetrics";
import { MemoRoom, type RoomStorage, type RoomTiming } from "../collab/memoRoom";
import type { RoomPeers } from "../collab/redisBridge";
import { newMemoDoc, type LoadFacts } from "../memos/memoStore";
import { MessageType } from "../../common/protocol/protocol";

// A MemoRoom and its connections in one process, without a server or sockets, for unit tests of
// what a room applies, stores and sends.

/**
 * A room whose storage succeeds at once, with a silent log, no metrics, no peers and nothing
 * loaded; timing defaults to batches and compaction far in the future. Anything can be given instead.
 */
export function testRoom(
  options: {
    memoId?: string;
    doc?: Y.Doc;
    storage?: RoomStorage;
    timing?: Partial<RoomTiming>;
    loaded?: LoadFacts;
    log?: Logger;
    metrics?: CollabMetrics;
    peers?: RoomPeers;
  } = {},
): MemoRoom {
  return new MemoRoom({
    memoId: options.memoId ?? "memo",
    doc: options.doc ?? newMemoDoc(),
    storage: options.storage ?? { store: async () => true, compact: async () => 0 },
    timing: { batchMs: 60_000, compactAfterRows: 1_000, compactIdleMs: 60_000, ...options.timing },
    log: options.log ?? pino({ level: "silent" }),
    loaded: options.loaded ?? { logRows: 0, storedBytes: 0 },
    onMemoDeleted: () => undefined,
    metrics: options.metrics,
    peers: options.peers,
  });
}

/** A WebSocket stand-in, always open, that records every message sent to it in `received`. */
export function recordingSocket(received: Uint8Array[]): WebSocket {
  return {
    OPEN: 1,
    readyState: 1,
    send: (message: Uint8Array) => received.push(message),
    close: () => undefined,
  } as unknown as WebSocket;
}

/** An editor's connection (user `u<id>`) whose messages land in `received`. */
export function testConnection(id: number, received: Uint8Array[] = []): CollabConnection {
  return new CollabConnection(
    recordingSocket(received),
    { id: `u${id}`, name: `U${id}`, email: `u${id}@x` },
    "memo",
    id,
    "editor",
  );
}

/** Document updates among the messages a client received. */
export function syncUpdates(messages: Uint8Array[]): Uint8Array[] {
  return messages.flatMap((message) => {
    const decoder = decoding.createDecoder(message);
    if (
      decoding.readVarUint(decoder) !== MessageType.Sync ||
      decoding.readVarUint(decoder) !== syncProtocol.messageYjsUpdate
    )
      return [];
    return [decoding.readVarUint8Array(decoder)];
  });
}

/** The saved acknowledgements (encoded snapshots) among the messages a client received. */
export function savedAcks(messages: Uint8Array[]): Uint8Array[] {
  return messages.flatMap((message) => {
    const decoder = decoding.createDecoder(message);
    return decoding.readVarUint(decoder) === MessageType.Saved ? [decoding.readVarUint8Array(decoder)] : [];
  });
}
