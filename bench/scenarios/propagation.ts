import { now } from "../clock";
import { harnessCpuMs, type ClientWorker } from "../clientWorkers";
import { ackLatencies, deliveryLatencies } from "../latency";
import { machineCpuMs, processTreeCpuMs } from "../procStats";
import { isOurs, type ServerHandle, type ServerId } from "../serverKinds";
import { summarizeLatencies, type LatencySummary } from "../stats";

// Scenario a (and b): N clients on one memo, each typing one letter at a random position `rateHz`
// times a second. After a warm-up, for `durationMs`: the latency of every edit to every other client,
// deliveries received/expected, convergence, and CPU of the server, of PostgreSQL and of the harness.
// On our server it also times each edit's saved acknowledgement (scenario b). Given several
// instances of our server (issue #9), client i joins instance i mod the count, all on one memo, and
// the deliveries between clients on different instances are also summarized on their own.

export type PropagationOptions = {
  clients: number;
  durationMs: number;
  warmupMs: number;
  rateHz: number;
  seed: number;
};

/** One run of one server at one N. */
export type PropagationRun = {
  server: ServerId;
  clients: number;
  rep: number;
  latency: LatencySummary;
  edits: number;
  expected: number;
  received: number;
  converged: boolean;
  /** From the end of typing until every client held the same document. */
  convergeMs: number;
  disconnects: number;
  windowMs: number;
  serverCpuMs: number;
  postgresCpuMs: number;
  harnessCpuMs: number;
  /** How late the server's event loop ran during the window (p99, max; ms). */
  serverLoopDelay: { p99: number; max: number };
  /** Share of all cores busy on the machine during the window (anyone's work). */
  machineBusyPercent: number;
  /** Server instances the clients were spread over (1 but for the multi-instance scenario). */
  instances: number;
  /** With several instances: deliveries to clients on another instance than the sender's. */
  crossInstance?: LatencySummary & { expected: number; received: number };
  /** Our server only: edit → saved acknowledgement. */
  ack?: LatencySummary & { unacknowledged: number; allSaved: boolean };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function snapshot(servers: ServerHandle[], workers: ClientWorker[], postgresPid: number) {
  const [serverStats, harness] = await Promise.all([
    Promise.all(servers.map((server) => server.stats())),
    harnessCpuMs(workers),
  ]);
  const server = serverStats.reduce((sum, stats) => sum + stats.cpuMs, 0);
  return { at: now(), server, postgres: processTreeCpuMs(postgresPid), harness, machine: machineCpuMs() };
}

async function waitForConvergence(workers: ClientWorker[], timeoutMs: number): Promise<boolean> {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    const digests = (await Promise.all(workers.map((worker) => worker.rpc.call("digests")))).flat();
    if (
      digests.every(
        (digest) => digest.stateVector === digests[0].stateVector && digest.contentHash === digests[0].contentHash,
      )
    )
      return true;
    await sleep(25);
  }
  return false;
}

export async function runPropagation(
  serverOrInstances: ServerHandle | ServerHandle[],
  allWorkers: ClientWorker[],
  postgresPid: number,
  options: PropagationOptions & { rep: number },
): Promise<PropagationRun> {
  const servers = Array.isArray(serverOrInstances) ? serverOrInstances : [serverOrInstances];
  const server = servers[0];
  // One worker holds up to 25 clients; more clients are spread over the workers.
  const workers = allWorkers.slice(0, Math.min(allWorkers.length, Math.ceil(options.clients / 25)));
  const document = await server.newDocument("propagation");
  // Client i (in the order the records come back: worker by worker) joins instance i mod the count.
  const instanceOf = (client: number) => client % servers.length;
  const perWorker = workers.map(
    (_, index) => Math.floor(options.clients / workers.length) + (index < options.clients % workers.length ? 1 : 0),
  );
  const firstOf = perWorker.map((_, index) => perWorker.slice(0, index).reduce((a, b) => a + b, 0));
  await Promise.all(
    workers.map((worker, index) =>
      worker.rpc.call("open", {
        targets: Array.from({ length: perWorker[index] }, (_, i) =>
          servers[instanceOf(firstOf[index] + i)].target(document),
        ),
        concurrency: perWorker[index],
        recordArrivals: true,
      }),
    ),
  );
  await workers[0].rpc.call("addOpeningParagraph");
  const readyBy = now() + 10_000;
  while (
    (await Promise.all(workers.map((worker) => worker.rpc.call("readyCount")))).reduce((a, b) => a + b, 0) <
    options.clients
  ) {
    if (now() > readyBy) throw new Error("clients never saw the opening paragraph");
    await sleep(20);
  }

  const startAt = now() + 300;
  const from = startAt + options.warmupMs;
  const to = from + options.durationMs;
  const typing = Promise.all(
    workers.map((worker, index) =>
      worker.rpc.call("type", {
        startAt,
        endAt: to,
        rateHz: options.rateHz,
        seed: options.seed + index * 7919 + options.rep,
      }),
    ),
  );
  await sleep(from - now());
  const before = await snapshot(servers, allWorkers, postgresPid);
  await Promise.all(servers.map((instance) => instance.loopDelay()));
  await typing;
  const loopDelays = await Promise.all(servers.map((instance) => instance.loopDelay()));
  const serverLoopDelay = {
    p99: Math.max(...loopDelays.map((delay) => delay.p99)),
    max: Math.max(...loopDelays.map((delay) => delay.max)),
  };
  const converged = await waitForConvergence(workers, 15_000);
  const convergeMs = now() - to;
  const after = await snapshot(servers, allWorkers, postgresPid);

  if (isOurs(server.kind)) {
    // The last batch's acknowledgement follows the last edit by up to batchMs plus the commit.
    const savedBy = now() + 5_000;
    while (now() < savedBy && !(await Promise.all(workers.map((worker) => worker.rpc.call("allSaved")))).every(Boolean))
      await sleep(50);
  }
  const records = (await Promise.all(workers.map((worker) => worker.rpc.call("collect")))).flat();
  await Promise.all(workers.map((worker) => worker.rpc.call("close")));
  await Promise.all(servers.map((instance) => instance.settle()));

  const window = { from, to };
  const deliveries = deliveryLatencies(records, window);
  const machine = {
    busy: after.machine.busyMs - before.machine.busyMs,
    total: after.machine.totalMs - before.machine.totalMs,
  };
  const run: PropagationRun = {
    server: server.kind.id,
    clients: options.clients,
    rep: options.rep,
    latency: summarizeLatencies(deliveries.latencies),
    edits: deliveries.edits,
    expected: deliveries.expected,
    received: deliveries.received,
    converged,
    convergeMs,
    disconnects: records.reduce((sum, record) => sum + record.disconnects, 0),
    windowMs: after.at - before.at,
    serverCpuMs: after.server - before.server,
    postgresCpuMs: after.postgres - before.postgres,
    harnessCpuMs: after.harness - before.harness,
    serverLoopDelay,
    machineBusyPercent: machine.total > 0 ? (100 * machine.busy) / machine.total : Number.NaN,
    instances: servers.length,
  };
  if (servers.length > 1) {
    const cross = deliveryLatencies(records, window, (sender, receiver) => instanceOf(sender) !== instanceOf(receiver));
    run.crossInstance = { ...summarizeLatencies(cross.latencies), expected: cross.expected, received: cross.received };
  }
  if (isOurs(server.kind)) {
    const acks = ackLatencies(records, window);
    run.ack = {
      ...summarizeLatencies(acks.latencies),
      unacknowledged: acks.unacknowledged,
      allSaved: records.every((record) => record.saved),
    };
  }
  return run;
}
