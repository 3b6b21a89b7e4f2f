import { renderRedline, renderStoredMemo } from "../export/renderStoredMemo";
import { importBuffers, prepareImport } from "../import/prepareImport";
import { insertImportedMemo } from "../import/insertImportedMemo";
import { parseTitle } from "../memos/memoInput";
import { indexMemoJson, indexStoredMemo } from "../search/memoSearchIndex";
import { workerSqlPool } from "./workerSql";
import { compareStoredVersions, recordStoredVersion, restoreChangeOf } from "../versions/versionWork";
import { hiddenEditsRecord } from "../versions/hiddenEdits";
import type { HeavyTasks } from "./heavyWork";
import { logger } from "../logger";
import { serveTasks, type TaskResult, type WorkerStart } from "./taskProtocol";
import { exportWarmUp } from "./workerWarmUp";
import { workerData } from "node:worker_threads";

// What the document workers do (started by heavyWorker.mjs, one per thread of heavyWork.ts's
// pool): every task whose cost grows with a document's size, by name. Every module is loaded
// before the thread reports ready (1.1–1.8 s), so a task's deadline never counts module loading.

type Input<K extends keyof HeavyTasks> = HeavyTasks[K]["input"];

const tasks: Record<keyof HeavyTasks, (input: never) => TaskResult | Promise<TaskResult>> = {
  /** A checked source text parsed into a memo ready to insert; its bytes are moved, not copied. */
  importSource: (input: Input<"importSource">): TaskResult => {
    const prepared: HeavyTasks["importSource"]["output"] = prepareImport(input.source, input.title);
    return { value: prepared, transfer: importBuffers(prepared) };
  },
  /**
   * A checked source parsed into a memo and written, title checked, from this thread's own
   * connection: the megabytes never reach the server's event loop, which only learns the id.
   */
  importAndStore: async (input: Input<"importAndStore">): Promise<TaskResult> => {
    const prepared = prepareImport(input.source, input.title);
    const pool = workerSqlPool(input.databaseUrl);
    const id = await insertImportedMemo(pool.query, {
      ownerId: input.ownerId,
      title: parseTitle(prepared.title),
      prepared,
    });
    // Searchable at once. The memo exists either way: a failure here is the indexer's to retry
    // when the memo is next edited or the server next starts.
    await indexMemoJson(pool, id, JSON.parse(new TextDecoder().decode(prepared.json))).catch((error: unknown) =>
      logger().warn({ err: error, memoId: id }, "indexing an imported memo for search failed"),
    );
    return { value: { id } };
  },
  /** A stored memo's body written into the search index, from this thread's own connection. */
  indexMemo: async (input: Input<"indexMemo">): Promise<TaskResult> => ({
    value: { sections: await indexStoredMemo(workerSqlPool(input.databaseUrl), input.memoId) },
  }),
  /** A stored memo rendered as a file, with its export version; the bytes are moved, not copied. */
  renderExport: async (input: Input<"renderExport">): Promise<TaskResult> => {
    const rendered: HeavyTasks["renderExport"]["output"] = await renderStoredMemo(input);
    const { bytes, version } = rendered;
    return { value: rendered, transfer: [bytes.buffer, version.jsonGzip.buffer, version.snapshot.buffer] };
  },
  /** A redline of two versions rendered as a review copy; the bytes are moved, not copied. */
  renderRedline: async (input: Input<"renderRedline">): Promise<TaskResult> => {
    const bytes = await renderRedline(input);
    return { value: bytes, transfer: [bytes.buffer] };
  },
  /** The stored memo as its next version records it. */
  recordVersion: (input: Input<"recordVersion">): TaskResult => {
    const record = recordStoredVersion(input);
    return { value: record, transfer: [record.jsonGzip.buffer, record.snapshot.buffer] };
  },
  /** The version keeping the edits a restore hid. */
  hiddenEditsVersion: (input: Input<"hiddenEditsVersion">): TaskResult => {
    const record = hiddenEditsRecord(input);
    return { value: record, transfer: [record.jsonGzip.buffer, record.snapshot.buffer] };
  },
  /** Two versions compared word by word, with who typed each addition (as Yjs clients). */
  compareVersions: (input: Input<"compareVersions">): TaskResult => ({ value: compareStoredVersions(input) }),
  /** The update that restores a version's content, and where orphaned comment threads go then. */
  restoreChange: (input: Input<"restoreChange">): TaskResult => {
    const restored = restoreChangeOf(input);
    return { value: restored, transfer: restored.update ? [restored.update.buffer] : [] };
  },
};

// A thread that replaces one which grew too large warms its renderers up before it reports ready
// (workerWarmUp.ts): the old thread serves meanwhile, so no task waits for this. A thread started
// for a waiting task goes straight to it.
if ((workerData as WorkerStart | undefined)?.replacing) {
  const started = performance.now();
  try {
    for (const step of exportWarmUp()) await step();
    logger().debug({ ms: Math.round(performance.now() - started) }, "document worker warmed up");
  } catch (error) {
    logger().warn({ err: error }, "warming up a document worker failed; it serves anyway");
  }
}

serveTasks(tasks);
