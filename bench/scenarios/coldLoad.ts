import type { ClientWorker } from "../clientWorkers";
import type { ServerHandle, ServerId } from "../serverKinds";

// Scenario d: a large memo loaded from storage by a fresh client, the memo not in the server's
// memory (the server was restarted). Two memos: one built from many single-letter edits at random
// positions (many small structs), one holding a large imported text. Each server stores them its own
// way: they are written through the server by a client, and the server is then stopped gracefully.

export type StoredMemo = { document: string; stateVector: [number, number][]; contentHash: string };
export type ColdLoadMemos = { edits: StoredMemo; largeText: StoredMemo };

export type ColdLoadRun = {
  server: ServerId;
  rep: number;
  editsMs: number;
  largeTextMs: number;
  /** Whether the loaded memos were exactly what was written. */
  complete: boolean;
};

/** Writes both memos through a running server, waits until it stored and unloaded them, stops it. */
export async function seedColdLoadMemos(
  start: () => Promise<ServerHandle>,
  worker: ClientWorker,
  options: { edits: number; editsPerSecond: number; largeTextUpdate: Uint8Array; seed: number },
): Promise<ColdLoadMemos> {
  const server = await start();
  try {
    const editsDocument = await server.newDocument("cold-edits");
    const largeDocument = await server.newDocument("cold-large");
    const edits = await worker.rpc.call("seedEdits", {
      target: server.target(editsDocument),
      edits: options.edits,
      perSecond: options.editsPerSecond,
      seed: options.seed,
    });
    const largeText = await worker.rpc.call("seedUpdate", {
      target: server.target(largeDocument),
      update: options.largeTextUpdate,
    });
    if (!(await server.settle(60_000))) throw new Error(`${server.kind.id} did not unload the seeded memos`);
    return { edits: { document: editsDocument, ...edits }, largeText: { document: largeDocument, ...largeText } };
  } finally {
    await server.stop();
  }
}

async function timedLoad(server: ServerHandle, worker: ClientWorker, memo: StoredMemo) {
  return worker.rpc.call("loadTimed", {
    target: server.target(memo.document),
    stateVector: memo.stateVector,
    contentHash: memo.contentHash,
  });
}

/** Starts the server afresh, warms it up on a small memo, then times loading each large memo. */
export async function runColdLoad(
  start: () => Promise<ServerHandle>,
  worker: ClientWorker,
  memos: ColdLoadMemos,
  rep: number,
): Promise<ColdLoadRun> {
  const server = await start();
  try {
    // Connect once first, so the figure is the memo's load, not the process's first connection.
    const warmUp = await server.newDocument("cold-warm-up");
    await worker.rpc.call("open", { targets: [server.target(warmUp)], concurrency: 1 });
    await worker.rpc.call("close");
    const edits = await timedLoad(server, worker, memos.edits);
    const largeText = await timedLoad(server, worker, memos.largeText);
    return {
      server: server.kind.id,
      rep,
      editsMs: edits.ms,
      largeTextMs: largeText.ms,
      complete: edits.complete && largeText.complete,
    };
  } finally {
    await server.stop();
  }
}
