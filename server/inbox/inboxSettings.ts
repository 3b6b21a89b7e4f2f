import { z } from "zod";
import type { Db, PrismaClient } from "../db";
import { parseInput } from "../validation/parseInput";

// A person's choice about inbox email (sent only when the server has SMTP_URL).

const settingsInput = z.object({ email: z.boolean() }).strict();

export async function inboxEmailOn(db: Db, userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { inboxEmail: true } });
  return user?.inboxEmail ?? false;
}

/**
 * Turns inbox email on or off for the user: { email: boolean }. Turning it on sends what arrives
 * from then on, not what arrived while it was off.
 */
export async function setInboxEmail(db: PrismaClient, userId: string, input: unknown): Promise<{ email: boolean }> {
  const { email } = parseInput(settingsInput, input);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { inboxEmail: email } });
    if (email) await tx.inboxItem.updateMany({ where: { userId, mailedAt: null }, data: { mailedAt: new Date() } });
  });
  return { email };
}
