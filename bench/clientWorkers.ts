import path from "node:path";
import { forkBenchChild, type BenchChild } from "./childProcesses";
import type { ClientWorkerApi } from "./clients/clientWorker";

/** A client worker process (see clients/clientWorker.ts). */
export type ClientWorker = BenchChild<ClientWorkerApi>;

/** Starts `count` client worker processes. */
export async function startClientWorkers(count: number): Promise<ClientWorker[]> {
  const workers = Array.from({ length: count }, (_, index) =>
    forkBenchChild<ClientWorkerApi>(
      `client worker ${index + 1}`,
      path.join(import.meta.dirname, "clients", "clientWorker.ts"),
      [],
    ),
  );
  await Promise.all(workers.map((worker) => worker.ready));
  return workers;
}

/** CPU time (ms) used so far by the workers and by this process: the harness's own share of the machine. */
export async function harnessCpuMs(workers: ClientWorker[]): Promise<number> {
  const stats = await Promise.all(workers.map((worker) => worker.rpc.call("stats")));
  const own = process.cpuUsage();
  return stats.reduce((sum, stat) => sum + stat.cpuMs, (own.user + own.system) / 1000);
}
