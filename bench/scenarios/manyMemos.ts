import { now } from "../clock";
import type { ClientWorker } from "../clientWorkers";
import type { ClientTarget } from "../clients/benchClient";
import type { ServerHandle, ServerId } from "../serverKinds";
import { summarizeLatencies, type LatencySummary } from "../stats";

// Scenario c: many open memos with two clients each, on a freshly started server. Join time of each
// client, the server's CPU for all the joins, and its resident memory per open memo: the growth of
// RSS (after a full GC, before and after) divided by the number of memos, once each memo has had an
// edit and the anchors' debounced stores have run.

export type ManyMemosRun = {
  server: ServerId;
  rep: number;
  memos: number;
  join: LatencySummary;
  /** From the first connection to the last client synced. */
  allJoinedMs: number;
  /** Server CPU for all the joins, per memo (two clients). */
  cpuPerMemoMs: number;
  rssPerMemoBytes: number;
  heapPerMemoBytes: number;
  baselineRssBytes: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function openPairs(workers: ClientWorker[], targets: ClientTarget[], concurrency: number): Promise<number[]> {
  // Each memo's two clients sit in different workers, as two analysts' browsers would.
  const joins = await Promise.all(
    [0, 1].map((side) => workers[side % workers.length].rpc.call("open", { targets, concurrency })),
  );
  return joins.flat();
}

export async function runManyMemos(
  server: ServerHandle,
  workers: ClientWorker[],
  documents: string[],
  options: { rep: number; concurrency: number },
): Promise<ManyMemosRun> {
  // Warm-up on other memos, so the baseline is taken from a server whose code paths are compiled.
  const warmups = await Promise.all(Array.from({ length: 10 }, () => server.newDocument("warm-up")));
  await openPairs(
    workers,
    warmups.map((document) => server.target(document)),
    options.concurrency,
  );
  await workers[0].rpc.call("editEach", { every: 1, text: "Warm-up." });
  await sleep(300);
  await Promise.all(workers.map((worker) => worker.rpc.call("close")));
  await server.settle();
  const baseline = await server.stats(true);

  const started = now();
  const joins = await openPairs(
    workers,
    documents.map((document) => server.target(document)),
    options.concurrency,
  );
  const allJoinedMs = now() - started;
  const joined = await server.stats();
  // One edit in each memo, then time for the anchors' debounced stores (Hocuspocus: 2 s).
  await workers[0].rpc.call("editEach", { every: 1, text: "First words." });
  await sleep(3_000);
  const loaded = await server.stats(true);
  await Promise.all(workers.map((worker) => worker.rpc.call("close")));

  return {
    server: server.kind.id,
    rep: options.rep,
    memos: documents.length,
    join: summarizeLatencies(joins),
    allJoinedMs,
    cpuPerMemoMs: (joined.cpuMs - baseline.cpuMs) / documents.length,
    rssPerMemoBytes: (loaded.rss - baseline.rss) / documents.length,
    heapPerMemoBytes: (loaded.heapUsed - baseline.heapUsed) / documents.length,
    baselineRssBytes: baseline.rss,
  };
}
