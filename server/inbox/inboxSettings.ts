import { z } from "zod";
import type { Db } from "../db";
import { parseInput } from "../validation/parseInput";

// A person's choice about inbox email (sent only when the server has SMTP_URL).

const settingsInput = z.object({ email: z.boolean() }).strict();

export async function inboxEmailOn(db: Db, userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { inboxEmail: true } });
  return user?.inboxEmail ?? false;
}

/** Turns inbox email on or off for the user: { email: boolean }. */
export async function setInboxEmail(db: Db, userId: string, input: unknown): Promise<{ email: boolean }> {
  const { email } = parseInput(settingsInput, input);
  await db.user.update({ where: { id: userId }, data: { inboxEmail: email } });
  return { email };
}
