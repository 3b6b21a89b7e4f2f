import crypto from "node:crypto";
import type { PrismaClient } from "../db";
import { invalidInput, notFound } from "../errors";
import { parseInput } from "../validation/parseInput";
import { emailAddress, resetPasswordInput } from "./accountInput";
import { hashPassword } from "./passwords";
import { forgetFailedSignIns } from "./signInThrottle";
import { endAllSessions } from "./userSessions";

// Password reset without email, for a self-hosted box: an operator issues a one-time link from
// the command line (`npm run accounts -- reset-password <email>`, scripts/accounts.ts) and hands it
// to the person, who chooses a new password at /reset-password. Only the SHA-256 of the token is
// stored, so a copy of the database lets nobody reset anything; a link works once, for an hour,
// and issuing a new one ends the ones before it.

/** How long a reset link works. */
export const RESET_LINK_MINUTES = 60;

const tokenHash = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

const SPENT_LINK = "This reset link has expired or was already used. Ask your administrator for a new one.";
const spentLink = () => invalidInput(SPENT_LINK, [{ path: ["token"], message: SPENT_LINK }]);

/** Issues a reset link's token for the account with this email, ending earlier unused ones. */
export async function issuePasswordReset(
  db: PrismaClient,
  email: string,
  now = new Date(),
): Promise<{ token: string; name: string; expiresAt: Date }> {
  const user = await db.user.findUnique({
    where: { email: parseInput(emailAddress, email) },
    select: { id: true, name: true },
  });
  if (!user) throw notFound("Account");
  const token = crypto.randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + RESET_LINK_MINUTES * 60_000);
  await db.$transaction([
    db.passwordReset.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } }),
    db.passwordReset.create({ data: { userId: user.id, tokenHash: tokenHash(token), expiresAt } }),
  ]);
  return { token, name: user.name, expiresAt };
}

/**
 * Sets a new password with a reset link's token, once: the token is spent in the same statement
 * that finds it, so two submissions of one link cannot both succeed. Throws invalid_input for a
 * token that is unknown, used or expired (one message for all three) or a password that is too weak.
 * Every session of the account ends.
 */
export async function resetPassword(db: PrismaClient, input: unknown, now = new Date()): Promise<{ email: string }> {
  const { token, password } = parseInput(resetPasswordInput, input);
  const where = { tokenHash: tokenHash(token), usedAt: null, expiresAt: { gt: now } };
  // Hashing costs tens of milliseconds of CPU: not for a token that cannot work.
  if ((await db.passwordReset.count({ where })) === 0) throw spentLink();
  const passwordHash = await hashPassword(password);
  const user = await db.$transaction(async (tx) => {
    const spent = await tx.passwordReset.updateManyAndReturn({
      where,
      data: { usedAt: now },
      select: { userId: true },
    });
    if (spent.length !== 1) throw spentLink();
    return tx.user.update({
      where: { id: spent[0].userId },
      data: { passwordHash },
      select: { id: true, email: true },
    });
  });
  // Whoever knew the old password may hold a signed-in browser: every session ends, and their
  // open memos close (the person signs in again with the new password).
  await endAllSessions(db, user.id, now);
  // The person proved who they are: earlier failed sign-ins no longer slow them down.
  await forgetFailedSignIns(db, user.email);
  return { email: user.email };
}
