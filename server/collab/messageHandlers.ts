import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as decoding from "lib0/decoding";
import type { CollabConnection } from "./collabConnection";
import type { CollabLimits } from "./limits";
import type { MemoRoom } from "./memoRoom";
import { checkClientUpdate, landsInSuggestedText, type UpdateFacts } from "./memoUpdateRules";
import type { SuggestionRule } from "./suggestionRules";
import { bindPresence } from "./presenceBinding";
import { CloseCode, MessageType, writeAwareness, writeSyncStep2 } from "../../common/protocol/protocol";
import { droppedFrame, invalidPayload, policyViolation, ProtocolViolation, unsupportedData } from "./collabRefusals";

// One handler per y-websocket message type. Each reads exactly one message from the decoder and
// throws a ProtocolViolation for anything malformed or not allowed; the caller closes the
// offending connection. Nothing from a refused frame reaches the document.

/** What a handler works with. */
export type MessageContext = { connection: CollabConnection; room: MemoRoom; limits: CollabLimits };

type Handler = (decoder: decoding.Decoder, context: MessageContext) => void;

function readBytes(decoder: decoding.Decoder, what: string): Uint8Array {
  try {
    return decoding.readVarUint8Array(decoder);
  } catch {
    throw invalidPayload(`truncated ${what}`);
  }
}

/**
 * Whether an update carries nothing, read from its bytes: an empty Yjs v1 update is exactly
 * [0, 0], no struct clients and no delete-set clients (what Y.encodeStateAsUpdate gives an
 * up-to-date client whose memo never had a deletion).
 */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}

function applyClientUpdate(update: Uint8Array, { connection, room, limits }: MessageContext, mayWait = false): void {
  if (!connection.canSuggest) {
    // Viewers never change the memo, whatever they send: the update is dropped
    // unread (decoding 440 KB costs 100 ms of CPU), not applied, stored or broadcast. Their client
    // knows it is read-only (MessageType.Access).
    if (isEmptyUpdate(update)) return;
    // Dropped, not closed, at first: every sync step 2 carries the memo's delete set, and a demoted
    // editor's client replays its unsaved edits on every reconnect. A client that keeps sending
    // past that grace is doing what its role cannot, and is closed.
    if (!connection.refuseUpdate(update.byteLength, limits))
      throw new ProtocolViolation(CloseCode.Forbidden, "Your role in this memo cannot edit it.");
    throw droppedFrame("update from a read-only role dropped");
  }
  if (room.approximateBytes + update.byteLength > limits.maxDocumentBytes) {
    throw new ProtocolViolation(CloseCode.MessageTooBig, "the memo reached its size limit");
  }
  if (room.storageFailing && room.unstoredBytes + update.byteLength > limits.maxUnstoredBytes) {
    // Storage is failing and the buffer is full: the client keeps its edits and retries later.
    throw new ProtocolViolation(CloseCode.TryAgainLater, "changes cannot be stored right now");
  }
  const facts = checkClientUpdate(room, update);
  const rule = suggestionRuleFor(connection, facts, room);
  if (rule) {
    try {
      room.checkSuggestions(update, connection.user.id, rule);
    } catch (error) {
      // An update the check cannot even read is refused like one it reads and refuses.
      const refusal = error instanceof ProtocolViolation ? error : policyViolation("unreadable suggestion update");
      // As for viewers: a client replays a refused update on every reconnect (a demoted editor's
      // direct edits, an edit that raced a colleague's at the same spot), so it is dropped with a
      // grace before the connection is closed.
      if (!connection.refuseUpdate(update.byteLength, limits))
        throw new ProtocolViolation(CloseCode.Forbidden, "This change cannot be kept: reload the memo to go on.");
      throw droppedFrame(`${refusal.reason}: update dropped`);
    }
    mayWait = false;
  }
  try {
    room.applyClientUpdate(update, connection, facts, mayWait);
  } catch {
    throw invalidPayload("malformed update");
  }
}

/**
 * Which suggestion rule an update must pass (suggestionRules.ts): every update of a commenter, and
 * an editor's that sets a suggestion mark attributed to someone else or writes text into a
 * paragraph holding suggestions.
 */
function suggestionRuleFor(connection: CollabConnection, facts: UpdateFacts, room: MemoRoom): SuggestionRule | null {
  if (!connection.canWrite) return isEmptyChange(facts) ? null : "onlySuggest";
  for (const author of facts.suggestionAuthors) if (author !== connection.user.id) return "attribution";
  // Text typed into a paragraph with suggestions may land inside one without setting any mark.
  if (landsInSuggestedText(room.doc, facts.textOrigins)) return "attribution";
  return null;
}

/** An update that creates nothing and deletes nothing the memo had not deleted (a commenter's replay). */
function isEmptyChange(facts: UpdateFacts): boolean {
  return facts.authors.length === 0 && facts.deletes.clients.size === 0;
}

const handleSync: Handler = (decoder, context) => {
  const { connection, room } = context;
  let syncType: number;
  try {
    syncType = decoding.readVarUint(decoder);
  } catch {
    throw invalidPayload("truncated sync message");
  }
  switch (syncType) {
    case syncProtocol.messageYjsSyncStep1: {
      const stateVector = readBytes(decoder, "state vector");
      let diff: Uint8Array;
      try {
        diff = room.stateAsUpdate(stateVector);
      } catch {
        throw invalidPayload("malformed state vector");
      }
      connection.send(writeSyncStep2(diff));
      return;
    }
    case syncProtocol.messageYjsSyncStep2:
      applyClientUpdate(readBytes(decoder, "update"), context);
      if (connection.canSuggest) room.acknowledgeReplay(connection);
      return;
    case syncProtocol.messageYjsUpdate:
      // An incremental update may wait for the room's next broadcast; a replay (step 2) never does.
      applyClientUpdate(readBytes(decoder, "update"), context, true);
      return;
    default:
      // A fixed reason, not the type: the reason is a /metrics label, and a label value per type
      // a client can invent would let it grow the metrics without bound.
      throw unsupportedData("unknown sync message");
  }
};

const handleAwareness: Handler = (decoder, { connection, room, limits }) => {
  const update = readBytes(decoder, "awareness update");
  if (update.byteLength > limits.maxAwarenessBytes) {
    throw new ProtocolViolation(CloseCode.MessageTooBig, "presence state too large");
  }
  const bound = bindPresence(update, connection, room);
  if (!bound) return;
  try {
    awarenessProtocol.applyAwarenessUpdate(room.awareness, bound, connection);
  } catch {
    throw invalidPayload("malformed awareness update");
  }
};

const handleQueryAwareness: Handler = (_decoder, { connection, room }) => {
  connection.send(
    writeAwareness(awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()])),
  );
};

const handlers: Partial<Record<number, Handler>> = {
  [MessageType.Sync]: handleSync,
  [MessageType.Awareness]: handleAwareness,
  [MessageType.QueryAwareness]: handleQueryAwareness,
};

/** Reads one client frame and dispatches it to the handler of its message type. */
export function handleMessage(frame: Uint8Array, context: MessageContext): void {
  const decoder = decoding.createDecoder(frame);
  let type: number;
  try {
    type = decoding.readVarUint(decoder);
  } catch {
    throw invalidPayload("empty or truncated frame");
  }
  const handler = handlers[type];
  // Fixed, as above: one /metrics series for every unknown type.
  if (!handler) throw unsupportedData("unknown message type");
  handler(decoder, context);
  if (decoding.hasContent(decoder)) throw invalidPayload("trailing bytes after message");
}
