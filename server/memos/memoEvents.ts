import { z } from "zod";
import { restoreAnnouncement } from "../../common/protocol/restoreAnnouncement";
import type { Db } from "../db";

// Changes made outside the collaboration server travel to it through PostgreSQL NOTIFY, so it
// hears about them whichever process made them (a route handler in the Next.js bundle, another
// instance) and only once the change is committed (NOTIFY inside a transaction is delivered at
// COMMIT): who may open a memo ("changed"), its deletion ("deleted"), and document updates
// written straight to its log, such as a restore ("updated", with the log row's seq), its
// comments ("comments") and a restore to announce ("restored"): memo events; a user's
// sessions that ended ("sessionsEnded"), whose WebSockets must close; and people whose inbox
// changed ("inbox"), whose open pages hear of it.

/**
 * The NOTIFY channel of memo events. Its name is older than the events beyond access changes;
 * kept, so that processes of two releases running side by side during a deploy still hear each other.
 */
export const MEMO_EVENTS_CHANNEL = "demarche_memo_access";

/**
 * A memo whose members or roles changed, that was deleted, or whose log got an update; or whose
 * comments changed (the collaboration server tells the memo's open clients to fetch them again).
 */
export const memoEvent = z.discriminatedUnion("kind", [
  z.object({ memoId: z.string().uuid(), kind: z.literal("changed") }),
  z.object({ memoId: z.string().uuid(), kind: z.literal("deleted") }),
  z.object({ memoId: z.string().uuid(), kind: z.literal("updated"), seq: z.string().regex(/^\d+$/) }),
  z.object({ memoId: z.string().uuid(), kind: z.literal("comments"), threadId: z.string().uuid().optional() }),
  // A restore, for the memo's open clients to announce (after its "updated").
  z.object({ memoId: z.string().uuid(), kind: z.literal("restored"), announcement: restoreAnnouncement }),
  // Not a memo's: people whose inbox changed (server/inbox/), whose open pages every instance tells.
  z.object({ kind: z.literal("inbox"), userIds: z.array(z.string().uuid()).min(1).max(100) }),
  // Not a memo's: a user's sessions that ended (signed out, revoked, password reset), whose open
  // WebSockets every instance closes (server/accounts/userSessions.ts).
  z.object({
    kind: z.literal("sessionsEnded"),
    userId: z.string().uuid(),
    sessionIds: z.array(z.string().uuid()).max(100),
  }),
]);
export type MemoEvent = z.infer<typeof memoEvent>;

/** Announces a memo event (delivered when the surrounding transaction commits). */
export async function publishMemoEvent(db: Db, event: MemoEvent): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${MEMO_EVENTS_CHANNEL}, ${JSON.stringify(event)})`;
}
