import crypto from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "../db";
import { invalidInput, notFound } from "../errors";
import { emailAddress, newPassword } from "./accountInput";
import { hashPassword } from "./passwords";
import { forgetFailedSignIns } from "./signInThrottle";

// Password reset without email, for a self-hosted box: an operator issues a one-time link from
// the command line (`npm run accounts -- reset-password <email>`, scripts/accounts.ts) and hands it
// to the person, who chooses a new password at /reset-password. Only the SHA-256 of the token is
// stored, so a copy of the database lets nobody reset anything; a link works once, for an hour,
// and issuing a new one ends the ones before it.

/** How long a reset link works. */
export const RESET_LINK_MINUTES = 60;

const tokenHash = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

/** The shape of a token in a link: 32 random bytes, base64url. */
const resetToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This reset link is not valid.");

export const resetPasswordInput = z.object({ token: resetToken, password: newPassword });

const spentLink = () => invalidInput("This reset link has expired or was already used. Ask your administrator for a new one.", { fields: { token: "expired" } });

/** Issues a reset link's token for the account with this email, ending earlier unused ones. */
export async function issuePasswordReset(db: PrismaClient, email: string, now = new Date()): Promise<{ token: string; name: string; expiresAt: Date }> {
  const parsed = emailAddress.safeParse(email);
  if (!parsed.success) throw invalidInput(parsed.error.issues[0].message);
  const user = await db.user.findUnique({ where: { email: parsed.data }, select: { id: true, name: true } });
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
 */
export async function resetPassword(db: PrismaClient, input: unknown, now = new Date()): Promise<{ email: string }> {
  const parsed = resetPasswordInput.safeParse(input);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
    throw invalidInput(parsed.error.issues[0].message, { fields });
  }
  const where = { tokenHash: tokenHash(parsed.data.token), usedAt: null, expiresAt: { gt: now } };
  // Hashing costs tens of milliseconds of CPU: not for a token that cannot work.
  if ((await db.passwordReset.count({ where })) === 0) throw spentLink();
  const passwordHash = await hashPassword(parsed.data.password);
  const user = await db.$transaction(async (tx) => {
    const spent = await tx.passwordReset.updateManyAndReturn({ where, data: { usedAt: now }, select: { userId: true } });
    if (spent.length !== 1) throw spentLink();
    return tx.user.update({ where: { id: spent[0].userId }, data: { passwordHash }, select: { email: true } });
  });
  // The person proved who they are: earlier failed sign-ins no longer slow them down.
  await forgetFailedSignIns(db, user.email);
  return user;
}
