import { z } from "zod";
import type { Db } from "../db";

// Changes of who may open a memo travel through PostgreSQL NOTIFY, so the collaboration server
// hears about them whichever process made them (a route handler in the Next.js bundle, another
// instance) and only once the change is committed (NOTIFY inside a transaction is delivered at
// COMMIT).

export const ACCESS_CHANNEL = "demarche_memo_access";

/**
 * A memo whose members or roles changed, or that was deleted; or whose comments changed (the
 * collaboration server tells the memo's open clients to fetch them again).
 */
export const accessEvent = z.discriminatedUnion("kind", [
  z.object({ memoId: z.string().uuid(), kind: z.enum(["changed", "deleted"]) }),
  z.object({ memoId: z.string().uuid(), kind: z.literal("comments"), threadId: z.string().uuid().optional() }),
]);
export type AccessEvent = z.infer<typeof accessEvent>;

/** Announces an access change (delivered when the surrounding transaction commits). */
export async function publishAccessEvent(db: Db, event: AccessEvent): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${ACCESS_CHANNEL}, ${JSON.stringify(event)})`;
}
