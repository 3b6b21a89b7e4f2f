import { createHash } from "node:crypto";
import * as Y from "yjs";
import { exitWithParent } from "../childProcesses";
import { now } from "../clock";
import { serveRpc } from "../rpc";
import { seededRandom } from "../stats";
import { BenchClient, type ClientTarget } from "./benchClient";

// A client worker: a child process hosting a group of benchmark clients, so that at N = 50 the
// clients' own work is spread over processes and measured apart from the servers'. The parent
// drives it over IPC (see ClientWorkerApi).

/** What one client recorded during a run, for the parent to join across workers. */
export type ClientRecord = {
  clientId: number;
  sends: number[];
  arrivals: Map<number, number[]>;
  acks: number[];
  saved: boolean;
  disconnects: number;
};

let clients: BenchClient[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const hash = (text: string) => createHash("sha1").update(text).digest("hex");

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms).unref(),
    ),
  ]);
}

/** Opens clients, at most `concurrency` joining at a time; resolves with each join time (ms). */
async function open(params: {
  targets: ClientTarget[];
  concurrency: number;
  recordArrivals?: boolean;
}): Promise<number[]> {
  const joinMs: number[] = new Array(params.targets.length);
  let next = 0;
  const lane = async () => {
    while (next < params.targets.length) {
      const index = next++;
      const client = new BenchClient(params.targets[index]);
      client.recordArrivals = params.recordArrivals ?? false;
      clients.push(client);
      joinMs[index] = await withTimeout(client.joined, 60_000, `client ${index} to join`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, params.concurrency) }, lane));
  return joinMs;
}

/** Types into every client at `rateHz` letters a second from `startAt` until `endAt` (monotonic ms). */
async function type(params: {
  startAt: number;
  endAt: number;
  rateHz: number;
  seed: number;
}): Promise<{ sent: number }> {
  const random = seededRandom(params.seed);
  const period = 1000 / params.rateHz;
  let sent = 0;
  await Promise.all(
    clients.map(async (client) => {
      // A random phase per client, so the group does not type in lockstep.
      let at = params.startAt + random() * period;
      while (at < params.endAt) {
        await sleep(at - now());
        client.typeOne(random);
        sent++;
        at += period;
      }
    }),
  );
  return { sent };
}

/** Connects one client, runs `fill` on it, and waits until a second client sees all of it through the server. */
async function seedThroughServer(target: ClientTarget, fill: (client: BenchClient) => Promise<void>) {
  const writer = new BenchClient(target);
  try {
    await withTimeout(writer.joined, 60_000, "seeding client to join");
    await fill(writer);
    const stateVector = Y.decodeStateVector(Y.encodeStateVector(writer.doc));
    const reader = new BenchClient(target);
    try {
      await withTimeout(reader.joined, 60_000, "verifying client to join");
      await withTimeout(reader.whenHolds(stateVector), 120_000, "the server to hold the seeded memo");
      // Our server: also wait for the saved acknowledgement, so the memo is in PostgreSQL.
      if (target.protocol === "y-websocket" && target.savedAcks) {
        await withTimeout(
          (async () => {
            while (!writer.tracker.isSaved()) await sleep(20);
          })(),
          60_000,
          "the seeded memo to be saved",
        );
      }
    } finally {
      reader.destroy();
    }
    return { stateVector: [...stateVector], contentHash: hash(writer.digest().content) };
  } finally {
    writer.destroy();
  }
}

const api = {
  open,
  type,
  /** Adds the opening paragraph through the first client, unless the memo already has one. */
  addOpeningParagraph: () => {
    if (clients.length > 0 && !clients[0].hasText) clients[0].addOpeningParagraph();
  },
  /** How many clients already see a paragraph to type into. */
  readyCount: () => clients.filter((client) => client.hasText).length,
  /** Whether every client's edits were acknowledged as stored (our server). */
  allSaved: () => clients.every((client) => client.tracker.isSaved()),
  /** Per client: state vector and a hash of the content, to check convergence. */
  digests: () =>
    clients.map((client) => {
      const { stateVector, content } = client.digest();
      return { stateVector, contentHash: hash(content) };
    }),
  /** Everything the clients recorded. */
  collect: (): ClientRecord[] =>
    clients.map((client) => ({
      clientId: client.doc.clientID,
      sends: client.sends,
      arrivals: client.arrivals,
      acks: client.acks,
      saved: client.tracker.isSaved(),
      disconnects: client.disconnects,
    })),
  /** Has every `every`-th client type `text` at the start of the memo (one transaction each). */
  editEach: (params: { every: number; text: string }) => {
    clients.forEach((client, index) => {
      if (index % params.every !== 0) return;
      if (!client.hasText) client.addOpeningParagraph(params.text);
      else client.typeOne(() => 0);
    });
  },
  /** Destroys every client. */
  close: async () => {
    for (const client of clients) client.destroy();
    clients = [];
    await sleep(100);
  },
  /** This process's CPU time and memory. */
  stats: () => ({
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    rss: process.memoryUsage.rss(),
  }),
  /** Seeds a memo with `edits` single-letter edits at random positions, `perSecond` at most. */
  seedEdits: (params: { target: ClientTarget; edits: number; perSecond: number; seed: number }) =>
    seedThroughServer(params.target, async (client) => {
      if (!client.hasText) client.addOpeningParagraph();
      const random = seededRandom(params.seed);
      const chunk = Math.max(1, Math.round(params.perSecond / 20));
      const started = now();
      for (let done = 0; done < params.edits;) {
        for (let i = 0; i < chunk && done < params.edits; i++, done++) client.typeOne(random);
        await sleep(started + (done / params.perSecond) * 1000 - now());
      }
    }),
  /** Seeds a memo by sending one (large) update. */
  seedUpdate: (params: { target: ClientTarget; update: Uint8Array }) =>
    seedThroughServer(params.target, async (client) => {
      Y.applyUpdate(client.doc, params.update);
    }),
  /** Opens a fresh client and times how long until it holds the whole memo. */
  loadTimed: async (params: {
    target: ClientTarget;
    stateVector: [number, number][];
    contentHash: string;
    timeoutMs?: number;
  }) => {
    const started = now();
    const client = new BenchClient(params.target);
    try {
      await withTimeout(
        client.whenHolds(new Map(params.stateVector)),
        params.timeoutMs ?? 60_000,
        "the memo to load",
      ).catch((error: Error) => {
        const held = [...Y.decodeStateVector(Y.encodeStateVector(client.doc))];
        throw new Error(
          `${error.message} (wanted ${JSON.stringify(params.stateVector)}, holds ${JSON.stringify(held)})`,
        );
      });
      const ms = now() - started;
      return { ms, complete: hash(client.digest().content) === params.contentHash };
    } finally {
      client.destroy();
    }
  },
};

/** The methods a client worker serves. */
export type ClientWorkerApi = typeof api;

serveRpc(api);
exitWithParent(async () => {
  for (const client of clients) client.destroy();
});
process.send?.({ ready: true });
