import type { Logger } from "pino";

// When memos' bodies are indexed for search (memoSearchIndex.ts): a memo whose edits were stored
// is indexed `delayMs` later, however much more is typed meanwhile, so an edit is searchable
// within about delayMs plus one indexing (the issue asks 2 s). Indexing runs in the document
// workers, at most `concurrency` memos at a time; a memo changed while it is being indexed is
// indexed again after. A failure (the database unreachable) is retried with backoff, and logged
// when a memo starts failing and when it recovers.

export type SearchIndexerOptions = {
  /** Indexes a memo's body as stored now. */
  index: (memoId: string) => Promise<unknown>;
  delayMs: number;
  concurrency: number;
  log: Logger;
  /** A failing memo is retried after delayMs, doubling up to this. */
  maxRetryMs?: number;
};

export type SearchIndexer = {
  /** The memo's stored body changed. */
  changed(memoId: string): void;
  /** Memos waiting for their turn or their delay, and being indexed. */
  stats(): { waiting: number; running: number };
  /** Stops scheduling; waits for the indexing under way. */
  close(): Promise<void>;
};

export function createSearchIndexer(options: SearchIndexerOptions): SearchIndexer {
  const { index, delayMs, concurrency, log } = options;
  const maxRetryMs = options.maxRetryMs ?? 60_000;
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const ready = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const changedWhileRunning = new Set<string>();
  const failures = new Map<string, number>();
  let closed = false;

  const schedule = (memoId: string, afterMs: number) => {
    if (closed || timers.has(memoId) || ready.has(memoId)) return;
    const timer = setTimeout(() => {
      timers.delete(memoId);
      ready.add(memoId);
      pump();
    }, afterMs);
    timer.unref?.();
    timers.set(memoId, timer);
  };

  const pump = () => {
    for (const memoId of ready) {
      if (closed || running.size >= concurrency) return;
      if (running.has(memoId)) continue;
      ready.delete(memoId);
      running.set(memoId, run(memoId));
    }
  };

  const run = async (memoId: string) => {
    try {
      await index(memoId);
      if (failures.delete(memoId)) log.info({ memoId }, "search indexing recovered");
    } catch (error) {
      const failed = (failures.get(memoId) ?? 0) + 1;
      failures.set(memoId, failed);
      if (failed === 1) log.warn({ err: error, memoId }, "search indexing failed; retrying");
      changedWhileRunning.delete(memoId);
      running.delete(memoId);
      schedule(memoId, Math.min(delayMs * 2 ** failed, maxRetryMs));
      return pump();
    }
    running.delete(memoId);
    if (changedWhileRunning.delete(memoId)) schedule(memoId, delayMs);
    pump();
  };

  return {
    changed(memoId) {
      if (running.has(memoId)) changedWhileRunning.add(memoId);
      else schedule(memoId, delayMs);
    },
    stats: () => ({ waiting: timers.size + ready.size, running: running.size }),
    async close() {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      ready.clear();
      await Promise.allSettled([...running.values()]);
    },
  };
}
