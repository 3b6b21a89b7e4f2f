import type { PrismaClient } from "../db";
import { invalidCredentials, throttled } from "../errors";
import { emailAddress } from "./accountInput";
import { verifyPassword } from "./passwords";
import { forgiveAttempt, reserveAttempt, throttleKeys } from "./signInThrottle";
import type { AccountSummary } from "./signUp";

/**
 * Checks an email and password from a network address (see server/http/clientAddress.ts).
 * Throws invalid_credentials (the same message whether or not the email has an account), or
 * throttled while this account has failed too often from this address, or this address too often
 * across accounts (signInThrottle.ts).
 */
export async function verifySignIn(
  db: PrismaClient,
  input: { email: unknown; password: unknown; ip: string | null },
): Promise<AccountSummary> {
  const email = emailAddress.safeParse(input.email);
  const password = typeof input.password === "string" ? input.password : "";
  if (!email.success || password.length === 0 || password.length > 256) throw invalidCredentials();

  const keys = throttleKeys(email.data, input.ip);
  const attempt = await reserveAttempt(db, keys);
  if (attempt.blockedSeconds > 0) throw throttled(attempt.blockedSeconds);

  const user = await db.user.findUnique({
    where: { email: email.data },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  if (await verifyPassword(user?.passwordHash ?? null, password)) {
    await forgiveAttempt(db, keys);
    return { id: user!.id, email: user!.email, name: user!.name };
  }
  if (attempt.blocksFor > 0) throw throttled(attempt.blocksFor);
  throw invalidCredentials();
}
