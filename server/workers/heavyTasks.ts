import { renderStoredMemo } from "../export/renderStoredMemo";
import { importBuffers, prepareImport } from "../import/prepareImport";
import type { HeavyTasks } from "./heavyWork";
import { serveTasks, type TaskResult } from "./taskProtocol";

// What the document workers do (started by heavyWorker.mjs, one per thread of heavyWork.ts's
// pool): every task whose cost grows with a document's size, by name.

type Input<K extends keyof HeavyTasks> = HeavyTasks[K]["input"];

const tasks: Record<keyof HeavyTasks, (input: never) => TaskResult | Promise<TaskResult>> = {
  /** A checked source text parsed into a memo ready to insert; its bytes are moved, not copied. */
  importSource: (input: Input<"importSource">): TaskResult => {
    const prepared: HeavyTasks["importSource"]["output"] = prepareImport(input.source, input.title);
    return { value: prepared, transfer: importBuffers(prepared) };
  },
  /** A stored memo rendered as a file, with its export version; the bytes are moved, not copied. */
  renderExport: async (input: Input<"renderExport">): Promise<TaskResult> => {
    const rendered: HeavyTasks["renderExport"]["output"] = await renderStoredMemo(input);
    const { bytes, version } = rendered;
    return { value: rendered, transfer: [bytes.buffer, version.jsonGzip.buffer, version.snapshot.buffer] };
  },
};

serveTasks(tasks);
