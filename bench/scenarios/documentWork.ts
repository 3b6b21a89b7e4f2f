import pino from "pino";
import { createSqlPool } from "../../server/database/sqlQuery";
import { DEFAULT_MEMO_MARKINGS, loadEnv } from "../../server/env";
import { exportMemo, type ExportFormat } from "../../server/export/exportMemo";
import { importMemo } from "../../server/memos/memoCommands";
import { withEventLoopPause } from "../../server/testing/eventLoopPause";
import { bulletLines, flatListDoc, shortLines, storeMemoState } from "../../server/testing/largeMemos";
import { heavyWorkOptions } from "../../server/workers/heavyWork";
import { createWorkerPool, type WorkerPool } from "../../server/workers/workerPool";
import type { BenchEnvironment } from "../environment";

// Scenario f (issue 18): work that grows with a document, run as the route handlers run it (the
// document worker pool with its production settings, the pg pool, PostgreSQL), in the harness
// process once every server has stopped, so that this process's event loop stands for the
// server's: imports of 512 KB sources and exports of a 10,000-item memo, each timed with the
// longest pause of this event loop meanwhile, and the process's RSS before and after.

/** One import or export: how long it took and how long the event loop was blocked meanwhile. */
export type DocumentWorkRun = { task: string; ms: number; maxPauseMs: number };
/** Every run, and resident memory (worker threads included) before the first and after the last. */
export type DocumentWorkResult = { runs: DocumentWorkRun[]; rssBeforeBytes: number; rssAfterBytes: number };

const MAX_BYTES = 512 * 1024;
const EXPORT_ITEMS = 10_000;
/**
 * Long enough for a replaced thread's memory to be gone once its successor took over, and for V8
 * to shrink the successor's heap after its warm-up (measured: RSS falls 3 to 4 s after promotion).
 */
const SETTLE_MS = 6_000;
/** The longest wait for successors to be ready (they load for 1–2 s and warm up for about 1 s). */
const SUCCESSOR_WAIT_MS = 20_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until no thread is loading and none is waiting for its successor (a thread that grew too
 * large serves until its successor is ready, then goes), then SETTLE_MS for its memory to go.
 */
async function settled(pool: WorkerPool, threads: number): Promise<void> {
  const end = performance.now() + SUCCESSOR_WAIT_MS;
  const busy = () => {
    const stats = pool.stats();
    return stats.loading > 0 || stats.threads > threads;
  };
  while (busy() && performance.now() < end) await sleep(100);
  await sleep(SETTLE_MS);
}

/**
 * A task that does nothing for 2 s, measured like the others: the longest pause of this event loop
 * that comes from the machine itself (other processes, the garbage collector), the floor under the
 * pauses the real tasks show. Reported beside them, without a target.
 */
export const IDLE_TASK = "nothing for 2 s (the machine's own pauses)";

/** Runs every task `reps` times (interleaved), after a warm-up that starts the worker threads. */
export async function runDocumentWork(env: BenchEnvironment, reps: number): Promise<DocumentWorkResult> {
  const sql = createSqlPool(env.databaseUrl, pino({ level: "warn" }), 4);
  const options = heavyWorkOptions(loadEnv());
  const pool = createWorkerPool(options);
  try {
    const memoId = await env.createMemo();
    const flat = flatListDoc(EXPORT_ITEMS);
    await storeMemoState(env.prisma, memoId, flat);
    flat.destroy();
    const importSource = (source: string) =>
      importMemo(
        { ownerId: env.ownerId, source, title: "Benchmark import", maxBytes: MAX_BYTES },
        { pool, databaseUrl: env.databaseUrl },
      );
    const exportAs = (format: ExportFormat) =>
      exportMemo(env.prisma, env.ownerId, memoId, format, { markings: DEFAULT_MEMO_MARKINGS, sql: sql.query, pool });
    const tasks: Record<string, () => Promise<unknown>> = {
      "import 512 KB of `- x` lines": () => importSource(bulletLines(MAX_BYTES)),
      "import 512 KB of short lines": () => importSource(shortLines(MAX_BYTES)),
      [`export ${EXPORT_ITEMS.toLocaleString("en-US")} items as PDF`]: () => exportAs("pdf"),
      [`export ${EXPORT_ITEMS.toLocaleString("en-US")} items as Word`]: () => exportAs("docx"),
      [`export ${EXPORT_ITEMS.toLocaleString("en-US")} items as Markdown`]: () => exportAs("md"),
      [IDLE_TASK]: () => sleep(2_000),
    };
    // Before the baseline: a thread that has imported and exported a little in each format, as a
    // server's thread has after its first requests (it keeps the PDF fonts it parsed: pdfFonts.ts).
    await importSource("Warm-up\nA short memo.");
    const small = await env.createMemo();
    for (const format of ["pdf", "docx", "md"] as const)
      await exportMemo(env.prisma, env.ownerId, small, format, {
        markings: DEFAULT_MEMO_MARKINGS,
        sql: sql.query,
        pool,
      });
    await settled(pool, options.threads);
    const rssBeforeBytes = process.memoryUsage().rss;
    const runs: DocumentWorkRun[] = [];
    for (let rep = 0; rep < reps; rep++) {
      for (const [task, run] of Object.entries(tasks)) {
        const started = performance.now();
        const { maxPauseMs } = await withEventLoopPause(run);
        runs.push({ task, ms: performance.now() - started, maxPauseMs });
      }
    }
    await settled(pool, options.threads);
    return { runs, rssBeforeBytes, rssAfterBytes: process.memoryUsage().rss };
  } finally {
    await pool.close();
    await sql.end();
  }
}
