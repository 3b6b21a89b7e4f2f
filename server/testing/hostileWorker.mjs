// A document worker whose tasks misbehave on purpose, for the pool's tests (workerPool.test.ts):
// one never ends, one holds its thread until released, one allocates without bound, one kills its thread, one overflows the stack.
import { register } from "tsx/esm/api";

register();
const { serveTasks } = await import("../workers/taskProtocol.ts");
const { unprocessable } = await import("../errors.ts");

const recurse = (n) => recurse(n + 1) + 1;

serveTasks({
  echo: (input) => ({ value: input }),
  sleep: async (ms) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { value: ms };
  },
  // Blocks the thread until the test stores a non-zero value in the shared buffer's first slot.
  hold: (shared) => {
    Atomics.wait(new Int32Array(shared), 0, 0);
    return { value: "released" };
  },
  spin: () => {
    for (;;);
  },
  allocate: () => {
    const hoard = [];
    for (;;) hoard.push(new Array(100_000).fill(hoard.length));
  },
  exit: () => process.exit(3),
  overflow: () => ({ value: recurse(0) }),
  refuse: () => {
    throw unprocessable("Refused on purpose.", { limit: "test" });
  },
  grow: () => {
    globalThis.kept = Array.from({ length: 2_000_000 }, (_, i) => ({ i }));
    return { value: "grown" };
  },
  threadId: async () => ({ value: (await import("node:worker_threads")).threadId }),
  // What the pool started this thread with (a successor is told it replaces a thread).
  started: async () => ({ value: (await import("node:worker_threads")).workerData }),
});
