// How often a memo may broadcast: a token bucket of socket writes. One broadcast costs one write
// per connection; tokens come back at `perSecond` and at most `burst` are saved up. A memo whose
// broadcasts fit the budget sends every one at once; a memo that would exceed it waits for the
// tokens, so its writes per second stay bounded however many people type.

/** A token bucket of socket writes for one memo. Times are performance.now() milliseconds. */
export class WriteBudget {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now = performance.now(),
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /**
   * Milliseconds to wait before `writes` may go out (0: now). More writes than the burst wait for a
   * full bucket; spending them then leaves it in debt, so the average rate still holds.
   */
  waitFor(writes: number, now = performance.now()): number {
    this.refill(now);
    const missing = Math.min(writes, this.burst) - this.tokens;
    return missing <= 0 ? 0 : (missing / this.perSecond) * 1000;
  }

  /** Records writes that went out. */
  spend(writes: number, now = performance.now()): void {
    this.refill(now);
    this.tokens -= writes;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
  }
}
