import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { CollabConnection } from "./collabConnection";
import { PresenceRelay } from "../../common/protocol/presenceRelay";
import type { RoomPeers } from "./redisBridge";
import { writeAwareness, writeSyncUpdate } from "../../common/protocol/protocol";
import { REMOTE } from "./updateOrigins";
import { TokenBucket } from "./tokenBucket";

// What a memo sends in one event-loop turn. Changes are not sent one by one: socket writes (one
// per change per connection) dominate the server's CPU when many people type, and queued they
// make its latency. What arrives in one turn goes out together right after the turn's I/O
// (setImmediate: no added delay): the document updates merged into one message, then the latest
// presence of the clients whose presence changed (after the text, so a cursor never arrives before
// what it points at). A memo that would exceed its budget of socket writes (a TokenBucket) waits
// until the budget allows the next broadcast, merging whatever arrives meanwhile: at 50 editors
// one message at most every 15 ms instead of one per keystroke to each of 49 sockets. A memo within
// its budget (ten people typing is a seventh of it) never waits.
// What changed here also goes to the other instances (Redis), merged the same way: one message per
// turn, not per keystroke. Nothing here stores anything (storageQueue.ts does), as Hocuspocus's
// Document keeps broadcast with the document and leaves storage to its extensions.

/**
 * Socket writes a memo may make per second when it broadcasts, and how many it may save up while
 * quiet (50 ms worth). 3,300 is one write per connection every 0.3 ms: at 50 editors a merged
 * message at most every 15 ms.
 */
const BROADCAST_WRITES_PER_SECOND = 3_300;
const BROADCAST_WRITES_BURST = BROADCAST_WRITES_PER_SECOND * 0.05;

/** One update for several (mergeUpdates of a single update would copy it for nothing). */
export const mergedUpdate = (updates: Uint8Array[]): Uint8Array =>
  updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);

/** Who a turn goes out to. */
export type TurnAudience = {
  readonly size: number;
  /** Sends to everyone but `except`; returns how many it was sent to (the writes spent). */
  broadcast(message: Uint8Array, except?: CollabConnection): number;
};

export type OutgoingTurnOptions = {
  audience: TurnAudience;
  /** The room's presence; the turn listens to it and relays what is worth relaying. */
  awareness: awarenessProtocol.Awareness;
  /** Other instances serving the memo (when Redis is configured). */
  peers?: RoomPeers;
  /** At most this long between relays of a client's unchanged presence (PresenceRelay's default). */
  presenceRenewalMs?: number;
  /** Runs first whenever the turn goes out (the room applies the updates that waited for it). */
  beforeSending: () => void;
};

/** The document updates and presence one memo sends at the end of the current turn. */
export class OutgoingTurn {
  private updates: { update: Uint8Array; from: CollabConnection | undefined; publish: boolean }[] = [];
  /**
   * Clients whose presence goes out, each with the connection that need not hear it (the one that
   * sent a change of its own), or undefined when everyone must.
   */
  private readonly presence = new Map<number, CollabConnection | undefined>();
  /** The clients of `presence` whose change happened here, to relay to other instances. */
  private readonly presencePublish = new Set<number>();
  /** Decides which presence updates are worth relaying (changes at once, renewals now and then). */
  private readonly relay: PresenceRelay;
  private readonly budget = new TokenBucket(BROADCAST_WRITES_PER_SECOND, BROADCAST_WRITES_BURST);
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly audience: TurnAudience;
  private readonly awareness: awarenessProtocol.Awareness;
  private readonly peers: RoomPeers | undefined;
  private readonly beforeSending: () => void;

  constructor(options: OutgoingTurnOptions) {
    this.audience = options.audience;
    this.awareness = options.awareness;
    this.peers = options.peers;
    this.beforeSending = options.beforeSending;
    this.relay = new PresenceRelay(options.presenceRenewalMs);
    this.awareness.on("update", this.onPresence);
  }

  /** True when nothing waits to go out. */
  get isEmpty(): boolean {
    return this.updates.length === 0 && this.presence.size === 0;
  }

  /**
   * Adds an applied document update, sent by `from` (which then need not hear it back, when it is
   * the turn's only sender: applying an update a client has is a no-op, but costs a write);
   * `publish` when other instances need it. Schedules nothing: see schedule().
   */
  addUpdate(update: Uint8Array, from: CollabConnection | undefined, publish: boolean): void {
    this.updates.push({ update, from, publish });
  }

  /** Makes sure the turn goes out; returns whether it waits for the write budget. */
  schedule(): boolean {
    if (!this.immediate && !this.timer) {
      const wait = this.budget.waitFor(this.audience.size);
      if (wait > 0) this.timer = setTimeout(this.send, wait);
      else this.immediate = setImmediate(this.send);
    }
    return this.timer !== undefined;
  }

  /** Sends the turn now, whether or not it was scheduled. */
  sendNow(): void {
    this.cancel();
    this.send();
  }

  /** Stops listening and cancels a scheduled send (the room sends what it must first). */
  stop(): void {
    this.cancel();
    this.awareness.off("update", this.onPresence);
  }

  private cancel(): void {
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = undefined;
    this.timer = undefined;
  }

  private readonly send = () => {
    this.immediate = undefined;
    this.timer = undefined;
    this.beforeSending();
    const updates = this.updates;
    this.updates = [];
    if (updates.length > 0) {
      const update = mergedUpdate(updates.map((entry) => entry.update));
      const onlySender = updates.every((entry) => entry.from === updates[0].from) ? updates[0].from : undefined;
      this.budget.spend(this.audience.broadcast(writeSyncUpdate(update), onlySender));
      if (this.peers) {
        const local = updates.filter((entry) => entry.publish);
        if (local.length > 0)
          this.peers.publishUpdate(
            local.length === updates.length ? update : mergedUpdate(local.map((entry) => entry.update)),
          );
      }
    }
    if (this.presence.size > 0) {
      const changed = [...this.presence.keys()];
      const except = this.presenceEchoSkipped();
      const publish = [...this.presencePublish];
      this.presence.clear();
      this.presencePublish.clear();
      const presence = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      this.budget.spend(this.audience.broadcast(writeAwareness(presence), except));
      if (this.peers && publish.length > 0) {
        this.peers.publishAwareness(
          publish.length === changed.length
            ? presence
            : awarenessProtocol.encodeAwarenessUpdate(this.awareness, publish),
        );
      }
    }
  };

  /**
   * The connection the turn's presence message need not go back to: when every presence in it is
   * a change sent by that one connection, which knows it already, unless the connection has
   * received nothing for a renewal interval (see presenceRelay.ts: the echo keeps it alive).
   */
  private presenceEchoSkipped(): CollabConnection | undefined {
    const [first, ...rest] = this.presence.values();
    if (!first || rest.some((connection) => connection !== first)) return undefined;
    return performance.now() - first.lastSentAt < this.relay.renewalMs ? first : undefined;
  }

  private readonly onPresence = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    const now = performance.now();
    const states = this.awareness.getStates();
    let relay = false;
    for (const clientId of [...added, ...updated, ...removed]) {
      const kind = this.relay.relayKind(clientId, states.get(clientId) ?? null, now);
      if (!kind) continue;
      relay = true;
      // A connection's own change need not go back to it; a renewal must (and anything twice in a turn).
      const skip = kind === "change" && origin instanceof CollabConnection ? origin : undefined;
      const queued = this.presence.has(clientId);
      this.presence.set(clientId, queued && this.presence.get(clientId) !== skip ? undefined : skip);
      if (origin !== REMOTE) this.presencePublish.add(clientId);
    }
    if (relay) this.schedule();
  };
}
