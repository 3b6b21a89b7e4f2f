import type { Logger } from "pino";
import type { CollabMetrics } from "./collabMetrics";

// When a memo's log is folded into a snapshot (memoStore.ts, compactMemoLog): soon after it grew
// by compactAfterRows batches, else once the memo has been quiet for compactIdleMs, so its next
// load reads one snapshot. A memo whose compaction fails (content the database refuses, say) would
// otherwise retry a full compaction after every batch once past compactAfterRows: failures back off
// from compactIdleMs, doubling up to COMPACT_RETRY_MAX_MS, and are logged when compaction starts
// failing and when it recovers, not at every attempt.

/** A failing compaction is retried after compactIdleMs, doubling up to this. */
const COMPACT_RETRY_MAX_MS = 10 * 60_000;

export type CompactionTiming = {
  /** Compact after this many rows were appended since the last compaction… */
  compactAfterRows: number;
  /** …or after this long without edits. */
  compactIdleMs: number;
};

export type CompactionScheduleOptions = {
  memoId: string;
  /** Folds the memo's log into a snapshot. */
  compact: () => Promise<number>;
  timing: CompactionTiming;
  log: Logger;
  metrics?: CollabMetrics;
  /** Rows the memo's log held at load: a long log is compacted at once. */
  rowsAtLoad: number;
};

/** Decides when one memo's log is compacted, and retries a failing compaction with backoff. */
export class CompactionSchedule {
  private rowsSinceCompaction: number;
  /** Compactions failed in a row: while above 0, the backoff alone decides when the next one runs. */
  private failures = 0;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** After stop(): a last compaction may still run, but schedules nothing. */
  private stopped = false;
  /** The memo no longer exists: there is nothing to compact. */
  private memoGone = false;

  constructor(private readonly options: CompactionScheduleOptions) {
    this.rowsSinceCompaction = options.rowsAtLoad;
    if (options.rowsAtLoad >= options.timing.compactAfterRows) this.schedule(0);
  }

  /** A batch was appended to the log: compaction comes sooner. */
  noteBatchStored(): void {
    this.rowsSinceCompaction += 1;
    this.scheduleForRows();
  }

  /** The memo was deleted: compaction does nothing from now on. */
  markMemoGone(): void {
    this.memoGone = true;
  }

  /** Schedules nothing more; a compaction run afterwards (the unload's last) still runs. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopped = true;
  }

  /** Folds the stored log into a snapshot now, if rows were appended since the last time. */
  async run(): Promise<void> {
    if (this.memoGone || this.rowsSinceCompaction === 0) return;
    const rowsBefore = this.rowsSinceCompaction;
    this.running = true;
    try {
      await this.options.compact();
    } catch (error) {
      this.running = false;
      this.failed(error);
      return;
    }
    this.running = false;
    this.rowsSinceCompaction = Math.max(0, this.rowsSinceCompaction - rowsBefore);
    if (this.failures === 0) return;
    this.options.log.info({ memoId: this.options.memoId, failures: this.failures }, "compaction succeeded again");
    this.failures = 0;
    // Batches stored during the backoff scheduled nothing.
    if (this.rowsSinceCompaction > 0) this.scheduleForRows();
  }

  private scheduleForRows(): void {
    const { compactAfterRows, compactIdleMs } = this.options.timing;
    this.schedule(this.rowsSinceCompaction >= compactAfterRows ? 0 : compactIdleMs);
  }

  private schedule(delayMs: number): void {
    if (this.stopped || (this.failures > 0 && (this.running || this.timer))) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
    this.timer.unref();
  }

  private failed(error: unknown): void {
    const { memoId, log, metrics, timing } = this.options;
    this.failures += 1;
    metrics?.compactionFailures.inc();
    const retryMs = Math.min(timing.compactIdleMs * 2 ** (this.failures - 1), COMPACT_RETRY_MAX_MS);
    if (this.failures === 1) {
      log.warn(
        { err: error, memoId, retryMs },
        "compaction failed; retrying with backoff, logged again once it succeeds",
      );
    } else {
      log.debug({ memoId, failures: this.failures, retryMs, error: String(error) }, "compaction failed again");
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule(retryMs);
  }
}
