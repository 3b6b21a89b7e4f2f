import type { Logger } from "pino";

/** When automatic versions are taken. */
export type VersionTiming = {
  /** A version after this long without stored edits (a burst of editing settled)… */
  versionSettleMs: number;
  /** …and at least this often while editing goes on without a pause. */
  versionMaxBurstMs: number;
};

/**
 * Decides when a memo gets an automatic version: once per burst of editing, however many people
 * edit, when it settles or when it has gone on for too long. The recorder skips the version when
 * the text did not change, so a burst that ends where it started leaves no trace.
 */
export class VersionScheduler {
  private burstStartedAt: number | undefined;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private recording: Promise<void> = Promise.resolve();

  constructor(
    private readonly timing: VersionTiming,
    private readonly record: () => Promise<void>,
    private readonly log: Logger,
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
    this.recording = this.recording.then(() =>
      this.record().catch((error: unknown) => this.log.warn({ err: error }, "automatic version failed")),
    );
    return this.recording;
  }

  /** Takes the pending version now (the memo is being unloaded or the server stops). */
  flush(): Promise<void> {
    return this.takeVersion();
  }

  stop(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
  }
}
