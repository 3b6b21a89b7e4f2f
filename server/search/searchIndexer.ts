import type { Logger } from "pino";

// When memos' bodies are indexed for search (memoSearchIndex.ts): a memo whose edits were stored
// is indexed `delayMs` later, however much more is typed meanwhile, so an edit is searchable
// within about delayMs plus one indexing (the issue asks 2 s). Indexing runs in the document
// workers, at most `concurrency` memos at a time; a memo changed while it is being indexed is
// indexed again after. A memo whose indexing takes long (a very large memo) waits a multiple of
// that time before its next one, so indexing one memo keeps a worker busy at most a fraction of
// the time however fast its edits come. A failure (the database unreachable) is retried with
// backoff, and logged when a memo starts failing and when it recovers; after MAX_ATTEMPTS the
// memo waits for its next change.

export type SearchIndexerOptions = {
  /** Indexes a memo's body as stored now. */
  index: (memoId: string) => Promise<unknown>;
  delayMs: number;
  concurrency: number;
  log: Logger;
  /** A failing memo is retried after delayMs, doubling up to this. */
  maxRetryMs?: number;
};

/** Failed indexings of a memo in a row before it waits for its next change. */
export const MAX_ATTEMPTS = 6;
/** A memo's next indexing waits at least this many times as long as its last one took. */
const PACE = 4;

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
  /** How long each memo's last indexing took. */
  const lastMs = new Map<string, number>();
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

  const nextDelay = (memoId: string) => Math.max(delayMs, PACE * (lastMs.get(memoId) ?? 0));

  const run = async (memoId: string) => {
    // After a turn, so that even an index function that throws at once finds the memo in `running`.
    await Promise.resolve();
    const started = performance.now();
    try {
      await index(memoId);
      if (failures.delete(memoId)) log.info({ memoId }, "search indexing recovered");
    } catch (error) {
      const failed = (failures.get(memoId) ?? 0) + 1;
      failures.set(memoId, failed);
      if (failed === 1) log.warn({ err: error, memoId }, "search indexing failed; retrying");
      running.delete(memoId);
      if (failed >= MAX_ATTEMPTS) {
        failures.delete(memoId);
        log.error(
          { err: error, memoId, attempts: failed },
          "search indexing failed; waiting for the memo's next change",
        );
        if (changedWhileRunning.delete(memoId)) schedule(memoId, maxRetryMs);
      } else {
        changedWhileRunning.delete(memoId);
        schedule(memoId, Math.min(delayMs * 2 ** failed, maxRetryMs));
      }
      return pump();
    } finally {
      lastMs.set(memoId, performance.now() - started);
    }
    running.delete(memoId);
    if (changedWhileRunning.delete(memoId)) schedule(memoId, nextDelay(memoId));
    pump();
  };

  return {
    changed(memoId) {
      if (running.has(memoId)) changedWhileRunning.add(memoId);
      else schedule(memoId, nextDelay(memoId));
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
