import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { Logger } from "pino";
import type { CollabConnection } from "./collabConnection";
import type { CollabMetrics } from "./collabMetrics";
import { CompactionSchedule, type CompactionTiming } from "./compactionSchedule";
import type { PresenceClaims } from "./presenceBinding";
import type { RoomPeers } from "./redisBridge";
import type { MemoRole } from "../../common/sharing/memoPermissions";
import {
  CloseCode,
  writeAccess,
  writeAwareness,
  writeSaved,
  writeStorageStatus,
  writeSyncStep1,
} from "../../common/protocol/protocol";
import { encodeSaveAck } from "../../common/protocol/saveAck";
import type { LoadFacts } from "../memos/memoStore";
import { RestoreWatch, type RestoreStorage } from "./restoreWatch";
import type { ClockLookup, UpdateFacts } from "./memoUpdateRules";
import type { PlacedItem } from "./memoStructure";
import { mergedUpdate, OutgoingTurn } from "./outgoingTurn";
import { RoomConnections } from "./roomConnections";
import { StorageQueue, type StoreBatch } from "./storageQueue";
import { SuggestionShadow } from "./suggestionShadow";
import type { SuggestionRule } from "./suggestionRules";
import { REMOTE, STORED, WAITED } from "./updateOrigins";
import { WaitingUpdates } from "./waitingUpdates";

/** How a room reaches storage; the registry supplies the real functions, tests may wrap them. */
export type RoomStorage = {
  /** Appends a batch; resolves false when the memo no longer exists (else what it learned, or true). */
  store: StoreBatch;
  /** Folds the log into a snapshot. */
  compact(memoId: string): Promise<number>;
  /** Reads restores and keeps the edits they hid (restoreWatch.ts); without it, nothing is watched. */
  restores?: RestoreStorage;
};

/** Timing of persistence. */
export type RoomTiming = CompactionTiming & {
  /** Longest time an update waits before its batch is written. */
  batchMs: number;
  /** At most this long between relays of a client's unchanged presence (PresenceRelay; default 10 s). */
  presenceRenewalMs?: number;
  /** A store still running after this long tells clients storage is failing (default 3 s). */
  slowStoreMs?: number;
};

/** Everything a room works with, given when it is created. */
export type MemoRoomOptions = {
  memoId: string;
  /** The memo's document as loaded; the room owns it from now on. */
  doc: Y.Doc;
  storage: RoomStorage;
  timing: RoomTiming;
  log: Logger;
  /** What the load read besides the document. */
  loaded: LoadFacts;
  /** Called when a store finds the memo deleted. */
  onMemoDeleted: (room: MemoRoom) => void;
  metrics?: CollabMetrics;
  /** Other instances serving this memo (when Redis is configured). */
  peers?: RoomPeers;
};

/**
 * One open memo: its Y.Doc and the parts that serve it, which it coordinates: who is connected
 * (RoomConnections), what goes out at the end of the turn (OutgoingTurn), the client updates that
 * wait for it (WaitingUpdates), the queue of updates on their way to storage (StorageQueue) and
 * the compaction of the stored log (CompactionSchedule). Updates are applied and broadcast at once
 * (or, when the memo is over its write budget, together at its next broadcast); storage follows in
 * batches (at most `batchMs` behind), and each committed batch is acknowledged to the connections
 * that contributed to it.
 */
export class MemoRoom implements PresenceClaims {
  readonly memoId: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** Bytes of state read at load plus every update since: what the document limit measures. */
  approximateBytes: number;
  private readonly connections: RoomConnections;
  private readonly turn: OutgoingTurn;
  private readonly waiting = new WaitingUpdates();
  private readonly storage: StorageQueue;
  private readonly compaction: CompactionSchedule;
  /** Finds acknowledged edits a restore hid, and has them kept in a version first. */
  private readonly restores: RestoreWatch;
  /**
   * The whole document as one update, kept from the load (or the last time a new client asked for
   * everything) until the next change: every client opening the memo fresh gets these bytes
   * instead of another encoding of the document, which for a large memo is most of its load time.
   */
  private fullState: Uint8Array | undefined;
  /** What the update check read from the client update being applied (see applyClientUpdate). */
  private incoming: UpdateFacts | undefined;
  /** The copy suggestion-bearing updates are tried on (suggestionShadow.ts), while someone suggests. */
  private shadow: SuggestionShadow | undefined;
  private readonly log: Logger;
  private readonly metrics: CollabMetrics | undefined;

  constructor(options: MemoRoomOptions) {
    const { memoId, doc, storage, timing, log, loaded, metrics } = options;
    this.memoId = memoId;
    this.doc = doc;
    this.log = log;
    this.metrics = metrics;
    // What was read, not a fresh encoding: encoding a 500 KB memo again took ~50 ms of its load.
    this.approximateBytes = loaded.storedBytes;
    this.fullState = loaded.fullState;
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    this.connections = new RoomConnections(this.awareness);
    doc.on("update", this.onDocUpdate);
    this.turn = new OutgoingTurn({
      audience: this.connections,
      awareness: this.awareness,
      peers: options.peers,
      presenceRenewalMs: timing.presenceRenewalMs,
      beforeSending: () => this.applyWaiting(),
    });
    this.restores = new RestoreWatch(
      memoId,
      doc,
      storage.restores,
      loaded.lastRestore ?? null,
      (update) => this.applyExternalUpdate(update),
      log,
    );
    this.compaction = new CompactionSchedule({
      memoId,
      compact: () => storage.compact(memoId),
      timing,
      log,
      metrics,
      rowsAtLoad: loaded.logRows,
    });
    this.storage = new StorageQueue({
      memoId,
      doc,
      store: (id, batch) => storage.store(id, batch),
      timing,
      log,
      metrics,
      isConnected: (connection) => this.connections.has(connection),
      beforeFlush: () => this.applyWaiting(),
      // No acknowledgement for edits a restore hid until a version shows them (restoreWatch.ts).
      beforeAcknowledging: (stored, stateVector) => this.restores.beforeAcknowledging(stored, stateVector),
      // Every client is told when storage starts or stops failing, so the UI can say so.
      onFailingChanged: (failing) => this.broadcast(writeStorageStatus(failing)),
      onBatchStored: () => this.compaction.noteBatchStored(),
      onMemoGone: () => {
        this.waiting.takeAll();
        this.compaction.markMemoGone();
        options.onMemoDeleted(this);
      },
    });
  }

  /** True while the last attempt to store failed; the room then stays in memory. */
  get storageFailing(): boolean {
    return this.storage.failing;
  }

  /** Bytes received and not yet stored (waiting, queued or being written). */
  get unstoredBytes(): number {
    return this.storage.unstoredBytes + this.waiting.bytes;
  }

  /** Number of open connections. */
  get size(): number {
    return this.connections.size;
  }

  /** True when every update received has been stored. */
  get isPersisted(): boolean {
    return this.waiting.isEmpty && this.storage.isEmpty;
  }

  /** Clocks as the update check must see them: the document's, advanced by the waiting updates. */
  readonly clocks: ClockLookup = (client) => this.waiting.clockOf(client) ?? Y.getState(this.doc.store, client);

  /** An item of a waiting update, with where it lands (an update checked now may build on it). */
  waitingItem(id: Y.ID): PlacedItem | undefined {
    return this.waiting.item(id);
  }

  /**
   * Throws a ProtocolViolation unless `update` follows `rule` for `userId` (suggestionRules.ts),
   * tried on a shadow copy of the memo as it is once the waiting updates are applied.
   */
  checkSuggestions(update: Uint8Array, userId: string, rule: SuggestionRule): void {
    this.applyWaiting();
    this.shadow ??= new SuggestionShadow(this.doc, () => (this.shadow = undefined));
    this.shadow.check(update, userId, rule);
  }

  /** Adds a connection and starts the sync handshake: our state vector and everyone's presence. */
  join(connection: CollabConnection): void {
    this.connections.add(connection);
    connection.send(writeAccess(connection.role));
    connection.send(writeSyncStep1(this.doc));
    const present = [...this.awareness.getStates().keys()];
    if (present.length > 0)
      connection.send(writeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, present)));
    if (this.isPersisted) connection.send(writeSaved(encodeSaveAck(Y.encodeStateVector(this.doc), null)));
    if (this.storage.failing) connection.send(writeStorageStatus(true));
  }

  /** Removes a connection and the presence of the clients it controlled. */
  leave(connection: CollabConnection): void {
    if (!this.connections.has(connection)) return;
    this.storage.forget(connection);
    this.connections.remove(connection);
  }

  claimedBy(clientId: number): CollabConnection | undefined {
    return this.connections.claimedBy(clientId);
  }

  currentClock(clientId: number): number {
    return this.connections.currentClock(clientId);
  }

  claim(connection: CollabConnection, clientId: number): "ok" | "too many" {
    return this.connections.claim(connection, clientId);
  }

  /** The user ids connected to this memo. */
  connectedUserIds(): Set<string> {
    return this.connections.userIds();
  }

  /**
   * Applies current roles to open connections: a removed member is disconnected with a reason, a
   * changed role takes effect at once (a demoted editor's next update is dropped) and the client
   * is told, so its editor turns read-only.
   */
  applyRoles(roles: Map<string, MemoRole>): void {
    for (const connection of this.connections.list()) {
      const role = roles.get(connection.user.id);
      if (!role) {
        connection.close(CloseCode.Forbidden, "You no longer have access to this memo.");
      } else if (role !== connection.role) {
        connection.role = role;
        connection.send(writeAccess(role));
      }
    }
  }

  /**
   * After a client replayed its state (sync step 2), it must learn that everything it holds is
   * stored, including deletions made in an earlier session that a batch acknowledgement would not
   * cover: send a full snapshot now if nothing is pending, else with the next batch.
   */
  acknowledgeReplay(connection: CollabConnection): void {
    if (this.isPersisted) connection.send(writeSaved(Y.encodeSnapshot(Y.snapshot(this.doc))));
    else this.storage.acknowledgeFullyNext(connection);
  }

  /** Sends a message to every connection except `except`; returns how many it was sent to. */
  broadcast(message: Uint8Array, except?: CollabConnection): number {
    return this.connections.broadcast(message, except);
  }

  /** Closes the connections `userId` opened from the sessions in `ended` (signed out, revoked, password reset). */
  closeSessions(userId: string, ended: ReadonlySet<string>): void {
    for (const connection of this.connections.list()) {
      const { id, sessionId } = connection.user;
      if (id === userId && sessionId !== undefined && ended.has(sessionId)) {
        connection.close(CloseCode.Unauthorized, "You were signed out. Sign in again to keep editing.");
      }
    }
  }

  /** The sessions this room's connections were opened from. */
  openSessions(): Set<string> {
    const sessions = new Set<string>();
    for (const connection of this.connections.list())
      if (connection.user.sessionId) sessions.add(connection.user.sessionId);
    return sessions;
  }

  /** Closes the connections whose session is not in `live` (after missed notifications). */
  closeEndedSessions(live: ReadonlySet<string>): void {
    for (const connection of this.connections.list()) {
      const { sessionId } = connection.user;
      if (sessionId !== undefined && !live.has(sessionId)) {
        connection.close(CloseCode.Unauthorized, "You were signed out. Sign in again to keep editing.");
      }
    }
  }

  /** Closes every connection with the given code. */
  closeAll(code: number, reason: string): void {
    this.connections.closeAll(code, reason);
  }

  /**
   * Applies a client's update that passed checkClientUpdate (against `clocks`), handing what the
   * check decoded to the storage queue (its authors and deletions), so that nothing decodes the
   * update again.
   *
   * While a broadcast waits for the write budget (many people typing), an incremental update
   * (`mayWait`; not a reconnecting client's replay) waits with it and is applied together with
   * the others that arrive meanwhile, as one transaction, when the broadcast goes out: nobody
   * would see it earlier anyway, and Yjs applied four one-letter updates merged in a third of the
   * time it took for four transactions (each copies the state vector twice and encodes an update
   * event). The update check sees waiting updates through `clocks`.
   */
  applyClientUpdate(update: Uint8Array, connection: CollabConnection, facts: UpdateFacts, mayWait = false): void {
    if (mayWait && this.turn.schedule()) {
      this.waiting.add({ update, connection, facts, receivedAt: performance.now() });
      this.approximateBytes += update.byteLength;
      return;
    }
    // Keep the order in which updates were accepted.
    this.applyWaiting();
    this.incoming = facts;
    try {
      this.restores.applyingClientUpdate(
        () => facts.deletes,
        () => Y.applyUpdate(this.doc, update, connection),
      );
    } finally {
      this.incoming = undefined;
    }
  }

  /** Applies the memo's restores this room has not applied yet (restoreWatch.ts). */
  syncRestores(): Promise<void> {
    return this.restores.sync();
  }

  /** Applies an update that is already stored (written by another process): broadcast only. */
  applyExternalUpdate(update: Uint8Array): void {
    this.applyWaiting();
    Y.applyUpdate(this.doc, update, STORED);
  }

  /**
   * Applies an update relayed from another instance: broadcast to our clients and stored here
   * too (a duplicate row is harmless, and the memo survives that instance dying before it stored).
   */
  applyRemoteUpdate(update: Uint8Array): void {
    this.applyWaiting();
    Y.applyUpdate(this.doc, update, REMOTE);
  }

  /** Applies presence relayed from another instance (already bound to its users there). */
  applyRemoteAwareness(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE);
  }

  /** What a client holding `stateVector` lacks, as one update (sync step 2). */
  stateAsUpdate(stateVector: Uint8Array): Uint8Array {
    if (Y.decodeStateVector(stateVector).size > 0) return Y.encodeStateAsUpdate(this.doc, stateVector);
    this.fullState ??= Y.encodeStateAsUpdate(this.doc);
    return this.fullState;
  }

  /**
   * Applies the waiting client updates as one transaction and hands each to storage (with its own
   * author) and their merge to the next broadcast. If the merge cannot be applied (the check
   * should have refused whatever breaks it), each is applied alone and a failing one's sender is
   * disconnected.
   */
  private applyWaiting(): void {
    if (this.waiting.isEmpty) return;
    const waiting = this.waiting.takeAll();
    let applied = waiting;
    try {
      const merged = mergedUpdate(waiting.map((entry) => entry.update));
      const deletes = () => Y.mergeDeleteSets(waiting.map((entry) => entry.facts.deletes));
      this.restores.applyingClientUpdate(deletes, () => Y.applyUpdate(this.doc, merged, WAITED));
      const sender = waiting.every((entry) => entry.connection === waiting[0].connection)
        ? waiting[0].connection
        : undefined;
      this.turn.addUpdate(merged, sender, true);
    } catch (error) {
      this.log.error(
        { err: error, memoId: this.memoId, updates: waiting.length },
        "applying waiting updates together failed",
      );
      applied = [];
      for (const entry of waiting) {
        try {
          this.restores.applyingClientUpdate(
            () => entry.facts.deletes,
            () => Y.applyUpdate(this.doc, entry.update, WAITED),
          );
          this.turn.addUpdate(entry.update, entry.connection, true);
          applied.push(entry);
        } catch {
          entry.connection.close(CloseCode.InvalidPayload, "malformed update");
        }
      }
    }
    for (const { update, connection, facts, receivedAt } of applied) {
      this.metrics?.updates.inc();
      this.storage.add(update, connection, facts, receivedAt);
    }
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    this.fullState = undefined;
    // applyWaiting queues, counts and broadcasts those itself, update by update.
    if (origin === WAITED) return;
    const local = origin !== STORED && origin !== REMOTE;
    const from = local ? (origin as CollabConnection | undefined) : undefined;
    this.turn.addUpdate(update, from, local);
    this.turn.schedule();
    this.metrics?.updates.inc();
    this.approximateBytes += update.byteLength;
    if (origin === STORED) return;
    this.storage.add(update, from, from ? this.incoming : undefined, performance.now());
  };

  /**
   * Sends what waits for the end of the turn now. Called before this instance tells the others its
   * state vector ("hello"): Redis keeps one publisher's messages in order, so a state vector must
   * not overtake the updates it covers, or every hello during continuous typing would look like a
   * loss to the other side, which would answer with a hello of its own, and so on.
   */
  flushOutgoing(): void {
    if (this.turn.isEmpty && this.waiting.isEmpty) return;
    this.turn.sendNow();
  }

  /** Writes everything queued now; resolves when the queue was empty at some point after the call. */
  flush(): Promise<void> {
    return this.storage.flush();
  }

  /** Folds the stored log into a snapshot (in the background; a failure is retried with backoff). */
  compact(): Promise<void> {
    return this.compaction.run();
  }

  /** Stops timers and listeners; the caller flushes first. */
  destroy(): void {
    // Send what is still waiting for the end of the turn now: the last connections' departures
    // must still reach the other instances, as they did when every change was sent at once.
    this.flushOutgoing();
    this.turn.stop();
    this.storage.stop();
    this.compaction.stop();
    this.doc.off("update", this.onDocUpdate);
    this.shadow?.drop();
    this.restores.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
