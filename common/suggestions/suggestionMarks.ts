import { Mark, mergeAttributes } from "@tiptap/core";
import type { Mark as ProseMirrorMark, MarkType, Node as ProseMirrorNode, Schema } from "@tiptap/pm/model";
import { presenceColor } from "../sharing/presenceColor";

// A suggestion is text marked as proposed for insertion or for deletion, by someone, at a time.
// Marks rather than nodes: they travel through y-tiptap as formatting attributes of the text, so
// concurrent editing, offline edits, versions and restore treat them as any other formatting, and
// the server checks them where it checks bold or links (server/collab/memoAttributeValues.ts).
// A paragraph split or join is suggested the same way, with a zero-width space at each side of
// the boundary carrying the mark (SUGGESTION_BOUNDARY): rejecting a split deletes the marked range
// across the boundary, which joins the paragraphs again.

export const SUGGESTED_INSERTION = "suggestedInsertion";
export const SUGGESTED_DELETION = "suggestedDeletion";
export type SuggestionKind = "insertion" | "deletion";

/**
 * What every suggestion mark carries. `author` is a user id, `time` milliseconds since 1970.
 * `split` marks the zero-width space of a suggested paragraph break inside a paragraph: the text
 * stays where it is until an editor accepts, and the break is made then (a split made at once
 * would move the text after it, which Yjs stores as deleting and retyping it).
 */
export type SuggestionAttrs = { id: string; author: string; time: number; split?: true };

/** The character that stands at a block boundary a suggestion splits or joins (zero-width space). */
export const SUGGESTION_BOUNDARY = "\u200b";

/** The longest a suggestion id may be (the server refuses longer). */
export const SUGGESTION_ID_PATTERN = /^[A-Za-z0-9_-]{12,40}$/;

/**
 * A new suggestion id: 128 random bits, so concurrent suggesters never collide (a "highest + 1"
 * scheme gives two offline reviewers the same number). getRandomValues works on plain http too,
 * where crypto.randomUUID does not.
 */
export function newSuggestionId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let text = "";
  for (const byte of bytes) text += byte.toString(16).padStart(2, "0");
  return text;
}

export function suggestionMarkTypes(schema: Schema): { insertion: MarkType; deletion: MarkType } {
  return { insertion: schema.marks[SUGGESTED_INSERTION], deletion: schema.marks[SUGGESTED_DELETION] };
}

/**
 * The mark a Yjs formatting key stands for: its name, or for an overlapping mark (a deletion)
 * its name before y-tiptap's "--" and eight-character hash; null for any other key.
 */
export function markNameOfKey(key: string, overlapping: (name: string) => boolean): string | null {
  const hashed = /^(.*)--[a-zA-Z0-9+/=]{8}$/u.exec(key);
  if (!hashed) return key;
  return overlapping(hashed[1]) ? hashed[1] : null;
}

/** The mark type of the schema a Yjs formatting key stands for (markNameOfKey), if any. */
export function markTypeOfKey(schema: Schema, key: string): MarkType | undefined {
  const typeOf = (name: string) => (Object.hasOwn(schema.marks, name) ? schema.marks[name] : undefined);
  const name = markNameOfKey(key, (candidate) => {
    const type = typeOf(candidate);
    return type !== undefined && !type.excludes(type);
  });
  return name === null ? undefined : typeOf(name);
}

/** The marks of `type` on a node that are suggestions passing `filter`, with their attrs. */
export function suggestionMarksOf(
  node: ProseMirrorNode,
  type: MarkType,
): Array<{ mark: ProseMirrorMark; attrs: SuggestionAttrs }> {
  return node.marks.flatMap((mark) => {
    if (mark.type !== type) return [];
    const attrs = suggestionAttrsOf(mark);
    return attrs ? [{ mark, attrs }] : [];
  });
}

/** The suggestion attrs of a mark, or null when it is not a well-formed suggestion mark. */
export function suggestionAttrsOf(mark: ProseMirrorMark): SuggestionAttrs | null {
  const { id, author, time, split } = mark.attrs as Partial<SuggestionAttrs>;
  if (typeof id !== "string" || typeof author !== "string" || typeof time !== "number") return null;
  return split === true ? { id, author, time, split } : { id, author, time };
}

const attrsSpec = {
  // Never read from pasted HTML: a paste must not carry someone else's suggestion into the memo
  // (the server would refuse the forged author, and the client would be refused on every replay).
  id: {
    default: null,
    parseHTML: () => null,
    renderHTML: (attrs: Record<string, unknown>) => ({ "data-suggestion": attrs.id }),
  },
  author: {
    default: null,
    parseHTML: () => null,
    renderHTML: (attrs: Record<string, unknown>) =>
      typeof attrs.author === "string"
        ? { "data-author": attrs.author, style: `--suggestion-colour: ${presenceColor(attrs.author)}` }
        : {},
  },
  time: { default: null, parseHTML: () => null, renderHTML: () => ({}) },
  split: {
    default: null,
    parseHTML: () => null,
    renderHTML: (attrs: Record<string, unknown>) => (attrs.split === true ? { "data-split": "" } : {}),
  },
};

function suggestionMark(name: string, tag: "ins" | "del", kind: SuggestionKind) {
  return Mark.create({
    name,
    // Typing just after a suggestion is not part of it unless the suggesting transform says so.
    inclusive: false,
    // Two people may suggest deleting the same text, one of them offline: both deletions stay
    // (y-tiptap stores overlapping marks under "name--hash" keys). Insertions never overlap: each
    // person's inserted text is their own.
    ...(kind === "deletion" ? { excludes: "" } : {}),
    // Never the target of a paste or of editing shortcuts: only the suggesting transform and the
    // review commands (suggestionDecisions.ts) make these marks.
    parseHTML: () => [],
    addAttributes: () => attrsSpec,
    renderHTML: ({ HTMLAttributes }) => [
      tag,
      mergeAttributes(HTMLAttributes, { class: `suggestion suggestion-${kind}` }),
      0,
    ],
  });
}

/** The two suggestion marks of the memo schema. */
export const SuggestedInsertion = suggestionMark(SUGGESTED_INSERTION, "ins", "insertion");
export const SuggestedDeletion = suggestionMark(SUGGESTED_DELETION, "del", "deletion");
