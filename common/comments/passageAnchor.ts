import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition } from "@tiptap/y-tiptap";
import { toBase64 } from "lib0/buffer";
import * as Y from "yjs";

// A comment's anchor: two Yjs relative positions, which follow the text whatever others insert or
// delete around it. Converting between ProseMirror positions and Yjs positions needs the mapping
// between Yjs types and ProseMirror nodes: the sync plugin's binding in the browser,
// initProseMirrorDoc on the server (server/comments/anchorInDoc.ts).

/** Yjs type → ProseMirror node, as y-tiptap's binding keeps it. */
export type PositionMapping = Parameters<typeof relativePositionToAbsolutePosition>[3];

/** What positions are resolved against: the memo fragment, its mapping and the ProseMirror document built from it. */
export type AnchorContext = { fragment: Y.XmlFragment; mapping: PositionMapping; doc: ProseMirrorNode };

/** Encoded relative positions (Y.encodeRelativePosition) of a passage's first and last characters. */
export type PassageAnchor = { start: Uint8Array<ArrayBuffer>; end: Uint8Array<ArrayBuffer> };

/** Where an anchor is now: a range, gone with its text, or pointing at text this replica has not received yet. */
export type AnchorState =
  { status: "anchored"; from: number; to: number } | { status: "removed" } | { status: "unknown" };

function relativeAt(context: AnchorContext, pos: number, assoc: number): Uint8Array<ArrayBuffer> {
  const located = Y.createAbsolutePositionFromRelativePosition(
    absolutePositionToRelativePosition(pos, context.fragment, context.mapping),
    context.fragment.doc!,
  );
  if (!located) throw new Error(`position ${pos} is outside the memo`);
  return new Uint8Array(
    Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(located.type, located.index, assoc)),
  );
}

/**
 * Anchors the range [from, to). The start sticks to the passage's first character and the end to
 * its last (y-tiptap associates every position to the left), so text typed just before or just
 * after the passage stays outside it and text typed inside it joins it.
 */
export function anchorPassage(context: AnchorContext, from: number, to: number): PassageAnchor {
  return { start: relativeAt(context, from, 0), end: relativeAt(context, to, -1) };
}

type Located = number | "gone" | "unknown";

function isInside(type: Y.AbstractType<unknown>, fragment: Y.XmlFragment): boolean {
  let current: Y.AbstractType<unknown> = type;
  while (current !== fragment) {
    const item = current._item;
    if (!item || item.deleted || !(item.parent instanceof Y.AbstractType)) return false;
    current = item.parent;
  }
  return true;
}

function locate(context: AnchorContext, encoded: Uint8Array): Located {
  const doc = context.fragment.doc!;
  let relative: Y.RelativePosition;
  try {
    relative = Y.decodeRelativePosition(encoded);
  } catch {
    return "gone";
  }
  const located = Y.createAbsolutePositionFromRelativePosition(relative, doc);
  if (!located) {
    // Null for a character this replica never received, and for one inside a deleted block.
    const id = relative.item ?? relative.type;
    return id && Y.getState(doc.store, id.client) <= id.clock ? "unknown" : "gone";
  }
  if (!isInside(located.type, context.fragment)) return "gone";
  // Re-anchored to the left before converting: y-tiptap treats a right-associated position at the
  // very start of the memo as misresolved (a drag-and-drop safeguard) and returns null for it.
  const leftAssociated = Y.createRelativePositionFromTypeIndex(located.type, located.index, -1);
  return relativePositionToAbsolutePosition(doc, context.fragment, leftAssociated, context.mapping) ?? "unknown";
}

/**
 * Resolves an anchor against the current document. A passage whose text was deleted collapses to
 * an empty range: "removed". When only one end's block was deleted, the passage keeps what is
 * left of it in the other end's block.
 */
export function resolveAnchor(context: AnchorContext, anchor: PassageAnchor): AnchorState {
  const start = locate(context, anchor.start);
  const end = locate(context, anchor.end);
  if (start === "unknown" || end === "unknown") return { status: "unknown" };
  if (start === "gone" && end === "gone") return { status: "removed" };
  const size = context.doc.content.size;
  const from = start === "gone" ? context.doc.resolve(Math.min(end as number, size)).start() : Math.min(start, size);
  const to = end === "gone" ? context.doc.resolve(from).end() : Math.min(end, size);
  return from < to ? { status: "anchored", from, to } : { status: "removed" };
}

/** An anchor as JSON carries it (the server decodes it strictly: server/comments/commentInput.ts). */
export type EncodedAnchor = { start: string; end: string };

/** Encodes an anchor for JSON. */
export function encodeAnchor(anchor: PassageAnchor): EncodedAnchor {
  return { start: toBase64(anchor.start), end: toBase64(anchor.end) };
}
