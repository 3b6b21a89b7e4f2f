import type { WebSocket } from "ws";
import type { CollabMetrics } from "./collabMetrics";
import { roleAllows, type MemoRole } from "../../common/sharing/memoPermissions";

/** The signed-in user behind a connection. */
/** Who a connection is; `sessionId` is the signed-in session it came from (ended sessions close their connections). */
export type CollabUser = { id: string; name: string; email: string; sessionId?: string };

/** One client's WebSocket, as the rooms and handlers see it. */
export class CollabConnection {
  private closed = false;
  /** When a message last went out to this client (performance.now() ms). */
  lastSentAt = -Infinity;
  /** Document updates refused because the role cannot edit, and their bytes (see limits.ts). */
  private refusedUpdates = 0;
  private refusedBytes = 0;

  constructor(
    private readonly socket: WebSocket,
    readonly user: CollabUser,
    readonly memoId: string,
    readonly id: number,
    /** The user's role in the memo; updated when the owner changes it. */
    public role: MemoRole,
    private readonly metrics?: CollabMetrics,
  ) {}

  /** Whether this connection's document updates may be applied. */
  get canWrite(): boolean {
    return roleAllows(this.role, "edit");
  }

  /** Whether this connection may send document updates at all (a commenter's may only suggest). */
  get canSuggest(): boolean {
    return roleAllows(this.role, "suggest");
  }

  /**
   * Counts a document update this connection's role cannot make; false once more of them, or
   * more bytes of them, arrived than the grace allows.
   */
  refuseUpdate(bytes: number, grace: { readOnlyGraceUpdates: number; readOnlyGraceBytes: number }): boolean {
    this.refusedUpdates += 1;
    this.refusedBytes += bytes;
    return this.refusedUpdates <= grace.readOnlyGraceUpdates && this.refusedBytes <= grace.readOnlyGraceBytes;
  }

  /** Sends a binary message; silently dropped once the socket is closing. */
  send(message: Uint8Array): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    this.metrics?.bytesOut.inc(message.byteLength);
    this.lastSentAt = performance.now();
    this.socket.send(message, { binary: true }, (error) => {
      if (error) this.close(1011, "send failed");
    });
  }

  /** Closes the socket with a code and a short reason (at most 123 bytes by the protocol). */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason.slice(0, 120));
  }

  /** True once close() was called or the socket closed. */
  get isClosed(): boolean {
    return this.closed || this.socket.readyState >= this.socket.CLOSING;
  }
}
