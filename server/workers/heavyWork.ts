import path from "node:path";
import { loadEnv, type Env } from "../env";
import { AppError, isAppError, type BusyReason, type ErrorCode } from "../errors";
import { logger } from "../logger";
import type { RedlineExport, RenderedExport, StoredMemoExport } from "../export/renderStoredMemo";
import type { ImportToStore, PreparedImport } from "../import/prepareImport";
import type { AnchoredThread } from "../comments/anchorMoves";
import type { StoredRows } from "../memos/storedMemoState";
import type { HiddenEditsInput } from "../versions/hiddenEdits";
import type { VersionRecord } from "../versions/versionContent";
import type { ComparedVersion, RestoreChange, StoredComparison } from "../versions/versionWork";
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
  importAndStore: { input: ImportToStore; output: { id: string } };
  /** A stored memo's body written into the search index; `sections` is null when the memo is gone. */
  indexMemo: { input: { memoId: string; databaseUrl: string }; output: { sections: number | null } };
  renderExport: { input: StoredMemoExport; output: RenderedExport };
  /** A redline of two versions (versionRedline.ts) rendered as a review copy. */
  renderRedline: { input: RedlineExport; output: Uint8Array<ArrayBuffer> };
  recordVersion: { input: StoredRows; output: VersionRecord };
  /** The version keeping the edits a restore hid (hiddenEdits.ts). */
  hiddenEditsVersion: { input: HiddenEditsInput; output: VersionRecord };
  compareVersions: {
    input: { stored: StoredRows; older: ComparedVersion; newer: ComparedVersion };
    output: StoredComparison;
  };
  restoreChange: {
    input: { stored: StoredRows; targetJsonGzip: Uint8Array; threads: AnchoredThread[] };
    output: RestoreChange;
  };
};

/** A new thread that has not loaded its tasks after this long is stopped (it needs 0.3–1.5 s). */
const STARTUP_MS = 15_000;
/** A thread idle this long exits, and its memory goes back to the system. */
const IDLE_MS = 30_000;
/**
 * A thread whose V8 heap (heapTotal) is larger than this after a task is replaced at once. A
 * worker with its modules loaded holds about 66 MB, and about 90 MB once it has rendered each
 * format (the PDF fonts' parsed tables are kept for the thread's next exports: pdfFonts.ts), as a
 * warmed-up successor has (workerWarmUp.ts); a 512 KB import or a 10,000-item export leaves 150 to
 * several hundred, which would otherwise stay in the process's RSS until the thread idles out
 * (measured: +66 MB after `npm run bench -- --scenario=documents` with a 128 MB limit on the live
 * heap; with this limit on heapTotal, +57 to +73 MB at 112 MB and +48.5 MB at 96 MB).
 */
const RECYCLE_HEAP_BYTES = 96 * 1024 * 1024;

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
    onThreadLost: (task: string, reason: Error) =>
      logger().error({ err: reason, task }, "document worker died under a task"),
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
 * Stored memos smaller than this are decoded on the caller's thread: a worker's round trip (and,
 * once its threads have idled out, a new thread: 0.3 s and more) costs more than the work, which
 * is a few milliseconds at this size.
 */
export const INLINE_BELOW_BYTES = 32 * 1024;

// The refusals after which work that must happen (a version) still runs, on the caller's thread:
// the pool had no room, which says nothing about the memo. A task past its deadline or whose
// thread died is not run again here, where it would stall the event loop or end the process.
const RUN_INLINE_AFTER: ReadonlySet<BusyReason> = new Set(["queue-full", "queue-wait", "closed"]);

/** How runDocumentTask runs a task: where, and what to do when the pool refuses. */
export type DocumentTaskOptions<K extends keyof HeavyTasks> = {
  /** About how many bytes the task decodes (storedBytes); below INLINE_BELOW_BYTES it runs here. */
  bytes: number;
  /** The task itself, as the worker runs it (heavyTasks.ts), to run on this thread. */
  inline: (input: HeavyTasks[K]["input"]) => HeavyTasks[K]["output"];
  /** Work that must happen (a version): run it here rather than fail when the pool has no room. */
  mustRun?: boolean;
  pool?: WorkerPool;
};

/**
 * Runs a task whose cost grows with a stored memo: in the document worker pool, or on this thread
 * when the memo is small. A request path gets the pool's 503 when it is full; work that must
 * happen (`mustRun`) then runs here, logged, since a lost version is worse than a slow turn.
 */
export async function runDocumentTask<K extends keyof HeavyTasks>(
  task: K,
  input: HeavyTasks[K]["input"],
  options: DocumentTaskOptions<K>,
): Promise<HeavyTasks[K]["output"]> {
  if (options.bytes < INLINE_BELOW_BYTES) return options.inline(input);
  try {
    return await runHeavyTask(task, input, options.pool);
  } catch (error) {
    const reason = isAppError(error, "busy") ? (error.details?.reason as BusyReason | undefined) : undefined;
    if (!options.mustRun || !reason || !RUN_INLINE_AFTER.has(reason)) throw error;
    logger().warn(
      { task, reason, bytes: options.bytes },
      "document workers refused a task that must run; running it on the event loop",
    );
    return options.inline(input);
  }
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
