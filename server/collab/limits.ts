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
  /** Largest awareness (presence) update. */
  maxAwarenessBytes: number;
  /** Frames a connection may send before its memo has loaded, and their total size. */
  maxEarlyFrames: number;
  maxEarlyBytes: number;
  /** Updates held in memory for one memo while storage is failing, in bytes. */
  maxUnstoredBytes: number;
};

/** Frames a connection may send before its memo loaded (a sync step and a presence update are normal). */
const EARLY_FRAMES = 100;

/** The limits configured by the environment (see env.ts for each variable). */
export function collabLimitsFrom(env: {
  COLLAB_MAX_FRAME_BYTES: number;
  COLLAB_MAX_DOCUMENT_BYTES: number;
  COLLAB_MESSAGES_PER_SECOND: number;
  COLLAB_MAX_AWARENESS_BYTES: number;
  COLLAB_MAX_UNSTORED_BYTES: number;
}): CollabLimits {
  return {
    maxFrameBytes: env.COLLAB_MAX_FRAME_BYTES,
    maxDocumentBytes: env.COLLAB_MAX_DOCUMENT_BYTES,
    messagesPerSecond: env.COLLAB_MESSAGES_PER_SECOND,
    messageBurst: Math.ceil(env.COLLAB_MESSAGES_PER_SECOND * 2.5),
    maxAwarenessBytes: env.COLLAB_MAX_AWARENESS_BYTES,
    maxEarlyFrames: EARLY_FRAMES,
    maxEarlyBytes: 2 * env.COLLAB_MAX_FRAME_BYTES,
    maxUnstoredBytes: env.COLLAB_MAX_UNSTORED_BYTES,
  };
}

/** A token bucket: `take()` is false once a connection sends faster than allowed. */
export class MessageRateLimiter {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
