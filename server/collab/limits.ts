/** Limits that protect the server and other users from one client. Defaults are in env.ts. */
export type CollabLimits = {
  /** Largest WebSocket frame accepted; bigger ones close the connection with 1009. */
  maxFrameBytes: number;
  /** Largest memo, measured as its encoded Yjs state plus updates received since load. */
  maxDocumentBytes: number;
  /** Sustained messages per second per connection… */
  messagesPerSecond: number;
  /** …and the burst allowed above it. */
  messageBurst: number;
  /** Sustained bytes per second per connection… */
  bytesPerSecond: number;
  /** …and the burst allowed above it (at least one largest frame). */
  byteBurst: number;
  /** Largest awareness (presence) update. */
  maxAwarenessBytes: number;
  /** Frames a connection may send before its memo has loaded, and their total size. */
  maxEarlyFrames: number;
  maxEarlyBytes: number;
  /** Updates held in memory for one memo while storage is failing, in bytes. */
  maxUnstoredBytes: number;
  /**
   * Non-empty document updates a read-only connection may send, and their total size, before it
   * is closed with 4403. Honest clients send a few: every sync step 2 carries the memo's delete set,
   * and a demoted editor's client replays its unsaved edits on each reconnect.
   */
  readOnlyGraceUpdates: number;
  readOnlyGraceBytes: number;
};

/** Frames a connection may send before its memo loaded (a sync step and a presence update are normal). */
const EARLY_FRAMES = 100;

/** Refused updates a read-only connection may send: its replay, and a few typed as the demotion arrived. */
const READ_ONLY_GRACE_UPDATES = 8;

/** Bytes of refused updates beyond one largest frame (the replay): keystrokes typed as the demotion arrived. */
const READ_ONLY_GRACE_EXTRA_BYTES = 64 * 1024;

/** The limits configured by the environment (see env.ts for each variable). */
export function collabLimitsFrom(env: {
  COLLAB_MAX_FRAME_BYTES: number;
  COLLAB_MAX_DOCUMENT_BYTES: number;
  COLLAB_MESSAGES_PER_SECOND: number;
  COLLAB_BYTES_PER_SECOND: number;
  COLLAB_MAX_AWARENESS_BYTES: number;
  COLLAB_MAX_UNSTORED_BYTES: number;
}): CollabLimits {
  return {
    maxFrameBytes: env.COLLAB_MAX_FRAME_BYTES,
    maxDocumentBytes: env.COLLAB_MAX_DOCUMENT_BYTES,
    messagesPerSecond: env.COLLAB_MESSAGES_PER_SECOND,
    messageBurst: Math.ceil(env.COLLAB_MESSAGES_PER_SECOND * 2.5),
    bytesPerSecond: env.COLLAB_BYTES_PER_SECOND,
    // Two largest frames: a client pasting a whole memo right after its reconnect replay.
    byteBurst: Math.max(2 * env.COLLAB_MAX_FRAME_BYTES, Math.ceil(env.COLLAB_BYTES_PER_SECOND * 2.5)),
    maxAwarenessBytes: env.COLLAB_MAX_AWARENESS_BYTES,
    maxEarlyFrames: EARLY_FRAMES,
    maxEarlyBytes: 2 * env.COLLAB_MAX_FRAME_BYTES,
    maxUnstoredBytes: env.COLLAB_MAX_UNSTORED_BYTES,
    readOnlyGraceUpdates: READ_ONLY_GRACE_UPDATES,
    // One largest replay and a little: a flood of large frames spends it in two or three, and it
    // stays below the byte burst, so a read-only flood is told why it is closed (4403, not 1008).
    readOnlyGraceBytes: env.COLLAB_MAX_FRAME_BYTES + READ_ONLY_GRACE_EXTRA_BYTES,
  };
}
