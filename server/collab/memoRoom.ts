import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import type { Logger } from "pino";
import type { CollabConnection } from "./collabConnection";
import { MessageType } from "./protocol";
import type { PendingUpdate } from "./persistence";
import { encodeSaveAck } from "./saveAck";

/** How a room reaches storage; the registry supplies the real functions, tests may wrap them. */
export type RoomStorage = {
  /** Appends a batch; resolves false when the memo no longer exists. */
  store(memoId: string, batch: PendingUpdate[]): Promise<boolean>;
  /** Folds the log into a snapshot. */
  compact(memoId: string): Promise<number>;
};

/** Timing of persistence. */
export type RoomTiming = {
  /** Longest time an update waits before its batch is written. */
  batchMs: number;
  /** Compact after this many rows were appended since the last compaction… */
  compactAfterRows: number;
  /** …or after this long without edits. */
  compactIdleMs: number;
};

/**
 * A busy memo broadcasts at most once per this many milliseconds per connection (see
 * scheduleBroadcast): 0.3 ms keeps a memo under about 3,300 socket writes a second.
 */
const BROADCAST_SPACING_PER_CONNECTION_MS = 0.3;

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;

/**
 * One open memo: its Y.Doc, who is connected, and the queue of updates on their way to storage.
 * Updates are applied and broadcast at once; storage follows in batches (at most `batchMs` behind),
 * and each committed batch is acknowledged to the connections that contributed to it.
 */
export class MemoRoom {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly connections = new Map<CollabConnection, Set<number>>();
  private queue: PendingUpdate[] = [];
  private contributors = new Set<CollabConnection>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private compactTimer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> | undefined;
  /** Updates applied and presence changed in this event-loop turn, broadcast together once it ends. */
  private outgoing: { update: Uint8Array; from: CollabConnection | undefined }[] = [];
  private outgoingPresence = new Set<number>();
  private outgoingImmediate: ReturnType<typeof setImmediate> | undefined;
  private outgoingTimer: ReturnType<typeof setTimeout> | undefined;
  private lastBroadcastAt = Number.NEGATIVE_INFINITY;
  private rowsSinceCompaction: number;
  private retryMs = RETRY_MIN_MS;
  private deleted = false;
  /** True while the last attempt to store failed; the room then stays in memory. */
  storageFailing = false;

  constructor(
    readonly memoId: string,
    readonly doc: Y.Doc,
    private readonly storage: RoomStorage,
    private readonly timing: RoomTiming,
    private readonly log: Logger,
    logRowsAtLoad: number,
    private readonly onMemoDeleted: (room: MemoRoom) => void,
  ) {
    this.rowsSinceCompaction = logRowsAtLoad;
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    doc.on("update", this.onDocUpdate);
    this.awareness.on("update", this.onAwarenessUpdate);
    if (logRowsAtLoad >= timing.compactAfterRows) this.scheduleCompaction(0);
  }

  /** Number of open connections. */
  get size(): number {
    return this.connections.size;
  }

  /** True when every update received has been stored. */
  get isPersisted(): boolean {
    return this.queue.length === 0 && this.flushing === undefined;
  }

  /** Adds a connection and starts the sync handshake: our state vector and everyone's presence. */
  join(connection: CollabConnection): void {
    this.connections.set(connection, new Set());
    const sync = encoding.createEncoder();
    encoding.writeVarUint(sync, MessageType.Sync);
    syncProtocol.writeSyncStep1(sync, this.doc);
    connection.send(encoding.toUint8Array(sync));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      const presence = encoding.createEncoder();
      encoding.writeVarUint(presence, MessageType.Awareness);
      encoding.writeVarUint8Array(presence, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()]));
      connection.send(encoding.toUint8Array(presence));
    }
    if (this.isPersisted) connection.send(this.saveAckMessage(Y.encodeStateVector(this.doc), null));
  }

  /** Removes a connection and the presence of the clients it controlled. */
  leave(connection: CollabConnection): void {
    const clients = this.connections.get(connection);
    if (!clients) return;
    this.connections.delete(connection);
    this.contributors.delete(connection);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...clients], null);
  }

  /** Remembers which awareness client ids a connection speaks for, to remove them when it leaves. */
  trackAwarenessClients(connection: CollabConnection, clientIds: number[]): void {
    const clients = this.connections.get(connection);
    for (const id of clientIds) clients?.add(id);
  }

  /** Sends a message to every connection except `except`. */
  broadcast(message: Uint8Array, except?: CollabConnection): void {
    for (const connection of this.connections.keys()) {
      if (connection !== except) connection.send(message);
    }
  }

  /** Closes every connection with the given code. */
  closeAll(code: number, reason: string): void {
    for (const connection of [...this.connections.keys()]) connection.close(code, reason);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    const from = origin as CollabConnection | undefined;
    this.outgoing.push({ update, from });
    this.scheduleBroadcast();
    if (this.deleted) return;
    this.queue.push({ data: update, userId: from?.user.id ?? null });
    if (from) this.contributors.add(from);
    this.scheduleFlush(this.timing.batchMs);
  };

  /**
   * Changes are not sent one by one: socket writes (one per change per connection) dominate the
   * server's CPU when many people type, and queued they make its latency. What arrives in one
   * event-loop turn goes out together right after the turn's I/O (setImmediate: no added delay).
   * A busy memo, which broadcast less than 0.3 ms × connections ago, waits out that spacing, so
   * the writes stay bounded however many type: at 50 editors one merged message at most every 15 ms
   * instead of one per keystroke to each of 49 sockets. A quiet memo or a small one barely waits.
   */
  private scheduleBroadcast(): void {
    if (this.outgoingImmediate || this.outgoingTimer) return;
    const wait = this.lastBroadcastAt + this.connections.size * BROADCAST_SPACING_PER_CONNECTION_MS - performance.now();
    if (wait > 0) this.outgoingTimer = setTimeout(this.broadcastOutgoing, wait);
    else this.outgoingImmediate = setImmediate(this.broadcastOutgoing);
  }

  /**
   * Sends what changed since the last broadcast: the document updates merged into one, then the
   * latest presence of the clients whose presence changed (after the text, so a cursor never arrives
   * before what it points at). Senders get the merge too unless only one connection sent: applying
   * an update a client already has is a no-op.
   */
  private readonly broadcastOutgoing = () => {
    this.outgoingImmediate = undefined;
    this.outgoingTimer = undefined;
    this.lastBroadcastAt = performance.now();
    const outgoing = this.outgoing;
    this.outgoing = [];
    if (outgoing.length > 0) {
      const update = outgoing.length === 1 ? outgoing[0].update : Y.mergeUpdates(outgoing.map((entry) => entry.update));
      const onlySender = outgoing.every((entry) => entry.from === outgoing[0].from) ? outgoing[0].from : undefined;
      const message = encoding.createEncoder();
      encoding.writeVarUint(message, MessageType.Sync);
      syncProtocol.writeUpdate(message, update);
      this.broadcast(encoding.toUint8Array(message), onlySender);
    }
    if (this.outgoingPresence.size > 0) {
      const changed = [...this.outgoingPresence];
      this.outgoingPresence.clear();
      const message = encoding.createEncoder();
      encoding.writeVarUint(message, MessageType.Awareness);
      encoding.writeVarUint8Array(message, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      this.broadcast(encoding.toUint8Array(message));
    }
  };

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    const from = origin as CollabConnection | null;
    if (from && this.connections.has(from)) this.trackAwarenessClients(from, added);
    for (const clientId of [...added, ...updated, ...removed]) this.outgoingPresence.add(clientId);
    this.scheduleBroadcast();
  };

  private scheduleFlush(delayMs: number): void {
    if (this.flushTimer || this.flushing) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, delayMs);
  }

  /** Writes everything queued now; resolves when the queue was empty at some point after the call. */
  async flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    while (this.flushing) await this.flushing;
    if (this.queue.length === 0 || this.deleted) return;
    this.flushing = this.writeBatch().finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
    if (this.queue.length > 0 && !this.storageFailing) await this.flush();
  }

  private async writeBatch(): Promise<void> {
    const batch = this.queue;
    const contributors = this.contributors;
    this.queue = [];
    this.contributors = new Set();
    // Everything applied to the doc so far is either stored already or in this batch.
    const stateVector = Y.encodeStateVector(this.doc);
    try {
      const exists = await this.storage.store(this.memoId, batch);
      if (!exists) {
        this.markDeleted();
        return;
      }
      this.storageFailing = false;
      this.retryMs = RETRY_MIN_MS;
      this.rowsSinceCompaction += 1;
      const ack = this.saveAckMessage(stateVector, Y.mergeUpdates(batch.map((update) => update.data)));
      for (const connection of contributors) {
        if (this.connections.has(connection)) connection.send(ack);
      }
      this.scheduleCompaction(this.rowsSinceCompaction >= this.timing.compactAfterRows ? 0 : this.timing.compactIdleMs);
    } catch (error) {
      // Keep the batch, in order, ahead of anything that arrived meanwhile, and try again later.
      this.queue = [...batch, ...this.queue];
      for (const connection of contributors) this.contributors.add(connection);
      this.storageFailing = true;
      this.log.error({ err: error, memoId: this.memoId, updates: batch.length, retryMs: this.retryMs }, "storing updates failed");
      const retryIn = this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
      setTimeout(() => this.scheduleFlush(0), retryIn).unref();
    }
  }

  private saveAckMessage(stateVector: Uint8Array, batchUpdate: Uint8Array | null): Uint8Array {
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, MessageType.Saved);
    encoding.writeVarUint8Array(message, encodeSaveAck(stateVector, batchUpdate));
    return encoding.toUint8Array(message);
  }

  private scheduleCompaction(delayMs: number): void {
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.compactTimer = setTimeout(() => {
      this.compactTimer = undefined;
      void this.compact();
    }, delayMs);
    this.compactTimer.unref();
  }

  /** Folds the stored log into a snapshot (in the background; failures are retried later). */
  async compact(): Promise<void> {
    if (this.deleted || this.rowsSinceCompaction === 0) return;
    const rowsBefore = this.rowsSinceCompaction;
    try {
      await this.storage.compact(this.memoId);
      this.rowsSinceCompaction = Math.max(0, this.rowsSinceCompaction - rowsBefore);
    } catch (error) {
      this.log.warn({ err: error, memoId: this.memoId }, "compaction failed; will retry");
      this.scheduleCompaction(this.timing.compactIdleMs);
    }
  }

  private markDeleted(): void {
    this.deleted = true;
    this.queue = [];
    this.onMemoDeleted(this);
  }

  /** Stops timers and listeners; the caller flushes first. */
  destroy(): void {
    if (this.outgoingImmediate) clearImmediate(this.outgoingImmediate);
    if (this.outgoingTimer) clearTimeout(this.outgoingTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.doc.off("update", this.onDocUpdate);
    this.awareness.off("update", this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
