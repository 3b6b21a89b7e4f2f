import { Worker } from "node:worker_threads";
import { AppError, busy, unprocessable } from "../errors";
import type { TaskRequest, WorkerMessage, WorkerStart } from "./taskProtocol";

// A small pool of worker threads for work whose cost grows with a document (import parsing,
// export rendering), so that it never runs on the event loop that serves editing. At most
// `threads` tasks run at once; up to `queueLength` more wait, each at most `queueWaitMs`; a task
// that runs longer than `deadlineMs` has its thread terminated. Beyond any of those limits the
// caller gets a `busy` error (503 with Retry-After), never an unbounded wait.
//
// Written on node:worker_threads rather than piscina because two things here need control of the
// threads themselves: a worker whose heap grew past `recycleHeapBytes` during a task is replaced
// (its successor loads beside it, and it serves until the successor is ready, so that no task
// waits the second or more a new thread takes to load), and an idle one exits after `idleMs`, so
// the memory a 512 KB import needed goes back to the system instead of staying with a live
// thread; and a wait in the queue and a run past the deadline end with different messages.
// piscina shrinks its pool only by idle time and cancels both through one AbortSignal.

/** How a pool runs. */
export type WorkerPoolOptions = {
  /** Module each worker runs (see taskProtocol.ts, serveTasks). */
  filename: string;
  /** Tasks run at once, each on its own thread. */
  threads: number;
  /** Tasks that may wait for a thread; more are refused at once. */
  queueLength: number;
  /** Longest wait for a thread. */
  queueWaitMs: number;
  /** Longest run; the thread is then terminated. */
  deadlineMs: number;
  /** Longest time a new thread may take to load its tasks (about 0.3 s idle, over 1 s on a busy machine). */
  startupMs: number;
  /** Old-generation heap limit of each thread (V8 resourceLimits). */
  maxHeapMb: number;
  /** A thread idle this long exits (the next task starts a new one, about 0.3 s). */
  idleMs: number;
  /** A thread whose heap is larger than this after a task is replaced (it serves until its successor is ready). */
  recycleHeapBytes: number;
  /** Told when a thread dies under a task (crash, exit, error other than running out of memory), for the log. */
  onThreadLost?: (task: string, reason: Error) => void;
};

/** A pool of worker threads. */
export type WorkerPool = {
  /** Runs `task` on a worker with `input` (structured-cloned; `transfer` moves buffers instead). */
  run<T>(task: string, input: unknown, transfer?: ArrayBuffer[]): Promise<T>;
  /**
   * Tasks running and waiting, live threads (successors included), threads still loading their
   * tasks, and tasks finished (answered or failed) since the pool started.
   */
  stats(): { running: number; queued: number; threads: number; loading: number; finished: number };
  /** Refuses queued tasks, terminates every thread. */
  close(): Promise<void>;
};

type Job = {
  request: TaskRequest;
  transfer: ArrayBuffer[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  waitTimer?: NodeJS.Timeout;
};

// `ready`: the worker has loaded its tasks (its first message). A task's deadline runs from when it
// starts on a ready worker; a thread that takes longer than startupMs to get ready is also stopped.
// `successor`: the thread loading to replace `worker`, which grew too large; it takes over when
// it is ready and the slot has no task (`successorReady` until then).
type Slot = {
  worker?: Worker;
  ready?: boolean;
  job?: Job;
  deadlineTimer?: NodeJS.Timeout;
  idleTimer?: NodeJS.Timeout;
  successor?: Worker;
  successorReady?: boolean;
  successorTimer?: NodeJS.Timeout;
};

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

// A thread that dies under a task says nothing about the request (the input passed the limits
// before it ran; a crash is ours or the machine's), so the caller is asked to try again, as for a
// full queue, rather than answered 500; the cause goes to onThreadLost for the log.
const LOST = "The server stopped while working on this. Try again in a few seconds.";
const LOST_RETRY_SECONDS = 5;

/** Starts a pool; threads start when the first tasks arrive. */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const slots: Slot[] = Array.from({ length: options.threads }, () => ({}));
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;
  let finished = 0;

  const stopWorker = (slot: Slot) => {
    const worker = slot.worker;
    slot.worker = undefined;
    slot.ready = false;
    clearTimeout(slot.idleTimer);
    void worker?.terminate();
  };

  const dropSuccessor = (slot: Slot) => {
    const successor = slot.successor;
    slot.successor = undefined;
    slot.successorReady = false;
    clearTimeout(slot.successorTimer);
    void successor?.terminate();
  };

  // The successor takes the slot: the old thread, and the heap it grew to, are let go.
  const promote = (slot: Slot) => {
    const successor = slot.successor;
    if (!successor) return;
    const old = slot.worker;
    slot.worker = successor;
    slot.ready = slot.successorReady;
    slot.successor = undefined;
    slot.successorReady = false;
    clearTimeout(slot.successorTimer);
    clearTimeout(slot.idleTimer);
    void old?.terminate();
  };

  // A successor loads unreferenced (it keeps no process alive) and is dropped if it does not get
  // ready within startupMs; the old thread serves meanwhile.
  const spawnSuccessor = (slot: Slot) => {
    const successor = (slot.successor = spawn(slot, true));
    successor.unref();
    slot.successorTimer = setTimeout(() => {
      if (slot.successor === successor && !slot.successorReady) dropSuccessor(slot);
    }, options.startupMs);
    slot.successorTimer.unref();
  };

  const finish = (slot: Slot, settle: (job: Job) => void) => {
    const job = slot.job;
    if (!job) return;
    slot.job = undefined;
    clearTimeout(slot.deadlineTimer);
    finished++;
    settle(job);
    if (slot.successorReady || (!slot.worker && slot.successor)) promote(slot);
    const next = queue.shift();
    if (next) start(slot, next);
    else if (slot.worker) idle(slot, slot.worker);
  };

  // A thread with nothing to do keeps no process alive and exits after idleMs.
  const idle = (slot: Slot, worker: Worker) => {
    worker.unref();
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      stopWorker(slot);
      dropSuccessor(slot);
    }, options.idleMs);
    slot.idleTimer.unref();
  };

  // A successor is told it replaces a thread (workerData.replacing): no task waits for it, so it
  // may spend a moment preparing before it reports ready (heavyTasks.ts warms its renderers up).
  const spawn = (slot: Slot, replacing = false): Worker => {
    const worker = new Worker(options.filename, {
      workerData: { replacing } satisfies WorkerStart,
      // The worker registers its own TypeScript loader (heavyWorker.mjs); the parent's flags
      // (--import tsx, --cpu-prof, test runners' loaders) are not for it.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb },
    });
    worker.on("message", (reply: WorkerMessage) => {
      if (slot.successor === worker) {
        if (!("ready" in reply)) return;
        slot.successorReady = true;
        if (!slot.job) {
          promote(slot);
          idle(slot, worker);
        }
        return;
      }
      if (slot.worker !== worker) return;
      if ("ready" in reply) {
        slot.ready = true;
        if (slot.job) armDeadline(slot);
        return;
      }
      if (slot.job?.request.id !== reply.id) return;
      finish(slot, (job) => {
        if (reply.ok) job.resolve(reply.value);
        else if (reply.expected)
          job.reject(new AppError(reply.expected.code, reply.expected.message, reply.expected.details));
        else
          job.reject(
            Object.assign(new Error(`worker task ${job.request.task} failed: ${reply.failure.message}`), {
              stack: reply.failure.stack,
            }),
          );
      });
      // A thread that grew too large gets a successor now, not at the next task, and serves until
      // it is ready: loading a new thread's modules takes a second or more, which the next task
      // would otherwise wait for.
      if (reply.heapBytes > options.recycleHeapBytes && slot.worker === worker && !slot.successor && !closed)
        spawnSuccessor(slot);
    });
    const lost = (job: Job, reason: Error) => {
      options.onThreadLost?.(job.request.task, reason);
      job.reject(Object.assign(busy(LOST, LOST_RETRY_SECONDS, "lost"), { cause: reason }));
    };
    worker.on("error", (error: Error & { code?: string }) => {
      if (slot.successor === worker) return dropSuccessor(slot);
      if (slot.worker !== worker) return;
      stopWorker(slot);
      finish(slot, (job) =>
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? job.reject(
              unprocessable(
                `This needs more than ${options.maxHeapMb} MB of memory, the most one task may use. Make the memo smaller and try again.`,
              ),
            )
          : lost(job, error),
      );
    });
    worker.on("exit", (code) => {
      if (slot.successor === worker) return dropSuccessor(slot);
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      slot.ready = false;
      finish(slot, (job) => lost(job, new Error(`worker exited (code ${code}) while running ${job.request.task}`)));
    });
    return worker;
  };

  const start = (slot: Slot, job: Job) => {
    clearTimeout(job.waitTimer);
    clearTimeout(slot.idleTimer);
    slot.job = job;
    if (!slot.worker && slot.successor) promote(slot);
    const worker = slot.worker ?? (slot.worker = spawn(slot));
    worker.ref();
    armDeadline(slot, slot.ready ? options.deadlineMs : options.startupMs);
    worker.postMessage(job.request, job.transfer);
  };

  // Armed when a task starts: its deadline on a ready thread, else the thread's startup limit
  // and then, once the thread reports ready, the task's deadline.
  const armDeadline = (slot: Slot, ms = options.deadlineMs) => {
    clearTimeout(slot.deadlineTimer);
    slot.deadlineTimer = setTimeout(() => {
      stopWorker(slot);
      finish(slot, (expired) =>
        expired.reject(
          busy(
            `This took longer than ${seconds(ms)} s and was stopped. Try again in a minute.`,
            seconds(ms),
            "deadline",
          ),
        ),
      );
    }, ms);
  };

  return {
    run<T>(task: string, input: unknown, transfer: ArrayBuffer[] = []): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (closed) return reject(busy("The server is shutting down. Try again in a minute.", 60, "closed"));
        const job: Job = {
          request: { id: nextId++, task, input },
          transfer,
          resolve: resolve as (value: unknown) => void,
          reject,
        };
        const free = slots.find((slot) => !slot.job);
        if (free) return start(free, job);
        if (queue.length >= options.queueLength) {
          return reject(
            busy(
              "The server is busy with other imports and exports. Try again in a few seconds.",
              seconds(options.queueWaitMs / 2),
              "queue-full",
            ),
          );
        }
        job.waitTimer = setTimeout(() => {
          const index = queue.indexOf(job);
          if (index >= 0) queue.splice(index, 1);
          reject(
            busy(
              "The server is busy with other imports and exports. Try again in a few seconds.",
              seconds(options.queueWaitMs / 2),
              "queue-wait",
            ),
          );
        }, options.queueWaitMs);
        queue.push(job);
      });
    },
    stats: () => ({
      running: slots.filter((slot) => slot.job).length,
      queued: queue.length,
      threads: slots.reduce((live, slot) => live + (slot.worker ? 1 : 0) + (slot.successor ? 1 : 0), 0),
      loading: slots.reduce(
        (loading, slot) =>
          loading + (slot.worker && !slot.ready ? 1 : 0) + (slot.successor && !slot.successorReady ? 1 : 0),
        0,
      ),
      finished,
    }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) {
        clearTimeout(job.waitTimer);
        job.reject(busy("The server is shutting down. Try again in a minute.", 60, "closed"));
      }
      const workers = slots.flatMap((slot) => [slot.worker, slot.successor].filter((worker) => worker !== undefined));
      for (const slot of slots) {
        clearTimeout(slot.deadlineTimer);
        clearTimeout(slot.idleTimer);
        clearTimeout(slot.successorTimer);
        slot.worker = undefined;
        slot.successor = undefined;
        const job = slot.job;
        slot.job = undefined;
        job?.reject(busy("The server is shutting down. Try again in a minute.", 60, "closed"));
      }
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
