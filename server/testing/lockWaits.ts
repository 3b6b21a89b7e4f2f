import type pg from "pg";

// Deterministic races against PostgreSQL: a test pauses one transaction on a lock it holds, starts
// the other, and asks PostgreSQL (not a timer) when each is waiting.

/** How many sessions of this database wait for a lock (the asking session never does). */
export async function sessionsWaitingForLocks(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
  );
  return Number(rows[0].count);
}

/** Resolves once at least `count` sessions wait for a lock; fails after 10 s. */
export async function untilSessionsWait(client: pg.Client, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await sessionsWaitingForLocks(client)) < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} sessions waited for a lock`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
