import { z } from "zod";

// "Someone restored a version": a restore replaces colleagues' text in one step, so everyone who
// has the memo open is told who restored which version and which version holds the text as it was
// (to undo it). The collaboration server sends it when it hears of the restore (a memo event,
// server/memos/memoEvents.ts), as a Restored message (protocol.ts, which writes and reads it); the
// editor ignores anything not in this shape.

/** What a restore announcement holds. */
export const restoreAnnouncement = z.strictObject({
  byUserId: z.string().uuid(),
  byName: z.string().min(1).max(200),
  restoredFrom: z.number().int().positive(),
  /** The version saved just before the restore (null when the memo already matched a version). */
  savedBefore: z.strictObject({ id: z.string().uuid(), number: z.number().int().positive() }).nullable(),
  at: z.iso.datetime(),
});
export type RestoreAnnouncement = z.infer<typeof restoreAnnouncement>;
