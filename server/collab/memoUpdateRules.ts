import * as Y from "yjs";
import { memoSchema } from "../editor/memoDocument";
import { isAllowedLink, MEMO_FRAGMENT } from "../editor/memoExtensions";
import { invalidPayload, policyViolation } from "./protocolViolation";
import type { DeleteSet } from "./saveAck";

// Checks a client's Yjs update before it touches the memo, so a bad frame changes nothing:
//   - it must only build on content the server has (or that the update itself carries): an update
//     with gaps would sit in the document as pending structs, invisible and unbounded;
//   - it may only create what the memo schema allows: elements named after schema nodes, marks
//     named after schema marks, attributes of the schema, links with allowed protocols, and only
//     inside the memo's fragment.

type SchemaNames = { nodes: Set<string>; marks: Set<string>; attributes: Set<string> };

let names: SchemaNames | undefined;

function schemaNames(): SchemaNames {
  if (names) return names;
  const schema = memoSchema();
  const attributes = new Set<string>();
  for (const type of [...Object.values(schema.nodes), ...Object.values(schema.marks)]) {
    for (const attribute of Object.keys(type.spec.attrs ?? {})) attributes.add(attribute);
  }
  names = { nodes: new Set(Object.keys(schema.nodes)), marks: new Set(Object.keys(schema.marks)), attributes };
  return names;
}

/** Root types a client may write to. */
const ALLOWED_ROOTS = new Set([MEMO_FRAGMENT]);

type ItemLike = {
  id: Y.ID;
  length: number;
  origin: Y.ID | null;
  rightOrigin: Y.ID | null;
  parent: Y.ID | string | null;
  parentSub: string | null;
  content: unknown;
};

function checkContent(item: ItemLike): void {
  const { nodes, marks, attributes } = schemaNames();
  if (typeof item.parent === "string" && !ALLOWED_ROOTS.has(item.parent)) {
    throw policyViolation("update writes outside the memo");
  }
  if (item.parentSub !== null && !attributes.has(item.parentSub)) throw policyViolation("attribute outside the memo schema");
  const content = item.content;
  if (content instanceof Y.ContentString || content instanceof Y.ContentDeleted) return;
  if (content instanceof Y.ContentType) {
    const type = content.type;
    if (type instanceof Y.XmlElement && nodes.has(type.nodeName)) return;
    if (type instanceof Y.XmlText) return;
    throw policyViolation("element outside the memo schema");
  }
  if (content instanceof Y.ContentFormat) {
    if (!marks.has(content.key)) throw policyViolation("mark outside the memo schema");
    const value = content.value as { href?: unknown } | null;
    if (content.key === "link" && value !== null && (typeof value?.href !== "string" || !isAllowedLink(value.href))) {
      throw policyViolation("link with a forbidden protocol");
    }
    return;
  }
  // Attribute values (level, start, …) are stored as ContentAny under a parentSub key.
  if (content instanceof Y.ContentAny && item.parentSub !== null) return;
  throw policyViolation("content outside the memo schema");
}

/** What the check learned while decoding an update, so nobody decodes it again. */
export type UpdateFacts = {
  /** The Yjs client ids that created content in it (for "who wrote this"). */
  authors: number[];
  /** Its deletions (what a "saved" acknowledgement must cover beyond the state vector). */
  deletes: DeleteSet;
  /** The clock each client it creates content for reaches once it is applied. */
  clocks: Map<number, number>;
};

/** A client's clock as the check must see it: the memo's, plus updates accepted but not yet applied. */
export type ClockLookup = (client: number) => number;

/**
 * Throws a ProtocolViolation unless `update` may be applied to a memo whose clocks are `clocks`
 * (the room's, which count updates waiting to be applied: MemoRoom.clocks); returns what it read.
 */
export function checkClientUpdate(clocks: ClockLookup, update: Uint8Array): UpdateFacts {
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
      if (range.clock + range.len > clockOf(client)) throw invalidPayload("update deletes content the server never saw");
    }
  }
  const authors = new Set<number>();
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const item = struct as unknown as ItemLike;
    const parentId = item.parent instanceof Y.ID ? item.parent : null;
    if (!isKnown(item.origin, clockOf) || !isKnown(item.rightOrigin, clockOf) || !isKnown(parentId, clockOf)) {
      throw invalidPayload("update references content the server never saw");
    }
    checkContent(item);
    authors.add(item.id.client);
  }
  return { authors: [...authors], deletes: decoded.ds as DeleteSet, clocks: known };
}

function isKnown(id: Y.ID | null, clockOf: (client: number) => number): boolean {
  return id === null || id.clock < clockOf(id.client);
}
