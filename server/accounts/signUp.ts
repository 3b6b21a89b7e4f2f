import type { PrismaClient } from "../db";
import { acceptPendingInvites, lockInvitationsFor } from "../sharing/sharingCommands";
import { conflict, invalidInput } from "../errors";
import { signUpInput } from "./accountInput";
import { hashPassword } from "./passwords";

/** The public facts of an account. */
export type AccountSummary = { id: string; email: string; name: string };

/**
 * Creates an account and turns invitations waiting for its email into memberships. Throws
 * invalid_input with field errors, or conflict when the email is taken.
 */
export async function signUp(db: PrismaClient, input: unknown): Promise<AccountSummary> {
  const parsed = signUpInput.safeParse(input);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
    throw invalidInput(parsed.error.issues[0].message, { fields });
  }
  const { name, email, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  try {
    return await db.$transaction(async (tx) => {
      await lockInvitationsFor(tx, email);
      const user = await tx.user.create({ data: { name, email, passwordHash }, select: { id: true, email: true, name: true } });
      await acceptPendingInvites(tx, user);
      return user;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw conflict("An account with this email already exists. Sign in instead.");
    }
    throw error;
  }
}
