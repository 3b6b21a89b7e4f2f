import { monitorEventLoopDelay } from "node:perf_hooks";
import { exitWithParent } from "../childProcesses";
import { serveRpc } from "../rpc";

// The shell around each server under test: one child process per server, so its CPU and memory are
// its own. It starts the server on 127.0.0.1 (port 0), tells the parent the port, and answers
// stats/settle calls until it is told to stop.

/** A running server, as its entry module starts it. */
export type RunningServer = {
  port: number;
  /** Open documents, to wait until the server has unloaded (and stored) everything. */
  openDocuments(): number | Promise<number>;
  /** Graceful stop: stores what is pending, closes clients. */
  stop(): Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// How late the event loop ran (ms), to tell a server that blocked its own loop from a busy machine.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

const serverApi = {
  /** CPU time so far (ms) and resident memory (bytes), after a full GC when asked. */
  stats: (params: { gc?: boolean }) => {
    if (params.gc && globalThis.gc) {
      globalThis.gc();
      globalThis.gc();
    }
    const cpu = process.cpuUsage();
    return {
      cpuMs: (cpu.user + cpu.system) / 1000,
      rss: process.memoryUsage.rss(),
      heapUsed: process.memoryUsage().heapUsed,
    };
  },
  /** Event-loop delay since the last call (p99 and max, ms); starts a new measurement. */
  loopDelay: () => {
    const result = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
    loopDelay.reset();
    return result;
  },
  /** Waits (up to `timeoutMs`) until no document is open, then a little longer for background writes. */
  settle: async (_params: { timeoutMs: number }): Promise<boolean> => false,
};

/** The methods a server process serves. */
export type ServerProcessApi = typeof serverApi;

/** Starts a server in this process and serves the parent's calls. */
export async function runServerProcess(start: () => Promise<RunningServer>): Promise<void> {
  const server = await start();
  serveRpc({
    ...serverApi,
    settle: async ({ timeoutMs }: { timeoutMs: number }) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if ((await server.openDocuments()) === 0) {
          await sleep(300);
          return true;
        }
        await sleep(50);
      }
      return false;
    },
  });
  exitWithParent(() => server.stop());
  process.send?.({ ready: { port: server.port } });
}
