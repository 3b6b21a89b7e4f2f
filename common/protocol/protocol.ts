import { RESTORED_MESSAGE } from "./restoreAnnouncement";
// Wire constants shared by the collaboration server and the browser.

/** Path prefix of the collaboration WebSocket: `${COLLAB_PATH}/<memoId>`. */
export const COLLAB_PATH = "/collab";

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
  Restored: RESTORED_MESSAGE,
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
