import type { PrismaClient } from "../db";
import { acceptPendingInvites, lockInvitationsFor } from "../sharing/sharingCommands";
import { conflict } from "../errors";
import { parseInput } from "../validation/parseInput";
import { signUpInput } from "./accountInput";
import { hashPassword } from "./passwords";

/** The public facts of an account. */
export type AccountSummary = { id: string; email: string; name: string };

/**
 * Creates an account and turns invitations waiting for its email into memberships. Throws
 * invalid_input listing each field's problem, or conflict when the email is taken.
 */
export async function signUp(db: PrismaClient, input: unknown): Promise<AccountSummary> {
  const { name, email, password } = parseInput(signUpInput, input);
  const passwordHash = await hashPassword(password);
  try {
    return await db.$transaction(async (tx) => {
      await lockInvitationsFor(tx, email);
      const user = await tx.user.create({
        data: { name, email, passwordHash },
        select: { id: true, email: true, name: true },
      });
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
