import type { Logger } from "pino";
import { setTimeout as sleep } from "node:timers/promises";

/** When automatic versions are taken. */
export type VersionTiming = {
  /** A version after this long without stored edits (a burst of editing settled)… */
  versionSettleMs: number;
  /** …and at least this often while editing goes on without a pause. */
  versionMaxBurstMs: number;
};

/**
 * Automatic versions decided but not stored yet, over every memo of a registry (unloaded ones
 * included, whose last version may still be on its way): for /readyz and /metrics.
 */
export class PendingVersions {
  /** Versions waiting to be recorded (their turn in the lane, or a retry). */
  waiting = 0;
  /** Of those, versions whose recording failed at least once and is being retried. */
  retrying = 0;
}

/** First wait before recording a failed version again; it doubles up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * Decides when a memo gets an automatic version: once per burst of editing, however many people
 * edit, when it settles or when it has gone on for too long. The recorder skips the version when
 * the text did not change, so a burst that ends where it started leaves no trace, and a retry of
 * a version whose transaction did commit makes no second one.
 *
 * A version that could not be recorded (the database busy or down) is retried with backoff until
 * it is stored, logged once when it starts failing and once when it is stored: an editing session
 * is never missing from the history because a connection was busy. Only at shutdown is there a
 * limit (flush's `giveUpAfterMs`), after which what was not stored is logged as an error.
 */
export class VersionScheduler {
  private burstStartedAt: number | undefined;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private recording: Promise<void> = Promise.resolve();
  private giveUpAt: number | undefined;

  constructor(
    private readonly timing: VersionTiming,
    private readonly record: () => Promise<void>,
    private readonly log: Logger,
    private readonly pending: PendingVersions = new PendingVersions(),
  ) {}

  /** Called after a batch of edits was stored. */
  noteStoredEdits(now = Date.now()): void {
    this.burstStartedAt ??= now;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    if (now - this.burstStartedAt >= this.timing.versionMaxBurstMs) {
      void this.takeVersion();
      return;
    }
    this.settleTimer = setTimeout(() => void this.takeVersion(), this.timing.versionSettleMs);
    this.settleTimer.unref();
  }

  private takeVersion(): Promise<void> {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    if (this.burstStartedAt === undefined) return this.recording;
    this.burstStartedAt = undefined;
    this.pending.waiting++;
    this.recording = this.recording.then(() => this.recordUntilStored()).finally(() => this.pending.waiting--);
    return this.recording;
  }

  private async recordUntilStored(): Promise<void> {
    let failures = 0;
    try {
      for (let delay = RETRY_FIRST_MS; ; delay = Math.min(RETRY_MAX_MS, delay * 2)) {
        try {
          await this.record();
          if (failures > 0) this.log.info({ failures }, "automatic version recorded after retrying");
          return;
        } catch (error) {
          if (failures++ === 0) {
            this.pending.retrying++;
            this.log.warn({ err: error }, "automatic version failed; retrying until it is stored");
          }
          if (this.giveUpAt !== undefined && Date.now() + delay > this.giveUpAt) {
            this.log.error({ err: error, failures }, "automatic version not recorded before shutdown");
            return;
          }
          await sleep(delay);
        }
      }
    } finally {
      if (failures > 0) this.pending.retrying--;
    }
  }

  /**
   * Takes the pending version now (the memo is being unloaded or the server stops) and resolves
   * once every version of this memo is stored; with `giveUpAfterMs` (shutdown), retries end then.
   */
  flush(giveUpAfterMs?: number): Promise<void> {
    if (giveUpAfterMs !== undefined) this.giveUpAfter(giveUpAfterMs);
    return this.takeVersion();
  }

  /** Ends retries `ms` from now (the server stops): what is not stored by then is logged as lost. */
  giveUpAfter(ms: number): void {
    this.giveUpAt = Math.min(this.giveUpAt ?? Infinity, Date.now() + ms);
  }

  stop(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
  }
}
