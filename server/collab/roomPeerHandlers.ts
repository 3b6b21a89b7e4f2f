import * as Y from "yjs";
import type { MemoRoom } from "./memoRoom";
import type { PeerHandlers } from "./redisBridge";

/** How this instance's loaded rooms answer traffic from other instances (see redisBridge.ts). */
export function roomPeerHandlers(loadedRoom: (memoId: string) => MemoRoom | undefined): PeerHandlers {
  return {
    update: (memoId, update) => loadedRoom(memoId)?.applyRemoteUpdate(update),
    awareness: (memoId, update) => loadedRoom(memoId)?.applyRemoteAwareness(update),
    stateVector: (memoId) => {
      const room = loadedRoom(memoId);
      if (!room) return null;
      // Publish what this turn applied first, so the hello never runs ahead of its updates.
      room.flushOutgoing();
      return Y.encodeStateVector(room.doc);
    },
    lacksFrom: (memoId, stateVector) => {
      const room = loadedRoom(memoId);
      if (!room) return false;
      const ours = Y.decodeStateVector(Y.encodeStateVector(room.doc));
      for (const [client, clock] of Y.decodeStateVector(stateVector)) if ((ours.get(client) ?? 0) < clock) return true;
      return false;
    },
    stateFor: (memoId, stateVector) => {
      const room = loadedRoom(memoId);
      if (!room) return null;
      const missing = Y.encodeStateAsUpdate(room.doc, stateVector);
      // An update with no structs and no deletions is two zero bytes.
      return missing.byteLength > 2 ? missing : null;
    },
  };
}
