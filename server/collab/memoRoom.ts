import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import type { Logger } from "pino";
import { CollabConnection } from "./collabConnection";
import type { CollabMetrics } from "./collabMetrics";
import { MAX_CLIENT_IDS_PER_CONNECTION, type PresenceClaims } from "./presenceBinding";
import { PresenceRelay } from "../../common/protocol/presenceRelay";
import type { RoomPeers } from "./redisBridge";
import type { MemoRole } from "../../common/sharing/memoPermissions";
import { CloseCode, MessageType } from "../../common/protocol/protocol";
import type { LoadFacts, PendingUpdate, AppendedBatch } from "../memos/memoStore";
import { RestoreWatch, type RestoreStorage } from "./restoreWatch";
import { deletesOf, encodeSaveAck, type DeleteSet } from "../../common/protocol/saveAck";
import type { ClockLookup, UpdateFacts } from "./memoUpdateRules";
import type { PlacedItem } from "./memoStructure";
import { WriteBudget } from "./writeBudget";

/** How a room reaches storage; the registry supplies the real functions, tests may wrap them. */
export type RoomStorage = {
  /** Appends a batch; resolves false when the memo no longer exists (else what it learned, or true). */
  store(memoId: string, batch: PendingUpdate[]): Promise<boolean | AppendedBatch>;
  /** Folds the log into a snapshot. */
  compact(memoId: string): Promise<number>;
  /** Reads restores and keeps the edits they hid (restoreWatch.ts); without it, nothing is watched. */
  restores?: RestoreStorage;
};

/** Timing of persistence. */
export type RoomTiming = {
  /** Longest time an update waits before its batch is written. */
  batchMs: number;
  /** Compact after this many rows were appended since the last compaction… */
  compactAfterRows: number;
  /** …or after this long without edits. */
  compactIdleMs: number;
  /** At most this long between relays of a client's unchanged presence (PresenceRelay; default 10 s). */
  presenceRenewalMs?: number;
  /** A store still running after this long tells clients storage is failing (default 3 s). */
  slowStoreMs?: number;
};

/** How long a store may take before clients are told storage is failing (a hung database never errs). */
const SLOW_STORE_MS = 3_000;

/**
 * Socket writes a memo may make per second when it broadcasts (see scheduleBroadcast), and how many
 * it may save up while quiet (50 ms worth). 3,300 is one write per connection every 0.3 ms: at
 * 50 editors a merged message at most every 15 ms.
 */
const BROADCAST_WRITES_PER_SECOND = 3_300;
const BROADCAST_WRITES_BURST = BROADCAST_WRITES_PER_SECOND * 0.05;

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;
/** A failing compaction is retried after compactIdleMs, doubling up to this. */
const COMPACT_RETRY_MAX_MS = 10 * 60_000;

/** Transaction origin of updates that are already in storage and must not be written again. */
const STORED = Symbol("stored");
/** Transaction origin of updates and presence relayed from another instance (through Redis). */
const REMOTE = Symbol("remote");
/** Transaction origin of client updates that waited for a broadcast (see applyWaiting). */
const WAITED = Symbol("waited");

/** One update for several (mergeUpdates of a single update would copy it for nothing). */
const mergedUpdate = (updates: Uint8Array[]): Uint8Array => (updates.length === 1 ? updates[0] : Y.mergeUpdates(updates));

/**
 * An update on its way to storage, with when it arrived (for the persistence-lag metric) and, for
 * a client's update, its deletions as the update check decoded them (for the saved acknowledgement).
 */
type QueuedUpdate = PendingUpdate & { receivedAt: number; deletes?: DeleteSet };

/** A client update accepted while a broadcast waits for its write budget, not yet applied. */
type WaitingUpdate = { update: Uint8Array; connection: CollabConnection; facts: UpdateFacts; receivedAt: number };

/**
 * One open memo: its Y.Doc, who is connected, and the queue of updates on their way to storage.
 * Updates are applied and broadcast at once (or, when the memo is over its write budget, together
 * at its next broadcast); storage follows in batches (at most `batchMs` behind), and each committed
 * batch is acknowledged to the connections that contributed to it.
 */
export class MemoRoom implements PresenceClaims {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly connections = new Map<CollabConnection, Set<number>>();
  private queue: QueuedUpdate[] = [];
  private contributors = new Set<CollabConnection>();
  /** Connections that replayed offline edits the server already had: they need a full snapshot. */
  private fullAckWanted = new Set<CollabConnection>();
  /** Bytes of state read at load plus every update since: what the document limit measures. */
  approximateBytes: number;
  /**
   * The whole document as one update, kept from the load (or the last time a new client asked for
   * everything) until the next change: every client opening the memo fresh gets these bytes
   * instead of another encoding of the document, which for a large memo is most of its load time.
   */
  private fullState: Uint8Array | undefined;
  /** What the update check read from the client update being applied (see applyClientUpdate). */
  private incoming: UpdateFacts | undefined;
  /** Client updates that arrived while a broadcast waits, applied together when it goes out. */
  private waiting: WaitingUpdate[] = [];
  /** The clock each client reaches with the waiting updates (later updates may build on them). */
  private readonly waitingClocks = new Map<number, number>();
  /** Yjs client ids whose user this room has queued for storage already (MemoClientUser). */
  private readonly recordedAuthors = new Set<number>();
  /** Bytes received and not yet stored (queued or being written). */
  unstoredBytes = 0;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** The next retry of a failed store: until it fires, new edits do not bring the write forward. */
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Stores failed in a row (logged when it becomes 1 and when it returns to 0). */
  private storeFailuresInRow = 0;
  private compactTimer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> | undefined;
  /** Updates applied and presence changed in this event-loop turn, broadcast together once it ends. */
  private outgoing: { update: Uint8Array; from: CollabConnection | undefined; publish: boolean }[] = [];
  /**
   * Clients whose presence goes out at the end of the turn, each with the connection that need not
   * hear it (the one that sent a change of its own), or undefined when everyone must.
   */
  private outgoingPresence = new Map<number, CollabConnection | undefined>();
  /** Decides which presence updates are worth relaying (changes at once, renewals now and then). */
  private readonly presenceRelay: PresenceRelay;
  /** The clients of outgoingPresence whose change happened here, to relay to other instances. */
  private outgoingPresencePublish = new Set<number>();
  private outgoingImmediate: ReturnType<typeof setImmediate> | undefined;
  private outgoingTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly writeBudget = new WriteBudget(BROADCAST_WRITES_PER_SECOND, BROADCAST_WRITES_BURST);
  private rowsSinceCompaction: number;
  /** Compactions failed in a row: while above 0, the backoff alone decides when the next one runs. */
  private compactFailures = 0;
  private compacting = false;
  /** After destroy(): a last compaction may still run, but schedules nothing. */
  private destroyed = false;
  private retryMs = RETRY_MIN_MS;
  private deleted = false;
  private failing = false;
  /** Other instances serving this memo (set when Redis is configured). */
  peers: RoomPeers | undefined;
  /** Finds acknowledged edits a restore hid, and has them kept in a version first. */
  private readonly restores: RestoreWatch;

  constructor(
    readonly memoId: string,
    readonly doc: Y.Doc,
    private readonly storage: RoomStorage,
    private readonly timing: RoomTiming,
    private readonly log: Logger,
    loaded: LoadFacts,
    private readonly onMemoDeleted: (room: MemoRoom) => void,
    private readonly metrics?: CollabMetrics,
  ) {
    this.rowsSinceCompaction = loaded.logRows;
    // What was read, not a fresh encoding: encoding a 500 KB memo again took ~50 ms of its load.
    this.approximateBytes = loaded.storedBytes;
    this.fullState = loaded.fullState;
    this.presenceRelay = new PresenceRelay(timing.presenceRenewalMs);
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    doc.on("update", this.onDocUpdate);
    this.awareness.on("update", this.onAwarenessUpdate);
    this.restores = new RestoreWatch(memoId, doc, storage.restores, loaded.lastRestore ?? null, (update) => this.applyExternalUpdate(update), log);
    if (loaded.logRows >= timing.compactAfterRows) this.scheduleCompaction(0);
  }

  /** True while the last attempt to store failed; the room then stays in memory. */
  get storageFailing(): boolean {
    return this.failing;
  }

  /** Tells every client when storage starts or stops failing, so the UI can say so. */
  private setStorageFailing(failing: boolean): void {
    if (this.failing === failing) return;
    this.failing = failing;
    this.broadcast(this.storageStatusMessage());
  }

  private storageStatusMessage(): Uint8Array {
    return new Uint8Array([MessageType.StorageStatus, this.failing ? 1 : 0]);
  }

  /** Number of open connections. */
  get size(): number {
    return this.connections.size;
  }

  /** True when every update received has been stored. */
  get isPersisted(): boolean {
    return this.queue.length === 0 && this.waiting.length === 0 && this.flushing === undefined;
  }

  /** Clocks as the update check must see them: the document's, advanced by the waiting updates. */
  readonly clocks: ClockLookup = (client) => this.waitingClocks.get(client) ?? Y.getState(this.doc.store, client);

  /** An item of a waiting update, with where it lands (an update checked now may build on it). */
  waitingItem(id: Y.ID): PlacedItem | undefined {
    for (const entry of this.waiting) {
      const found = entry.facts.placed.find(id);
      if (found) return found;
    }
    return undefined;
  }

  /** Adds a connection and starts the sync handshake: our state vector and everyone's presence. */
  join(connection: CollabConnection): void {
    this.connections.set(connection, new Set());
    connection.send(this.accessMessage(connection.role));
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
    if (this.failing) connection.send(this.storageStatusMessage());
  }

  /** Removes a connection and the presence of the clients it controlled. */
  leave(connection: CollabConnection): void {
    const clients = this.connections.get(connection);
    if (!clients) return;
    this.connections.delete(connection);
    this.contributors.delete(connection);
    this.fullAckWanted.delete(connection);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...clients], null);
  }

  claimedBy(clientId: number): CollabConnection | undefined {
    for (const [connection, clients] of this.connections) if (clients.has(clientId)) return connection;
    return undefined;
  }

  currentClock(clientId: number): number {
    return this.awareness.meta.get(clientId)?.clock ?? -1;
  }

  claim(connection: CollabConnection, clientId: number): "ok" | "too many" {
    const mine = this.connections.get(connection);
    if (!mine || mine.size >= MAX_CLIENT_IDS_PER_CONNECTION) return "too many";
    mine.add(clientId);
    return "ok";
  }

  /** The user ids connected to this memo. */
  connectedUserIds(): Set<string> {
    return new Set([...this.connections.keys()].map((connection) => connection.user.id));
  }

  /**
   * Applies current roles to open connections: a removed member is disconnected with a reason, a
   * changed role takes effect at once (a demoted editor's next update is dropped) and the client
   * is told, so its editor turns read-only.
   */
  applyRoles(roles: Map<string, MemoRole>): void {
    for (const connection of [...this.connections.keys()]) {
      const role = roles.get(connection.user.id);
      if (!role) {
        connection.close(CloseCode.Forbidden, "You no longer have access to this memo.");
      } else if (role !== connection.role) {
        connection.role = role;
        connection.send(this.accessMessage(role));
      }
    }
  }

  private accessMessage(role: MemoRole): Uint8Array {
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, MessageType.Access);
    encoding.writeVarString(message, role);
    return encoding.toUint8Array(message);
  }

  /**
   * After a client replayed its state (sync step 2), it must learn that everything it holds is
   * stored, including deletions made in an earlier session that a batch acknowledgement would not
   * cover: send a full snapshot now if nothing is pending, else with the next batch.
   */
  acknowledgeReplay(connection: CollabConnection): void {
    if (this.isPersisted) {
      const snapshot = Y.snapshot(this.doc);
      connection.send(this.savedMessage(Y.encodeSnapshot(snapshot)));
    } else {
      this.fullAckWanted.add(connection);
    }
  }

  /** Sends a message to every connection except `except`; returns how many it was sent to. */
  broadcast(message: Uint8Array, except?: CollabConnection): number {
    let sent = 0;
    for (const connection of this.connections.keys()) {
      if (connection === except) continue;
      connection.send(message);
      sent++;
    }
    return sent;
  }

  /** Closes every connection with the given code. */
  closeAll(code: number, reason: string): void {
    for (const connection of [...this.connections.keys()]) connection.close(code, reason);
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
    if (mayWait && this.scheduleBroadcast()) {
      this.waiting.push({ update, connection, facts, receivedAt: performance.now() });
      for (const [client, clock] of facts.clocks) {
        if (clock > (this.waitingClocks.get(client) ?? 0)) this.waitingClocks.set(client, clock);
      }
      this.approximateBytes += update.byteLength;
      this.unstoredBytes += update.byteLength;
      return;
    }
    // Keep the order in which updates were accepted.
    this.applyWaiting();
    this.incoming = facts;
    try {
      this.restores.applyingClientUpdate(() => facts.deletes, () => Y.applyUpdate(this.doc, update, connection));
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
    if (this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    this.waitingClocks.clear();
    let applied = waiting;
    try {
      const merged = mergedUpdate(waiting.map((entry) => entry.update));
      const deletes = () => Y.mergeDeleteSets(waiting.map((entry) => entry.facts.deletes));
      this.restores.applyingClientUpdate(deletes, () => Y.applyUpdate(this.doc, merged, WAITED));
      const sender = waiting.every((entry) => entry.connection === waiting[0].connection) ? waiting[0].connection : undefined;
      this.outgoing.push({ update: merged, from: sender, publish: true });
    } catch (error) {
      this.log.error({ err: error, memoId: this.memoId, updates: waiting.length }, "applying waiting updates together failed");
      applied = [];
      for (const entry of waiting) {
        try {
          this.restores.applyingClientUpdate(() => entry.facts.deletes, () => Y.applyUpdate(this.doc, entry.update, WAITED));
          this.outgoing.push({ update: entry.update, from: entry.connection, publish: true });
          applied.push(entry);
        } catch {
          this.unstoredBytes -= entry.update.byteLength;
          entry.connection.close(CloseCode.InvalidPayload, "malformed update");
        }
      }
    }
    for (const { update, connection, facts, receivedAt } of applied) {
      this.metrics?.updates.inc();
      if (!this.deleted) this.queueForStorage(update, connection, facts, receivedAt);
    }
    if (this.deleted) this.unstoredBytes = 0;
    else this.scheduleFlush(this.timing.batchMs);
  }

  /**
   * Queues an applied update for the next batch: with its sender's user, the authors and deletions
   * the update check read (none for updates from elsewhere), and its sender as a contributor to
   * acknowledge once the batch is stored.
   */
  private queueForStorage(data: Uint8Array, from: CollabConnection | undefined, facts: UpdateFacts | undefined, receivedAt: number): void {
    const authors = facts ? this.newAuthors(facts.authors) : undefined;
    this.queue.push({ data, userId: from?.user.id ?? null, receivedAt, authors, deletes: facts?.deletes });
    if (from) this.contributors.add(from);
  }

  /** The authors among `authors` whose user this room has not queued for storage yet. */
  private newAuthors(authors: number[]): number[] {
    const fresh = authors.filter((client) => !this.recordedAuthors.has(client));
    for (const client of fresh) this.recordedAuthors.add(client);
    return fresh;
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    this.fullState = undefined;
    // applyWaiting queues, counts and broadcasts those itself, update by update.
    if (origin === WAITED) return;
    const local = origin !== STORED && origin !== REMOTE;
    const from = local ? (origin as CollabConnection | undefined) : undefined;
    this.outgoing.push({ update, from, publish: local });
    this.scheduleBroadcast();
    this.metrics?.updates.inc();
    this.approximateBytes += update.byteLength;
    if (this.deleted || origin === STORED) return;
    this.queueForStorage(update, from, from ? this.incoming : undefined, performance.now());
    this.unstoredBytes += update.byteLength;
    this.scheduleFlush(this.timing.batchMs);
  };

  /**
   * Changes are not sent one by one: socket writes (one per change per connection) dominate the
   * server's CPU when many people type, and queued they make its latency. What arrives in one
   * event-loop turn goes out together right after the turn's I/O (setImmediate: no added delay).
   * A memo that would exceed its budget of socket writes (WriteBudget) waits until the budget
   * allows the next broadcast, merging whatever arrives meanwhile: at 50 editors one message at
   * most every 15 ms instead of one per keystroke to each of 49 sockets. A memo within its budget
   * (ten people typing is a seventh of it) never waits. Returns whether the next broadcast waits.
   */
  private scheduleBroadcast(): boolean {
    if (!this.outgoingImmediate && !this.outgoingTimer) {
      const wait = this.writeBudget.waitFor(this.connections.size);
      if (wait > 0) this.outgoingTimer = setTimeout(this.broadcastOutgoing, wait);
      else this.outgoingImmediate = setImmediate(this.broadcastOutgoing);
    }
    return this.outgoingTimer !== undefined;
  }

  /**
   * Sends what changed since the last broadcast: the document updates merged into one, then the
   * latest presence of the clients whose presence changed (after the text, so a cursor never arrives
   * before what it points at). Senders get the merge too unless only one connection sent: applying
   * an update a client already has is a no-op. Updates relayed from other instances (REMOTE) or
   * already stored (STORED) merge into the same message; what changed here is also published to
   * the other instances, merged the same way (one Redis message per turn, not per keystroke).
   */
  private readonly broadcastOutgoing = () => {
    this.outgoingImmediate = undefined;
    this.outgoingTimer = undefined;
    this.applyWaiting();
    const outgoing = this.outgoing;
    this.outgoing = [];
    if (outgoing.length > 0) {
      const update = mergedUpdate(outgoing.map((entry) => entry.update));
      const onlySender = outgoing.every((entry) => entry.from === outgoing[0].from) ? outgoing[0].from : undefined;
      const message = encoding.createEncoder();
      encoding.writeVarUint(message, MessageType.Sync);
      syncProtocol.writeUpdate(message, update);
      this.writeBudget.spend(this.broadcast(encoding.toUint8Array(message), onlySender));
      if (this.peers) {
        const local = outgoing.filter((entry) => entry.publish);
        if (local.length > 0) this.peers.publishUpdate(local.length === outgoing.length ? update : mergedUpdate(local.map((entry) => entry.update)));
      }
    }
    if (this.outgoingPresence.size > 0) {
      const changed = [...this.outgoingPresence.keys()];
      const except = this.presenceEchoSkipped();
      const publish = [...this.outgoingPresencePublish];
      this.outgoingPresence.clear();
      this.outgoingPresencePublish.clear();
      const presence = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      const message = encoding.createEncoder();
      encoding.writeVarUint(message, MessageType.Awareness);
      encoding.writeVarUint8Array(message, presence);
      this.writeBudget.spend(this.broadcast(encoding.toUint8Array(message), except));
      if (this.peers && publish.length > 0) {
        this.peers.publishAwareness(publish.length === changed.length ? presence : awarenessProtocol.encodeAwarenessUpdate(this.awareness, publish));
      }
    }
  };

  /**
   * The connection the turn's presence message need not go back to: when every presence in it is
   * a change sent by that one connection, which knows it already, unless the connection has
   * received nothing for a renewal interval (see presenceRelay.ts: the echo keeps it alive).
   */
  private presenceEchoSkipped(): CollabConnection | undefined {
    const [first, ...rest] = this.outgoingPresence.values();
    if (!first || rest.some((connection) => connection !== first)) return undefined;
    return performance.now() - first.lastSentAt < this.presenceRelay.renewalMs ? first : undefined;
  }

  /**
   * Sends what waits for the end of the turn now. Called before this instance tells the others its
   * state vector ("hello"): Redis keeps one publisher's messages in order, so a state vector must
   * not overtake the updates it covers, or every hello during continuous typing would look like a
   * loss to the other side, which would answer with a hello of its own, and so on.
   */
  flushOutgoing(): void {
    if (this.outgoing.length === 0 && this.waiting.length === 0 && this.outgoingPresence.size === 0) return;
    if (this.outgoingImmediate) clearImmediate(this.outgoingImmediate);
    if (this.outgoingTimer) clearTimeout(this.outgoingTimer);
    this.broadcastOutgoing();
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    const now = performance.now();
    const states = this.awareness.getStates();
    let relay = false;
    for (const clientId of [...added, ...updated, ...removed]) {
      const kind = this.presenceRelay.relayKind(clientId, states.get(clientId) ?? null, now);
      if (!kind) continue;
      relay = true;
      // A connection's own change need not go back to it; a renewal must (and anything twice in a turn).
      const skip = kind === "change" && origin instanceof CollabConnection ? origin : undefined;
      const queued = this.outgoingPresence.has(clientId);
      this.outgoingPresence.set(clientId, queued && this.outgoingPresence.get(clientId) !== skip ? undefined : skip);
      if (origin !== REMOTE) this.outgoingPresencePublish.add(clientId);
    }
    if (relay) this.scheduleBroadcast();
  };

  private scheduleFlush(delayMs: number): void {
    if (this.flushTimer || this.flushing || this.retryTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, delayMs);
  }

  /** Writes everything queued now; resolves when the queue was empty at some point after the call. */
  async flush(): Promise<void> {
    this.applyWaiting();
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
    if (this.queue.length > 0 && !this.failing) await this.flush();
  }

  private async writeBatch(): Promise<void> {
    const batch = this.queue;
    const contributors = this.contributors;
    const fullAckWanted = this.fullAckWanted;
    this.queue = [];
    this.contributors = new Set();
    this.fullAckWanted = new Set();
    // Everything applied to the doc so far is either stored already or in this batch.
    const stateVector = Y.encodeStateVector(this.doc);
    const fullSnapshot = fullAckWanted.size > 0 ? Y.encodeSnapshot(Y.snapshot(this.doc)) : null;
    // A database that hangs (paused, or a network that drops packets) never answers: after a few
    // seconds the clients are told storage is failing, as they are when it errs.
    const slow = setTimeout(() => {
      if (this.failing) return;
      this.log.warn({ memoId: this.memoId, updates: batch.length, waitedMs: this.timing.slowStoreMs ?? SLOW_STORE_MS }, "storing updates is taking long; clients told storage is failing");
      this.setStorageFailing(true);
    }, this.timing.slowStoreMs ?? SLOW_STORE_MS);
    slow.unref();
    try {
      const exists = await this.storage.store(this.memoId, batch);
      if (!exists) {
        this.markDeleted();
        return;
      }
      // No acknowledgement for edits a restore hid until a version shows them (restoreWatch.ts).
      await this.restores.beforeAcknowledging(exists, stateVector);
      const committedAt = performance.now();
      for (const update of batch) {
        this.unstoredBytes -= update.data.byteLength;
        this.metrics?.persistenceLag.observe((committedAt - update.receivedAt) / 1000);
      }
      if (this.storeFailuresInRow > 0 || this.failing) {
        this.log.info({ memoId: this.memoId, failures: this.storeFailuresInRow }, "storing updates works again");
      }
      this.storeFailuresInRow = 0;
      this.setStorageFailing(false);
      this.retryMs = RETRY_MIN_MS;
      this.rowsSinceCompaction += 1;
      const deletes = batch.map((update) => update.deletes ?? deletesOf([update.data]));
      const ack = this.saveAckMessage(stateVector, Y.mergeDeleteSets(deletes));
      for (const connection of contributors) {
        if (this.connections.has(connection) && !fullAckWanted.has(connection)) connection.send(ack);
      }
      if (fullSnapshot) {
        const full = this.savedMessage(fullSnapshot);
        for (const connection of fullAckWanted) if (this.connections.has(connection)) connection.send(full);
      }
      this.scheduleCompaction(this.rowsSinceCompaction >= this.timing.compactAfterRows ? 0 : this.timing.compactIdleMs);
    } catch (error) {
      // Keep the batch, in order, ahead of anything that arrived meanwhile, and try again later.
      this.queue = [...batch, ...this.queue];
      for (const connection of contributors) this.contributors.add(connection);
      for (const connection of fullAckWanted) this.fullAckWanted.add(connection);
      this.setStorageFailing(true);
      this.metrics?.storeFailures.inc();
      this.storeFailuresInRow += 1;
      // Once per outage with the error, then one short line per retry at debug level.
      if (this.storeFailuresInRow === 1) {
        this.log.error({ err: error, memoId: this.memoId, updates: batch.length, retryMs: this.retryMs }, "storing updates failed; retrying with backoff, logged again once it works");
      } else {
        this.log.debug({ memoId: this.memoId, failures: this.storeFailuresInRow, retryMs: this.retryMs, error: String(error) }, "storing updates failed again");
      }
      const retryIn = this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.scheduleFlush(0);
      }, retryIn);
      this.retryTimer.unref();
    } finally {
      clearTimeout(slow);
    }
  }

  private saveAckMessage(stateVector: Uint8Array, batchDeletes: DeleteSet | null): Uint8Array {
    return this.savedMessage(encodeSaveAck(stateVector, batchDeletes));
  }

  private savedMessage(encodedSnapshot: Uint8Array): Uint8Array {
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, MessageType.Saved);
    encoding.writeVarUint8Array(message, encodedSnapshot);
    return encoding.toUint8Array(message);
  }

  private scheduleCompaction(delayMs: number): void {
    // A memo whose compaction fails (content the database refuses, say) would otherwise retry a full
    // compaction after every batch once past compactAfterRows.
    if (this.destroyed || (this.compactFailures > 0 && (this.compacting || this.compactTimer))) return;
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.compactTimer = setTimeout(() => {
      this.compactTimer = undefined;
      void this.compact();
    }, delayMs);
    this.compactTimer.unref();
  }

  /**
   * Folds the stored log into a snapshot (in the background). A failure is retried with
   * exponential backoff, and logged when compaction starts failing and when it recovers, not at
   * every attempt.
   */
  async compact(): Promise<void> {
    if (this.deleted || this.rowsSinceCompaction === 0) return;
    const rowsBefore = this.rowsSinceCompaction;
    this.compacting = true;
    try {
      await this.storage.compact(this.memoId);
    } catch (error) {
      this.compacting = false;
      this.compactionFailed(error);
      return;
    }
    this.compacting = false;
    this.rowsSinceCompaction = Math.max(0, this.rowsSinceCompaction - rowsBefore);
    if (this.compactFailures === 0) return;
    this.log.info({ memoId: this.memoId, failures: this.compactFailures }, "compaction succeeded again");
    this.compactFailures = 0;
    // Batches stored during the backoff scheduled nothing.
    if (this.rowsSinceCompaction > 0) {
      this.scheduleCompaction(this.rowsSinceCompaction >= this.timing.compactAfterRows ? 0 : this.timing.compactIdleMs);
    }
  }

  private compactionFailed(error: unknown): void {
    this.compactFailures += 1;
    this.metrics?.compactionFailures.inc();
    const retryMs = Math.min(this.timing.compactIdleMs * 2 ** (this.compactFailures - 1), COMPACT_RETRY_MAX_MS);
    if (this.compactFailures === 1) {
      this.log.warn({ err: error, memoId: this.memoId, retryMs }, "compaction failed; retrying with backoff, logged again once it succeeds");
    } else {
      this.log.debug({ memoId: this.memoId, failures: this.compactFailures, retryMs, error: String(error) }, "compaction failed again");
    }
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.compactTimer = undefined;
    this.scheduleCompaction(retryMs);
  }

  private markDeleted(): void {
    this.deleted = true;
    this.queue = [];
    this.waiting = [];
    this.waitingClocks.clear();
    this.unstoredBytes = 0;
    this.onMemoDeleted(this);
  }

  /** Stops timers and listeners; the caller flushes first. */
  destroy(): void {
    // Send what is still waiting for the end of the turn now: the last connections' departures
    // must still reach the other instances, as they did when every change was sent at once.
    if (this.outgoingImmediate) clearImmediate(this.outgoingImmediate);
    if (this.outgoingTimer) clearTimeout(this.outgoingTimer);
    this.flushOutgoing();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.destroyed = true;
    this.doc.off("update", this.onDocUpdate);
    this.restores.destroy();
    this.awareness.off("update", this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
