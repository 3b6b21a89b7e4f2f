import { parentPort } from "node:worker_threads";
import { AppError, unprocessable, type ErrorCode } from "../errors";

// The messages between a WorkerPool and its workers. An AppError thrown by a task is an expected
// failure (a memo beyond the limits): it crosses as its code, message and details and is thrown
// again as an AppError in the caller; structured cloning would keep only its message. Anything
// else crosses as a failure with its stack, for the caller's log.

/** A task for a worker. */
export type TaskRequest = { id: number; task: string; input: unknown };

/** A worker's answer, with the heap it holds after the task (the pool replaces a worker that grew). */
export type TaskReply = { id: number; heapBytes: number } & (
  | { ok: true; value: unknown }
  | { ok: false; expected: { code: ErrorCode; message: string; details?: Record<string, unknown> } }
  | { ok: false; expected?: undefined; failure: { message: string; stack?: string } }
);

/** What a worker is started with: whether it replaces a thread (then no task waits for it yet). */
export type WorkerStart = { replacing: boolean };

/** What a worker sends: once, when its tasks are loaded; then one reply per task. */
export type WorkerMessage = { ready: true } | TaskReply;

/** What a task returns: a value, and the buffers to move (not copy) to the caller. */
export type TaskResult = { value: unknown; transfer?: ArrayBuffer[] };

/** Tasks a worker runs, by name. */
export type TaskTable = Record<string, (input: never) => TaskResult | Promise<TaskResult>>;

// The limits (documentLimits.ts) keep recursion in the renderers shallow; should some input still
// recurse past the worker's stack, the person gets this 422 rather than a 500.
const TOO_DEEP =
  "This memo is too deeply nested to process. Move the deepest items up a level (Shift-Tab) and try again.";
const stackOverflow = (error: unknown) => error instanceof RangeError && /call stack/i.test(error.message);

/** Answers the pool's task messages in this worker thread. */
export function serveTasks(tasks: TaskTable): void {
  if (!parentPort) throw new Error("serveTasks runs in a worker thread");
  const port = parentPort;
  port.on("message", async (request: TaskRequest) => {
    // The heap V8 holds (heapTotal), not what is live in it: after a large task V8 keeps the
    // pages it grew to, and they stay in the process's RSS as long as the thread lives.
    const heapBytes = () => process.memoryUsage().heapTotal;
    try {
      const run = tasks[request.task];
      if (!run) throw new Error(`unknown task ${request.task}`);
      const { value, transfer } = await run(request.input as never);
      port.postMessage({ id: request.id, heapBytes: heapBytes(), ok: true, value } satisfies TaskReply, transfer ?? []);
    } catch (thrown) {
      const error = stackOverflow(thrown) ? unprocessable(TOO_DEEP) : thrown;
      const reply: TaskReply =
        error instanceof AppError
          ? {
              id: request.id,
              heapBytes: heapBytes(),
              ok: false,
              expected: { code: error.code, message: error.message, details: error.details },
            }
          : {
              id: request.id,
              heapBytes: heapBytes(),
              ok: false,
              failure: { message: String((error as Error)?.message ?? error), stack: (error as Error)?.stack },
            };
      port.postMessage(reply);
    }
  });
  // A new thread spends a while loading tsx, the schema and the renderers; the pool's deadline
  // counts from here, so that this is not taken out of the first task's time.
  port.postMessage({ ready: true } satisfies WorkerMessage);
}
