import { z } from "zod";

// The shape of a presence (awareness) state, for both sides: the server refuses anything else from
// a client, and the browser ignores anything else from the server (an old server, or another
// client relayed by one, must not be able to make an editor plugin throw). A state travels as JSON;
// its caret is a pair of Yjs relative positions as `Y.relativePositionToJSON` writes them.

const MAX_NAME = 200;
/** Yjs client ids and clocks are unsigned 53-bit integers. */
const yInteger = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A Yjs item id. */
const yId = z.strictObject({ client: yInteger, clock: yInteger });

/**
 * A Yjs relative position: just before an item (`item`, with its parent's id in `type`), or at the
 * end of a type, named by its root name (`tname`) or by the item that holds it (`type`).
 */
export const relativePositionJson = z
  .strictObject({
    type: yId.nullable().optional(),
    tname: z.string().max(64).nullable().optional(),
    item: yId.nullable().optional(),
    assoc: z.number().int().min(-1).max(1).optional(),
  })
  .refine((position) => position.item != null || position.type != null || position.tname != null, {
    message: "a relative position names an item or a type",
  });

export type RelativePositionJson = z.infer<typeof relativePositionJson>;

/** A caret: where the selection starts (`anchor`) and where it ends (`head`), or null when blurred. */
export const presenceCursor = z.strictObject({ anchor: relativePositionJson, head: relativePositionJson }).nullable();

export const PRESENCE_ACTIVITIES = ["active", "idle", "away"] as const;

/**
 * What our client publishes. `user` is replaced by the server with the signed-in identity, so its
 * contents do not matter beyond being a small object; every other field is ours and checked.
 */
export const clientPresenceState = z.strictObject({
  user: z.record(z.string().max(32), z.unknown()).optional(),
  activity: z.enum(PRESENCE_ACTIVITIES).optional(),
  cursor: presenceCursor.optional(),
});

export type ClientPresenceState = z.infer<typeof clientPresenceState>;

const hexColor = z.string().regex(/^#[0-9a-f]{6}$/i);

/** The identity the server writes into every relayed state. */
export const presenceUser = z.object({
  id: z.string().min(1).max(64),
  name: z.string().max(MAX_NAME),
  color: hexColor,
  role: z.enum(["owner", "editor", "commenter", "viewer"]),
});

/**
 * A state as the browser accepts it from others: the server's `user`, and our fields in their
 * shapes. Unknown fields are left out (a newer server may add some), never passed on.
 */
export const relayedPresenceState = z.object({
  user: presenceUser,
  activity: z.enum(PRESENCE_ACTIVITIES).optional(),
  cursor: presenceCursor.optional(),
});

export type RelayedPresenceState = z.infer<typeof relayedPresenceState>;

/** A relayed state in the shape the browser uses, or null when it cannot be used. */
export function usableRemotePresence(state: unknown): RelayedPresenceState | null {
  const parsed = relayedPresenceState.safeParse(state);
  return parsed.success ? parsed.data : null;
}

/** The item ids a caret refers to (for checking that they exist in the memo). */
export function cursorIds(cursor: z.infer<typeof presenceCursor> | undefined): { client: number; clock: number }[] {
  if (!cursor) return [];
  const ids = [];
  for (const position of [cursor.anchor, cursor.head]) {
    if (position.item) ids.push(position.item);
    if (position.type) ids.push(position.type);
  }
  return ids;
}
