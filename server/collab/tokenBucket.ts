// A token bucket: tokens come back at `perSecond` and at most `burst` are saved up. The server
// uses two kinds: a connection's message and byte rates take() what a frame costs and refuse it
// when too few tokens are left (limits.ts), and a memo's write budget (outgoingTurn.ts) asks how
// long a broadcast must wait (waitFor) and then spends its writes, which may leave the bucket in
// debt, so that however many people type its writes per second stay bounded on average.

/** A token bucket. Times are milliseconds of a monotonic clock (performance.now unless given). */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    /** Milliseconds from a monotonic clock (tests pass their own). */
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.updatedAt = clock();
  }

  /** Spends `cost` tokens if that many are there; false (and nothing spent) otherwise. */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /**
   * Milliseconds to wait before `cost` may be spent (0: now). More than the burst waits for a
   * full bucket; spending it then leaves the bucket in debt, so the average rate still holds.
   */
  waitFor(cost: number): number {
    this.refill();
    const missing = Math.min(cost, this.burst) - this.tokens;
    return missing <= 0 ? 0 : (missing / this.perSecond) * 1000;
  }

  /** Spends `cost` tokens whether or not they are there (what went out went out). */
  spend(cost: number): void {
    this.refill();
    this.tokens -= cost;
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
  }
}
