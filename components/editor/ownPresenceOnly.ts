import type { Awareness } from "y-protocols/awareness";
import type { WebsocketProvider } from "y-websocket";
import { PresenceRelay } from "@/common/protocol/presenceRelay";

type AwarenessChanges = { added: number[]; updated: number[]; removed: number[] };

/**
 * Makes the provider send only this tab's own presence, and only when it changed or is due for
 * renewal. Left alone, y-websocket forwards every awareness change to the server, other people's
 * included (echoes the server drops), and y-tiptap's caret plugin republishes an unchanged caret
 * after every remote change: in Chromium a watching tab sent two presence messages per keystroke
 * of a colleague. The server applies the same rule to what it relays (PresenceRelay).
 * Returns a function that restores the provider's own sending.
 */
export function sendOwnPresenceChangesOnly(provider: WebsocketProvider, awareness: Awareness): () => void {
  const send = provider._awarenessUpdateHandler;
  const relay = new PresenceRelay();
  const onUpdate = ({ added, updated, removed }: AwarenessChanges, origin: unknown) => {
    const me = awareness.clientID;
    if (!added.includes(me) && !updated.includes(me) && !removed.includes(me)) return;
    if (relay.relayKind(me, awareness.getLocalState(), Date.now()) === null) return;
    send({ added: [], updated: [me], removed: [] }, origin);
  };
  awareness.off("update", send);
  awareness.on("update", onUpdate);
  return () => {
    awareness.off("update", onUpdate);
    awareness.on("update", send);
  };
}
