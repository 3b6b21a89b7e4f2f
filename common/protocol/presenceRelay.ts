// Which presence (awareness) updates a memo relays to its other clients.
//
// A client republishes its presence unchanged far more often than it changes: y-tiptap's caret
// plugin republishes an unchanged caret after every remote change, in every window that has the
// memo focused, and y-protocols renews a presence every 15 s so that others do not drop it after
// 30 s. (y-websocket clients also echo other people's states back; presenceBinding drops those.)
// Relayed as they come, a keystroke among N people in browsers costs the server about N × (N - 1)
// presence writes against N - 1 for the edit.
// A change is relayed at once; an unchanged state only when it has not been relayed for
// `renewalMs`, which keeps every presence alive on the other clients (they drop one after 30 s
// without an update). A change goes to the others only; a renewal goes back to its sender too, and
// so does a change to a connection that has received nothing for `renewalMs` (outgoingTurn.ts):
// that echo is what tells an idle y-websocket client, alone in a memo, that its connection is
// alive (it reconnects after 30 s without a message).
// States are compared as the JSON they travel as: in a browser the caret holds Yjs
// RelativePosition instances, which lib0's equalityDeep (and so y-protocols' "change") never
// finds equal.

/** At most this long between two relays of one client's unchanged presence. */
export const PRESENCE_RENEWAL_MS = 10_000;

/** Why a presence goes out: it changed (or its client left), or it is renewed unchanged. */
export type PresenceRelayKind = "change" | "renewal";

export class PresenceRelay {
  private readonly relayed = new Map<number, { json: string; at: number }>();

  constructor(readonly renewalMs = PRESENCE_RENEWAL_MS) {}

  /**
   * Whether to relay a client's presence now (`state` null: it left), and why; remembers it if
   * relayed. Null: not now.
   */
  relayKind(clientId: number, state: unknown, now: number): PresenceRelayKind | null {
    if (state === null || state === undefined) {
      this.relayed.delete(clientId);
      return "change";
    }
    const json = JSON.stringify(state);
    const last = this.relayed.get(clientId);
    if (last && last.json === json && now - last.at < this.renewalMs) return null;
    this.relayed.set(clientId, { json, at: now });
    return last?.json === json ? "renewal" : "change";
  }

  /** Clients whose presence this relay remembers (for tests and leak checks). */
  get size(): number {
    return this.relayed.size;
  }
}
