import * as Y from "yjs";
import { checkUpdateStructure, type MemoView, type PlacedItems } from "./memoStructure";
import { invalidPayload } from "./collabRefusals";
import type { DeleteSet } from "../../common/protocol/saveAck";
import { markNameOfKey, SUGGESTED_DELETION, SUGGESTED_INSERTION } from "../../common/suggestions/suggestionMarks";

const SUGGESTION_MARKS = new Set([SUGGESTED_INSERTION, SUGGESTED_DELETION]);

// Checks a client's Yjs update before it touches the memo, so a bad frame changes nothing:
//   - it must only build on content the server has (or that the update itself carries): an update
//     with gaps would sit in the document as pending structs, invisible and unbounded;
//   - it must keep the memo a document of the memo schema, in structure and not just in names
//     (memoStructure.ts).

type ItemLike = {
  id: Y.ID;
  length: number;
  origin: Y.ID | null;
  rightOrigin: Y.ID | null;
  parent: Y.ID | string | null;
};

/** What the check learned while decoding an update, so nobody decodes it again. */
export type UpdateFacts = {
  /** The Yjs client ids that created content in it (for "who wrote this"). */
  authors: number[];
  /** Its deletions (what a "saved" acknowledgement must cover beyond the state vector). */
  deletes: DeleteSet;
  /** The clock each client it creates content for reaches once it is applied. */
  clocks: Map<number, number>;
  /** Its items and where they land, for updates checked while it waits to be applied. */
  placed: PlacedItems;
  /** The authors of the suggestion marks it sets (suggestionRules.ts checks who may set which). */
  suggestionAuthors: Set<string>;
  /** Where its text lands: the left neighbours of its strings (a text holding suggestions is checked). */
  textOrigins: Y.ID[];
};

/** A client's clock as the check must see it: the memo's, plus updates accepted but not yet applied. */
export type ClockLookup = (client: number) => number;

/** The memo an update is checked against: its clocks (MemoRoom.clocks counts waiting updates) and document. */
export type CheckedMemo = MemoView & { clocks: ClockLookup };

/** Throws a ProtocolViolation unless `update` may be applied to `memo`; returns what it read. */
export function checkClientUpdate(memo: CheckedMemo, update: Uint8Array): UpdateFacts {
  const clocks = memo.clocks;
  let decoded: { structs: Array<Y.Item | Y.GC | { id: Y.ID; length: number }>; ds: unknown };
  try {
    decoded = Y.decodeUpdate(update) as typeof decoded;
  } catch {
    throw invalidPayload("malformed update");
  }
  // The document's clock per client, advanced by the update's own structs. Looked up per client
  // (Y.getState) rather than by encoding the whole state vector: a memo accumulates a client id per
  // editing session, and encoding them all for every keystroke was half of this check's time.
  const known = new Map<number, number>();
  const clockOf = (client: number) => known.get(client) ?? clocks(client);
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item) && !(struct instanceof Y.GC)) throw invalidPayload("update with gaps");
    const next = clockOf(struct.id.client);
    if (struct.id.clock > next) throw invalidPayload("update references content the server never saw");
    known.set(struct.id.client, Math.max(next, struct.id.clock + struct.length));
  }
  const deletions = (decoded.ds as { clients: Map<number, { clock: number; len: number }[]> }).clients;
  for (const [client, ranges] of deletions) {
    for (const range of ranges) {
      if (range.clock + range.len > clockOf(client))
        throw invalidPayload("update deletes content the server never saw");
    }
  }
  const authors = new Set<number>();
  const suggestionAuthors = new Set<string>();
  const textOrigins: Y.ID[] = [];
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const author = suggestionAuthorOf(struct);
    if (author !== null) suggestionAuthors.add(author);
    if (struct.content instanceof Y.ContentString && struct.origin) textOrigins.push(struct.origin);
    const item = struct as unknown as ItemLike;
    const parentId = item.parent instanceof Y.ID ? item.parent : null;
    if (!isKnown(item.origin, clockOf) || !isKnown(item.rightOrigin, clockOf) || !isKnown(parentId, clockOf)) {
      throw invalidPayload("update references content the server never saw");
    }
    authors.add(item.id.client);
  }
  const placed = checkUpdateStructure(memo, decoded.structs, decoded.ds as DeleteSet);
  return {
    authors: [...authors],
    deletes: decoded.ds as DeleteSet,
    clocks: known,
    placed,
    suggestionAuthors,
    textOrigins,
  };
}

/**
 * The author a struct's suggestion mark names, when it sets one (its shape is checked with the
 * schema's, memoStructure.ts; a null value ends a mark and names nobody).
 */
export function suggestionAuthorOf(struct: unknown): string | null {
  if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentFormat)) return null;
  if (!SUGGESTION_MARKS.has(markNameOfKey(struct.content.key, () => true) ?? "")) return null;
  const author = (struct.content.value as { author?: unknown } | null)?.author;
  return typeof author === "string" ? author : null;
}

/**
 * Whether any of `origins` (items of the memo) lies in a text that holds a suggestion: text typed
 * there lands inside someone's suggestion as Yjs formats it, whatever marks the update sets.
 */
export function landsInSuggestedText(doc: Y.Doc, origins: readonly Y.ID[]): boolean {
  const seen = new Set<unknown>();
  for (const origin of origins) {
    if (Y.getState(doc.store, origin.client) <= origin.clock) continue;
    const item = Y.getItem(doc.store, origin);
    const text = item instanceof Y.Item ? item.parent : null;
    if (!(text instanceof Y.XmlText) || seen.has(text)) continue;
    seen.add(text);
    for (let at = text._start; at !== null; at = at.right)
      if (!at.deleted && suggestionAuthorOf(at) !== null) return true;
  }
  return false;
}

function isKnown(id: Y.ID | null, clockOf: (client: number) => number): boolean {
  return id === null || id.clock < clockOf(id.client);
}
