import type { ChildProcess } from "node:child_process";

// Request/response over a forked child's IPC channel (structured-clone serialization, so typed
// arrays and Maps cross intact). The parent calls methods; the child serves them.

/** The methods a child serves: one parameter object in, any cloneable value (or a promise) out. */
export type RpcApi = Record<string, (params: never) => unknown>;

type Request = { rpc: number; method: string; params: unknown };
type Response = { rpc: number; result?: unknown; error?: string };

function isRequest(message: unknown): message is Request {
  return typeof message === "object" && message !== null && "rpc" in message && "method" in message;
}

/** Child side: answers the parent's calls with `handlers`. */
export function serveRpc(handlers: RpcApi): void {
  process.on("message", (message: unknown) => {
    if (!isRequest(message)) return;
    const handler = handlers[message.method] as ((params: unknown) => unknown) | undefined;
    const reply = (response: Response) => process.send?.(response);
    if (!handler) return reply({ rpc: message.rpc, error: `unknown method ${message.method}` });
    Promise.resolve()
      .then(() => handler(message.params))
      .then(
        (result) => reply({ rpc: message.rpc, result }),
        (error: unknown) =>
          reply({ rpc: message.rpc, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
}

/** Parent side: typed calls into a child that serves `A`. */
export class RpcClient<A extends RpcApi> {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void; method: string }
  >();

  constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
  ) {
    child.on("message", (message: unknown) => {
      if (typeof message !== "object" || message === null || !("rpc" in message)) return;
      const response = message as Response;
      const waiting = this.pending.get(response.rpc);
      if (!waiting) return;
      this.pending.delete(response.rpc);
      if (response.error !== undefined) waiting.reject(new Error(`${this.name}.${waiting.method}: ${response.error}`));
      else waiting.resolve(response.result);
    });
    child.on("exit", (code, signal) => {
      for (const [, waiting] of this.pending) {
        waiting.reject(new Error(`${this.name} exited (${signal ?? code}) during ${waiting.method}`));
      }
      this.pending.clear();
    });
  }

  /** Calls `method` in the child and resolves with its result. */
  call<M extends keyof A & string>(method: M, ...params: Parameters<A[M]>): Promise<Awaited<ReturnType<A[M]>>> {
    const rpc = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!this.child.connected) return reject(new Error(`${this.name} is not running (calling ${method})`));
      this.pending.set(rpc, { resolve: resolve as (value: unknown) => void, reject, method });
      this.child.send({ rpc, method, params: params[0] } satisfies Request);
    });
  }
}
