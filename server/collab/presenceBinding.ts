import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { presenceColor } from "../sharing/presenceColor";
import type { CollabConnection } from "./collabConnection";
import { invalidPayload, policyViolation } from "./protocolViolation";

// Presence (awareness) is bound to the authenticated user. A connection may speak only for the
// awareness client ids it claimed first (a browser tab uses one), never for another connection's,
// and whatever it says about `user`, the server replaces it with the signed-in user's identity.
// y-websocket clients echo the states of others back to the server (they forward every awareness
// change, remote ones included); such echoes are no newer than what the server has and are
// dropped quietly, while a newer state for someone else's client id is a forgery.

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

type Entry = { clientId: number; clock: number; state: unknown };

function readEntries(update: Uint8Array): Entry[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      entries.push({ clientId, clock, state: JSON.parse(decoding.readVarString(decoder)) });
    }
    if (decoding.hasContent(decoder)) throw new Error("trailing bytes");
    return entries;
  } catch {
    throw invalidPayload("malformed awareness update");
  }
}

/**
 * Checks who an awareness update speaks for and rewrites each state's `user` to the real one.
 * Returns null when nothing in it is new (only echoes).
 */
export function bindPresence(update: Uint8Array, connection: CollabConnection, claims: PresenceClaims): Uint8Array | null {
  const kept: Entry[] = [];
  for (const entry of readEntries(update)) {
    const owner = claims.claimedBy(entry.clientId);
    const isEcho = entry.clock <= claims.currentClock(entry.clientId);
    if (owner && owner !== connection) {
      if (isEcho) continue;
      throw policyViolation("presence for another client");
    }
    if (!owner) {
      if (isEcho) continue;
      if (claims.claim(connection, entry.clientId) === "too many") throw policyViolation("too many presence client ids");
    }
    kept.push(entry);
  }
  if (kept.length === 0) return null;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, kept.length);
  for (const entry of kept) {
    let state = entry.state;
    if (state !== null) {
      if (typeof state !== "object" || Array.isArray(state)) throw invalidPayload("malformed awareness state");
      state = {
        ...(state as Record<string, unknown>),
        user: { id: connection.user.id, name: connection.user.name, color: presenceColor(connection.user.id), role: connection.role },
      };
    }
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

export { MAX_CLIENT_IDS_PER_CONNECTION };
