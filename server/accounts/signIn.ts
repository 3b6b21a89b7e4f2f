import type { PrismaClient } from "../db";
import { invalidCredentials, throttled } from "../errors";
import { emailAddress } from "./accountInput";
import { verifyPassword } from "./passwords";
import { blockedForSeconds, clearFailures, recordFailure, throttleKeys } from "./signInThrottle";
import type { AccountSummary } from "./signUp";

/**
 * Checks an email and password. Throws invalid_credentials (the same message whether or not the
 * email has an account) or throttled after repeated failures for the account or the address.
 */
export async function verifySignIn(
  db: PrismaClient,
  input: { email: unknown; password: unknown; ip: string | null },
): Promise<AccountSummary> {
  const email = emailAddress.safeParse(input.email);
  const password = typeof input.password === "string" ? input.password : "";
  if (!email.success || password.length === 0 || password.length > 256) throw invalidCredentials();

  const keys = throttleKeys(email.data, input.ip);
  const blocked = await blockedForSeconds(db, keys);
  if (blocked > 0) throw throttled(blocked);

  const user = await db.user.findUnique({
    where: { email: email.data },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  if (await verifyPassword(user?.passwordHash ?? null, password)) {
    await clearFailures(db, email.data);
    return { id: user!.id, email: user!.email, name: user!.name };
  }
  const nowBlocked = await recordFailure(db, keys);
  if (nowBlocked > 0) throw throttled(nowBlocked);
  throw invalidCredentials();
}
