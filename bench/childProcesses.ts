import { fork, type ChildProcess } from "node:child_process";
import { RpcClient, type RpcApi } from "./rpc";

// Every process the benchmark starts is forked here and remembered, so that a normal end, an error
// or Ctrl-C stops exactly those processes (by pid) and runs the registered clean-ups (PostgreSQL,
// temp folders). Children also exit on their own when the IPC channel to us closes.

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];
let cleaningUp: Promise<void> | undefined;

/** A forked benchmark process (a server under test or a client worker). */
export type BenchChild<A extends RpcApi> = {
  name: string;
  pid: number;
  rpc: RpcClient<A>;
  /** Resolves with the message the child sends once it is ready (`{ ready: … }`). */
  ready: Promise<unknown>;
  /** Asks for a graceful stop (SIGTERM), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines the child wrote to stderr, for error messages. */
  stderrTail(): string;
};

/** Forks a TypeScript entry under tsx with an IPC channel. */
export function forkBenchChild<A extends RpcApi>(
  name: string,
  entry: string,
  args: string[],
  options: { env?: Record<string, string>; execArgv?: string[] } = {},
): BenchChild<A> {
  const child = fork(entry, args, {
    execArgv: ["--import", "tsx", "--expose-gc", ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    serialization: "advanced",
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  children.add(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8_000);
  });
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      children.delete(child);
      resolve();
    }),
  );
  const ready = new Promise<unknown>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (typeof message === "object" && message !== null && "ready" in message) {
        child.off("message", onMessage);
        resolve((message as { ready: unknown }).ready);
      }
    };
    child.on("message", onMessage);
    child.once("exit", (code, signal) =>
      reject(new Error(`${name} exited before it was ready (${signal ?? code}):\n${stderr}`)),
    );
  });
  ready.catch(() => undefined);
  return {
    name,
    pid: child.pid ?? -1,
    rpc: new RpcClient<A>(child, name),
    ready,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
    stderrTail: () => stderr,
  };
}

/** Registers a clean-up to run once at exit (after the children are stopped), last registered first. */
export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.unshift(cleanup);
}

/** Stops every child still running (by pid) and runs the clean-ups. Safe to call more than once. */
export function cleanUp(): Promise<void> {
  cleaningUp ??= (async () => {
    await Promise.all(
      [...children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
          }),
      ),
    );
    for (const cleanup of cleanups)
      await cleanup().catch((error: unknown) => process.stderr.write(`clean-up failed: ${String(error)}\n`));
  })();
  return cleaningUp;
}

let interrupted = false;

/** True once Ctrl-C or SIGTERM asked the benchmark to stop (errors from stopped children are expected then). */
export function wasInterrupted(): boolean {
  return interrupted;
}

/** On Ctrl-C or SIGTERM: clean up, then exit with the conventional status. */
export function cleanUpOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      interrupted = true;
      process.stderr.write(`\n${signal}: stopping servers, workers and PostgreSQL…\n`);
      void cleanUp().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
}

/** Child side: exit when the parent goes away, and leave Ctrl-C to the parent (it stops us in order). */
export function exitWithParent(onStop: () => Promise<void>): void {
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    onStop().then(
      () => process.exit(code),
      (error: unknown) => {
        process.stderr.write(`stop failed: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("disconnect", () => stop(0));
  process.on("SIGTERM", () => stop(0));
  process.on("SIGINT", () => undefined);
}
