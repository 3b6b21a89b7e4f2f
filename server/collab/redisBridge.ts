import crypto from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "pino";

// Several collaboration-server instances serve the same memos through Redis pub/sub: each loaded
// memo has a channel; document updates and presence applied on one instance are published there
// and applied by the others. Pub/sub is fire-and-forget, so instances also exchange state
// vectors ("hello") when they load a memo and whenever Redis comes back, and answer with what the
// other lacks ("state"): a lost message is healed by the next exchange. PostgreSQL stays the
// durable store; Redis only carries traffic.

const enum Kind {
  Update = 1,
  Awareness = 2,
  Hello = 3,
  State = 4,
}

const ID_BYTES = 16;
const ANTI_ENTROPY_MS = 15_000;

/** What a room does with traffic from other instances. */
export type PeerHandlers = {
  update(memoId: string, update: Uint8Array): void;
  awareness(memoId: string, update: Uint8Array): void;
  /** Another instance sent its state vector: return what it lacks (or null). */
  stateFor(memoId: string, stateVector: Uint8Array): Uint8Array | null;
  /** This instance's state vector for a memo, to ask the others for what it lacks. */
  stateVector(memoId: string): Uint8Array | null;
  /** Whether another instance's state vector shows content this instance lacks. */
  lacksFrom(memoId: string, stateVector: Uint8Array): boolean;
};

/** The per-memo side of the bridge that a room publishes through. */
export type RoomPeers = {
  publishUpdate(update: Uint8Array): void;
  publishAwareness(update: Uint8Array): void;
};

export type RedisBridge = {
  /** Starts relaying a memo (on load) and asks the others for what this instance lacks. */
  join(memoId: string): RoomPeers;
  /** Stops relaying a memo (on unload). */
  leave(memoId: string): void;
  /** Whether Redis is reachable right now. */
  readonly connected: boolean;
  close(): Promise<void>;
};

const channelOf = (memoId: string) => `demarche:memo:${memoId}`;

/** Connects to Redis and relays the memos this instance has loaded. */
export function createRedisBridge(url: string, log: Logger, handlers: PeerHandlers): RedisBridge {
  const instanceId = crypto.randomBytes(ID_BYTES);
  // Publishing while Redis is down fails fast instead of queueing without bound; the state
  // exchange after reconnecting sends what was missed.
  const publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null });
  const memos = new Set<string>();
  let connected = false;

  const frame = (kind: Kind, ...parts: Uint8Array[]) => Buffer.concat([Buffer.from([kind]), instanceId, ...parts]);
  const publish = (memoId: string, message: Buffer) => {
    if (!connected) return;
    publisher
      .publish(channelOf(memoId), message)
      .catch((error: unknown) => log.debug({ err: error, memoId }, "redis publish failed"));
  };
  const hello = (memoId: string) => {
    const stateVector = handlers.stateVector(memoId);
    if (stateVector) publish(memoId, frame(Kind.Hello, stateVector));
  };

  // Connected means both connections are up: the exchange after a reconnect needs to publish.
  const onReady = () => {
    if (connected || publisher.status !== "ready" || subscriber.status !== "ready") return;
    connected = true;
    log.info({ memos: memos.size }, "redis connected; exchanging state for loaded memos");
    // Catch up on what was missed once our subscriptions are back (ioredis restores them too;
    // subscribing again is harmless and tells us when they are active).
    const channels = [...memos].map(channelOf);
    void (channels.length ? subscriber.subscribe(...channels) : Promise.resolve())
      .then(() => {
        for (const memoId of memos) hello(memoId);
      })
      .catch((error: unknown) => log.debug({ err: error }, "redis resubscribe failed"));
  };
  const onClose = () => {
    if (connected) log.warn("redis unreachable; serving this instance's clients alone until it returns");
    connected = false;
  };
  for (const client of [publisher, subscriber]) {
    client.on("error", (error) => log.debug({ err: error }, "redis connection error"));
    client.on("ready", onReady);
    client.on("close", onClose);
  }
  // Pub/sub drops messages on the floor when a subscriber is slow or a connection blips; a
  // periodic exchange of state vectors heals whatever was lost (answers only carry what is missing).
  const antiEntropy = setInterval(() => {
    for (const memoId of memos) hello(memoId);
  }, ANTI_ENTROPY_MS);
  antiEntropy.unref();
  subscriber.on("messageBuffer", (channel: Buffer, message: Buffer) => {
    const memoId = channel.toString().slice("demarche:memo:".length);
    if (!memos.has(memoId) || message.length < 1 + ID_BYTES) return;
    const from = message.subarray(1, 1 + ID_BYTES);
    if (from.equals(instanceId)) return;
    const payload = new Uint8Array(message.subarray(1 + ID_BYTES));
    try {
      switch (message[0] as Kind) {
        case Kind.Update:
          handlers.update(memoId, payload);
          break;
        case Kind.Awareness:
          handlers.awareness(memoId, payload);
          break;
        case Kind.Hello: {
          const missing = handlers.stateFor(memoId, payload);
          if (missing) publish(memoId, frame(Kind.State, from, missing));
          // The other side may know things we do not (it said hello before we were listening).
          if (handlers.lacksFrom(memoId, payload)) hello(memoId);
          break;
        }
        case Kind.State:
          if (Buffer.from(payload.subarray(0, ID_BYTES)).equals(instanceId))
            handlers.update(memoId, payload.subarray(ID_BYTES));
          break;
      }
    } catch (error) {
      log.warn({ err: error, memoId }, "ignoring a malformed message from another instance");
    }
  });

  return {
    join(memoId) {
      memos.add(memoId);
      void subscriber
        .subscribe(channelOf(memoId))
        .then(() => hello(memoId))
        .catch((error: unknown) =>
          log.debug({ err: error, memoId }, "redis subscribe failed; will retry on reconnect"),
        );
      return {
        publishUpdate: (update) => publish(memoId, frame(Kind.Update, update)),
        publishAwareness: (update) => publish(memoId, frame(Kind.Awareness, update)),
      };
    },
    leave(memoId) {
      memos.delete(memoId);
      void subscriber.unsubscribe(channelOf(memoId)).catch(() => undefined);
    },
    get connected() {
      return connected;
    },
    async close() {
      clearInterval(antiEntropy);
      memos.clear();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
