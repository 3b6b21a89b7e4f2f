import { clientPresenceState } from "../../common/protocol/presenceState";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { presenceColor } from "../../common/sharing/presenceColor";
import type { CollabConnection } from "./collabConnection";
import { invalidPayload, policyViolation } from "./collabRefusals";
import { readAwarenessUpdate, writeAwarenessUpdate, type AwarenessEntry } from "../../common/protocol/protocol";

// Presence (awareness) is bound to the authenticated user. A connection may speak only for the
// awareness client ids it claimed first (a browser tab uses one), never for another connection's,
// and whatever it says about `user`, the server replaces it with the signed-in user's identity.
// y-websocket clients echo the states of others back to the server (they forward every awareness
// change, remote ones included); such echoes are no newer than what the server has and are
// dropped quietly, while a newer state for someone else's client id is a forgery.
// The state itself must have the shape our client sends (common/protocol/presenceState.ts), with a caret
// that points into this memo: every other browser in the memo hands it to y-tiptap's caret plugin,
// which threw on every transaction for a caret it could not decode (and so froze those editors).

/** Client ids one connection may claim (a tab uses one; a reconnect reuses it). */
const MAX_CLIENT_IDS_PER_CONNECTION = 4;

/** Who speaks for which awareness client id (the room keeps the claims). */
export type PresenceClaims = {
  /** The connection that claimed a client id, if any. */
  claimedBy(clientId: number): CollabConnection | undefined;
  /** The latest clock the server has for a client id (-1 if none). */
  currentClock(clientId: number): number;
  /** Claims a client id for a connection. */
  claim(connection: CollabConnection, clientId: number): "ok" | "too many";
};

function readEntries(update: Uint8Array): AwarenessEntry[] {
  try {
    return readAwarenessUpdate(update);
  } catch {
    throw invalidPayload("malformed awareness update");
  }
}

/**
 * Checks who an awareness update speaks for and rewrites each state's `user` to the real one.
 * Returns null when nothing in it is new (only echoes).
 */
export function bindPresence(
  update: Uint8Array,
  connection: CollabConnection,
  claims: PresenceClaims,
): Uint8Array | null {
  const kept: AwarenessEntry[] = [];
  for (const entry of readEntries(update)) {
    const owner = claims.claimedBy(entry.clientId);
    const isEcho = entry.clock <= claims.currentClock(entry.clientId);
    if (owner && owner !== connection) {
      if (isEcho) continue;
      throw policyViolation("presence for another client");
    }
    if (!owner && isEcho) continue;
    // Checked before the client id is claimed: a refused state claims nothing.
    const state = entry.state === null ? null : { ...checkedState(entry.state), user: identityOf(connection) };
    if (!owner && claims.claim(connection, entry.clientId) === "too many")
      throw policyViolation("too many presence client ids");
    kept.push({ ...entry, state });
  }
  return kept.length === 0 ? null : writeAwarenessUpdate(kept);
}

const identityOf = (connection: CollabConnection) => ({
  id: connection.user.id,
  name: connection.user.name,
  color: presenceColor(connection.user.id),
  role: connection.role,
});

/** The state's own fields (without `user`), or a violation if it is not in our client's shape. */
function checkedState(state: unknown): Record<string, unknown> {
  const parsed = clientPresenceState.safeParse(state);
  if (!parsed.success) throw policyViolation("malformed presence state");
  const { user: _claimed, ...fields } = parsed.data;
  for (const position of fields.cursor ? [fields.cursor.anchor, fields.cursor.head] : []) {
    if (position.tname != null && position.tname !== MEMO_FRAGMENT) throw policyViolation("malformed presence state");
  }
  // A caret may point at content the server has not seen yet (a reconnecting client sends its
  // presence before its offline edits; a demoted editor's edits never arrive): other browsers
  // then find no such position and show no caret, which is harmless, so it is relayed.
  return fields;
}

export { MAX_CLIENT_IDS_PER_CONNECTION };
