import type { PrismaClient } from "../db";

// Failed sign-ins are counted per account (email) and per network address in PostgreSQL, so the
// limit holds across restarts and across several server instances.

/** A throttling rule: `maxFailures` within `windowMs` blocks the key for `blockMs`. */
export type ThrottleRule = { maxFailures: number; windowMs: number; blockMs: number };

export const THROTTLE_RULES = {
  email: { maxFailures: 5, windowMs: 15 * 60_000, blockMs: 15 * 60_000 },
  ip: { maxFailures: 50, windowMs: 15 * 60_000, blockMs: 15 * 60_000 },
} satisfies Record<string, ThrottleRule>;

export type ThrottleKey = { key: string; rule: ThrottleRule };

/** The throttle keys of one sign-in attempt. */
export function throttleKeys(email: string, ip: string | null): ThrottleKey[] {
  const keys: ThrottleKey[] = [{ key: `email:${email}`, rule: THROTTLE_RULES.email }];
  if (ip) keys.push({ key: `ip:${ip}`, rule: THROTTLE_RULES.ip });
  return keys;
}

/** Seconds until the longest active block among `keys` ends, or 0 when none is blocked. */
export async function blockedForSeconds(db: PrismaClient, keys: ThrottleKey[], now = new Date()): Promise<number> {
  const rows = await db.signInThrottle.findMany({
    where: { key: { in: keys.map((k) => k.key) }, blockedUntil: { gt: now } },
    select: { blockedUntil: true },
  });
  const until = Math.max(0, ...rows.map((row) => row.blockedUntil!.getTime()));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

/** Counts one failure against each key; returns the seconds of block this failure started (0 if none). */
export async function recordFailure(db: PrismaClient, keys: ThrottleKey[], now = new Date()): Promise<number> {
  let blockedSeconds = 0;
  for (const { key, rule } of keys) {
    const blockedUntil = await db.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO "SignInThrottle" ("key", "failures", "windowStart") VALUES (${key}, 0, ${now}) ON CONFLICT ("key") DO NOTHING`;
      // Row lock: concurrent failures for one key are counted one after another.
      await tx.$queryRaw`SELECT 1 FROM "SignInThrottle" WHERE "key" = ${key} FOR UPDATE`;
      const row = await tx.signInThrottle.findUniqueOrThrow({ where: { key } });
      const windowExpired = now.getTime() - row.windowStart.getTime() > rule.windowMs;
      const failures = windowExpired ? 1 : row.failures + 1;
      const block = failures >= rule.maxFailures ? new Date(now.getTime() + rule.blockMs) : row.blockedUntil;
      await tx.signInThrottle.update({
        where: { key },
        data: { failures, windowStart: windowExpired ? now : row.windowStart, blockedUntil: block },
      });
      return block;
    });
    if (blockedUntil && blockedUntil > now) {
      blockedSeconds = Math.max(blockedSeconds, Math.ceil((blockedUntil.getTime() - now.getTime()) / 1000));
    }
  }
  return blockedSeconds;
}

/** Forgets the failures of an account after a successful sign-in. */
export async function clearFailures(db: PrismaClient, email: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: `email:${email}` } });
}
