import type { PrismaClient } from "../db";
import { addressKey } from "../http/clientAddress";

// Failed sign-ins slow down guessing without handing anyone a way to lock a colleague out.
//
// - Per (account, address): a few failures are free, then each one makes that pair wait twice as
//   long as the last, up to 15 minutes. Someone guessing from elsewhere slows only their own pair:
//   the account's owner, from their own address, signs in as usual.
// - Per address, across accounts: one address trying many accounts is blocked for a while.
//
// An attempt is counted before its password is checked and forgotten if the password was right,
// so guesses sent in parallel cannot all pass a check made before any of them failed. Counts live
// in PostgreSQL, so they hold across restarts and across several server instances.

/** The backoff of one (account, address) pair. */
export const PAIR_BACKOFF = {
  /** Failures in a row that cost nothing (typos). */
  freeFailures: 3,
  /** The wait after the first failure past the free ones; each further failure doubles it… */
  firstDelayMs: 5_000,
  /** …up to this. */
  maxDelayMs: 15 * 60_000,
  /** A pair with no failure for this long starts again from zero. */
  forgetAfterMs: 24 * 60 * 60_000,
};

/** The cap of one address across accounts: `maxFailures` within `windowMs` blocks it for `blockMs`. */
export const ADDRESS_CAP = { maxFailures: 50, windowMs: 15 * 60_000, blockMs: 15 * 60_000 };

/** The wait after a pair's `failures`-th failure in a row (0 while they are free). */
export function pairDelayMs(failures: number): number {
  const past = failures - PAIR_BACKOFF.freeFailures;
  if (past <= 0) return 0;
  return Math.min(PAIR_BACKOFF.maxDelayMs, PAIR_BACKOFF.firstDelayMs * 2 ** Math.min(past - 1, 30));
}

/** One counter: its row key, how long its failures are remembered and the block after the nth. */
export type ThrottleKey = { key: string; windowMs: number; blockMsAfter: (failures: number) => number };

/**
 * The counters of one sign-in attempt; without a known address, only the pair "account, unknown".
 * An IPv6 address counts by its /64 network (clientAddress.ts).
 */
export function throttleKeys(email: string, address: string | null): ThrottleKey[] {
  const where = address === null ? "unknown" : addressKey(address);
  const keys: ThrottleKey[] = [
    { key: `pair:${email} ${where}`, windowMs: PAIR_BACKOFF.forgetAfterMs, blockMsAfter: pairDelayMs },
  ];
  if (address !== null) {
    keys.push({
      key: `ip:${where}`,
      windowMs: ADDRESS_CAP.windowMs,
      blockMsAfter: (failures) => (failures >= ADDRESS_CAP.maxFailures ? ADDRESS_CAP.blockMs : 0),
    });
  }
  return keys;
}

const secondsUntil = (until: Date, now: Date) => Math.ceil((until.getTime() - now.getTime()) / 1000);

/**
 * Counts an attempt as a failure of each key, unless one of them is blocked: then nothing is
 * counted and the seconds until the longest block ends are returned. Otherwise returns 0, or the
 * block this attempt starts should it fail, as `blocksFor` seconds.
 */
export async function reserveAttempt(
  db: PrismaClient,
  keys: ThrottleKey[],
  now = new Date(),
): Promise<{ blockedSeconds: number; blocksFor: number }> {
  await pruneNowAndThen(db, now);
  return db.$transaction(async (tx) => {
    const rows = [];
    // Locked in the order of `keys` (pair, then address) by every attempt, so two attempts never
    // wait for each other in a circle.
    for (const { key } of keys) {
      await tx.$executeRaw`INSERT INTO "SignInThrottle" ("key", "failures", "windowStart") VALUES (${key}, 0, ${now}) ON CONFLICT ("key") DO NOTHING`;
      const [row] = await tx.$queryRaw<{ failures: number; windowStart: Date; blockedUntil: Date | null }[]>`
        SELECT "failures", "windowStart", "blockedUntil" FROM "SignInThrottle" WHERE "key" = ${key} FOR UPDATE`;
      rows.push(row);
    }
    const blockedSeconds = Math.max(
      0,
      ...rows.map((row) => (row.blockedUntil && row.blockedUntil > now ? secondsUntil(row.blockedUntil, now) : 0)),
    );
    if (blockedSeconds > 0) return { blockedSeconds, blocksFor: 0 };
    let blocksFor = 0;
    for (const [index, { key, windowMs, blockMsAfter }] of keys.entries()) {
      const row = rows[index];
      const windowExpired = now.getTime() - row.windowStart.getTime() > windowMs;
      const failures = windowExpired ? 1 : row.failures + 1;
      const blockMs = blockMsAfter(failures);
      const blockedUntil = blockMs > 0 ? new Date(now.getTime() + blockMs) : null;
      if (blockedUntil) blocksFor = Math.max(blocksFor, secondsUntil(blockedUntil, now));
      // For the pair, the window restarts with every failure: it is forgotten a day after the last.
      const windowStart = windowExpired || key.startsWith("pair:") ? now : row.windowStart;
      await tx.signInThrottle.update({ where: { key }, data: { failures, windowStart, blockedUntil } });
    }
    return { blockedSeconds: 0, blocksFor };
  });
}

/**
 * Takes back an attempt whose password was right: the pair starts again from zero, and the
 * address is credited the failure reserveAttempt counted (and any block that count started).
 */
export async function forgiveAttempt(db: PrismaClient, keys: ThrottleKey[]): Promise<void> {
  const [pair, ...others] = keys;
  await db.signInThrottle.deleteMany({ where: { key: pair.key } });
  for (const { key } of others) {
    await db.$executeRaw`
      UPDATE "SignInThrottle"
         SET "failures" = GREATEST("failures" - 1, 0),
             "blockedUntil" = CASE WHEN "failures" - 1 < ${ADDRESS_CAP.maxFailures} THEN NULL ELSE "blockedUntil" END
       WHERE "key" = ${key}`;
  }
}

/** Forgets an account's failed sign-ins from every address (its password was just reset). */
export async function forgetFailedSignIns(db: PrismaClient, email: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: { startsWith: `pair:${email} ` } } });
}

/** The longest any counter is remembered: a row untouched this long, and not blocking, counts nothing. */
const LONGEST_WINDOW_MS = Math.max(PAIR_BACKOFF.forgetAfterMs, ADDRESS_CAP.windowMs);
/** How often one process sweeps the counters. */
export const PRUNE_EVERY_MS = 10 * 60_000;
let lastPrune = 0;

/**
 * Deletes counters that no longer count: every failure in their window is forgotten and no block is
 * running. Without it each new (account, address) pair a guesser tries leaves a row for good; with
 * it the table holds about a day of failures. Returns how many rows went.
 */
export async function pruneSignInThrottle(db: PrismaClient, now = new Date()): Promise<number> {
  const forgottenBefore = new Date(now.getTime() - LONGEST_WINDOW_MS);
  const { count } = await db.signInThrottle.deleteMany({
    where: { windowStart: { lt: forgottenBefore }, OR: [{ blockedUntil: null }, { blockedUntil: { lte: now } }] },
  });
  return count;
}

// At most once per PRUNE_EVERY_MS per process, from the sign-in path itself (no timer to start or
// stop); a failed sweep is tried again at the next attempt and never fails the sign-in.
async function pruneNowAndThen(db: PrismaClient, now: Date): Promise<void> {
  if (now.getTime() - lastPrune < PRUNE_EVERY_MS) return;
  lastPrune = now.getTime();
  await pruneSignInThrottle(db, now).catch(() => {
    lastPrune = 0;
  });
}
