import path from "node:path";
import { loadEnv, type Env } from "../env";
import { AppError, type ErrorCode } from "../errors";
import { logger } from "../logger";
import type { RenderedExport, StoredMemoExport } from "../export/renderStoredMemo";
import type { PreparedImport } from "../import/prepareImport";
import { createWorkerPool, type WorkerPool } from "./workerPool";

// The process-wide pool for work whose cost grows with a document: import parsing and export
// rendering (heavyTasks.ts). Route handlers, bundled by Next.js, and the start command load
// separate copies of this module in one process, so the pool lives on globalThis (like the
// Prisma client in db.ts), and the worker's file is found from the project folder, the working
// directory of every way Demarche runs (npm start, npm run dev, the tests, the benchmark), since
// a bundled module's own location is somewhere under .next/.

/** Each task's input and output (heavyTasks.ts implements them). */
export type HeavyTasks = {
  importSource: { input: { source: string; title?: string }; output: PreparedImport };
  renderExport: { input: StoredMemoExport; output: RenderedExport };
};

/** A new thread that has not loaded its tasks after this long is stopped (it needs 0.3–1.5 s). */
const STARTUP_MS = 15_000;
/** A thread idle this long exits, and its memory goes back to the system. */
const IDLE_MS = 30_000;
/**
 * A thread whose V8 heap (heapTotal) is larger than this after a task is replaced at once. A
 * worker with the editor schema, pdfkit and its fonts loaded holds about 50 MB; a 512 KB import
 * or a 10,000-item export leaves 100 to several hundred, which would otherwise stay in the
 * process's RSS until the thread idles out (measured: +66 MB after `npm run bench --
 * --scenario=documents` with a 128 MB limit on the live heap, within 50 MB with this).
 */
const RECYCLE_HEAP_BYTES = 80 * 1024 * 1024;

const holder = globalThis as typeof globalThis & { __demarcheHeavyWork?: WorkerPool };

/** The pool's settings from the environment (see README, Configuration). */
export function heavyWorkOptions(env: Env, projectDir = process.cwd()) {
  return {
    filename: path.join(projectDir, "server", "workers", "heavyWorker.mjs"),
    threads: env.WORKER_THREADS,
    queueLength: env.WORKER_QUEUE_LENGTH,
    queueWaitMs: env.WORKER_QUEUE_WAIT_MS,
    deadlineMs: env.WORKER_DEADLINE_MS,
    startupMs: STARTUP_MS,
    maxHeapMb: env.WORKER_MAX_HEAP_MB,
    idleMs: IDLE_MS,
    recycleHeapBytes: RECYCLE_HEAP_BYTES,
    onThreadLost: (task: string, reason: Error) => logger().error({ err: reason, task }, "document worker died under a task"),
  };
}

/** The process-wide document worker pool, started on first use. */
export function heavyWork(): WorkerPool {
  holder.__demarcheHeavyWork ??= createWorkerPool(heavyWorkOptions(loadEnv()));
  return holder.__demarcheHeavyWork;
}

/** Runs a document task on `pool`, by default the process-wide one (tests pass pools with their own limits). */
export function runHeavyTask<K extends keyof HeavyTasks>(
  task: K,
  input: HeavyTasks[K]["input"],
  pool: WorkerPool = heavyWork(),
): Promise<HeavyTasks[K]["output"]> {
  return pool.run<HeavyTasks[K]["output"]>(task, input).catch((error: unknown) => {
    throw ownAppError(error);
  });
}

/**
 * An AppError made by another copy of errors.ts, remade with this module's copy. The pool is
 * shared through globalThis, so it may have been created by the start command's copy (the seed
 * imports first) while route handlers run Next.js's bundled one, where `instanceof AppError`
 * would then fail and a 422 or a 503 would be answered as a 500. Seen under `npm start`.
 */
export function ownAppError(error: unknown): unknown {
  if (error instanceof AppError || !(error instanceof Error) || error.name !== "AppError") return error;
  const { code, details } = error as Error & { code?: unknown; details?: Record<string, unknown> };
  return typeof code === "string" ? new AppError(code as ErrorCode, error.message, details) : error;
}

/** Stops the process-wide pool, if it was started (on shutdown). */
export async function closeHeavyWork(): Promise<void> {
  const pool = holder.__demarcheHeavyWork;
  holder.__demarcheHeavyWork = undefined;
  await pool?.close();
}
