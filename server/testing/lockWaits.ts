import pg from "pg";

// Deterministic races against PostgreSQL: a test pauses one transaction on a lock it holds, starts
// the other, and asks PostgreSQL (not a timer) when each is waiting.

/** How many sessions of this database wait for a lock (the asking session never does). */
async function sessionsWaitingForLocks(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
  );
  return Number(rows[0].count);
}

/**
 * Resolves true once at least `count` sessions wait for a lock, or false as soon as `giveUp()`
 * says there is no point waiting any more; fails after 10 s.
 */
async function untilSessionsWait(
  client: pg.Client,
  count: number,
  giveUp: () => boolean = () => false,
): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while ((await sessionsWaitingForLocks(client)) < count) {
    if (giveUp()) return false;
    if (Date.now() > deadline) throw new Error(`fewer than ${count} sessions waited for a lock`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** How a raced call ended: "done", or what it threw. */
export type RaceOutcome = "done" | unknown;

const outcomeOf = (run: () => Promise<unknown>): Promise<RaceOutcome> =>
  run().then(
    () => "done" as const,
    (error: unknown) => error,
  );

/**
 * Runs `first` held at its first write to `pausedTable` (a table lock this helper holds), starts
 * `second` once `first` waits there, lets `first` go once `second` waits too (or has already
 * finished), and returns how each ended. `secondFinishedFirst` tells that nothing ordered them:
 * `second` completed while `first` was still paused.
 */
export async function raceWithFirstPaused(
  databaseUrl: string,
  pausedTable: string,
  first: () => Promise<unknown>,
  second: () => Promise<unknown>,
): Promise<{ first: RaceOutcome; second: RaceOutcome; secondFinishedFirst: boolean }> {
  const holder = new pg.Client({ connectionString: databaseUrl });
  const observer = new pg.Client({ connectionString: databaseUrl });
  await Promise.all([holder.connect(), observer.connect()]);
  try {
    await holder.query("BEGIN");
    await holder.query(`LOCK TABLE "${pausedTable}" IN EXCLUSIVE MODE`);
    const firstDone = outcomeOf(first);
    await untilSessionsWait(observer, 1);
    let secondSettled = false;
    const secondDone = outcomeOf(second).finally(() => {
      secondSettled = true;
    });
    const secondFinishedFirst = !(await untilSessionsWait(observer, 2, () => secondSettled));
    await holder.query("COMMIT");
    return { first: await firstDone, second: await secondDone, secondFinishedFirst };
  } finally {
    await Promise.all([holder.end(), observer.end()]);
  }
}
