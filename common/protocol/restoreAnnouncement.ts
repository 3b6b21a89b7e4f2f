import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { z } from "zod";

// "Someone restored a version": a restore replaces colleagues' text in one step, so everyone who
// has the memo open is told who restored which version and which version holds the text as it was
// (to undo it). The collaboration server encodes it when it hears of the restore (a memo event,
// server/memos/memoEvents.ts); the editor decodes it, and ignores anything not in this shape.

/** The message type (server → client), after the y-websocket ones and ours (protocol.ts). */
export const RESTORED_MESSAGE = 104;

export const restoreAnnouncement = z.strictObject({
  byUserId: z.string().uuid(),
  byName: z.string().min(1).max(200),
  restoredFrom: z.number().int().positive(),
  /** The version saved just before the restore (null when the memo already matched a version). */
  savedBefore: z.strictObject({ id: z.string().uuid(), number: z.number().int().positive() }).nullable(),
  at: z.iso.datetime(),
});
export type RestoreAnnouncement = z.infer<typeof restoreAnnouncement>;

export function encodeRestoreAnnouncement(announcement: RestoreAnnouncement): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, RESTORED_MESSAGE);
  encoding.writeVarString(encoder, JSON.stringify(announcement));
  return encoding.toUint8Array(encoder);
}

/** The announcement in a message's payload (after its type), or null when it is not one. */
export function readRestoreAnnouncement(decoder: decoding.Decoder): RestoreAnnouncement | null {
  try {
    const parsed = restoreAnnouncement.safeParse(JSON.parse(decoding.readVarString(decoder)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
