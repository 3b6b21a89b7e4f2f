import type { MarkType, Node as ProseMirrorNode } from "@tiptap/pm/model";
import {
  SUGGESTION_BOUNDARY,
  suggestionAttrsOf,
  suggestionMarkTypes,
  type SuggestionAttrs,
  type SuggestionKind,
} from "./suggestionMarks";

// Where a memo's suggestions are. A suggestion's stretch of text is merged across block
// boundaries when nothing but the boundary separates its parts ("abc⁰" ¶ "⁰def" is one suggested
// split), so deleting the stretch joins the blocks back.

/** One stretch of one suggestion: [from, to) in document positions. */
export type SuggestionRange = { kind: SuggestionKind; attrs: SuggestionAttrs; from: number; to: number };

/** Which suggestions a search or a decision covers. */
export type SuggestionFilter = (attrs: SuggestionAttrs, kind: SuggestionKind) => boolean;

export const everySuggestion: SuggestionFilter = () => true;

/** The stretches of `kind` suggestions that pass `filter`, in document order. */
export function suggestionRanges(
  doc: ProseMirrorNode,
  kind: SuggestionKind,
  filter: SuggestionFilter = everySuggestion,
  from = 0,
  to = doc.content.size,
): SuggestionRange[] {
  const type = markTypeOf(doc, kind);
  const ranges: SuggestionRange[] = [];
  // Whether the inline node seen last ended the last range (only structure since then).
  let adjacent = false;
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isInline) return true;
    const mark = type.isInSet(node.marks);
    const attrs = mark ? suggestionAttrsOf(mark) : null;
    if (!attrs || !filter(attrs, kind)) {
      adjacent = false;
      return false;
    }
    const last = ranges.at(-1);
    if (last && adjacent && last.attrs.id === attrs.id) last.to = pos + node.nodeSize;
    else ranges.push({ kind, attrs, from: pos, to: pos + node.nodeSize });
    adjacent = true;
    return false;
  });
  return ranges;
}

function markTypeOf(doc: ProseMirrorNode, kind: SuggestionKind): MarkType {
  const types = suggestionMarkTypes(doc.type.schema);
  return kind === "insertion" ? types.insertion : types.deletion;
}

/** A suggestion as the review sidebar shows it: what it inserts and deletes, and where. */
export type SuggestionSummary = {
  id: string;
  author: string;
  time: number;
  /** Where it starts and ends in the document. */
  from: number;
  to: number;
  inserted: string;
  deleted: string;
  /** Whether it splits a block (a suggested new paragraph) or joins two. */
  splits: boolean;
  joins: boolean;
};

/** Every suggestion of the memo, in document order. */
export function listSuggestions(doc: ProseMirrorNode): SuggestionSummary[] {
  const byId = new Map<string, SuggestionSummary>();
  const all = [...suggestionRanges(doc, "insertion"), ...suggestionRanges(doc, "deletion")].sort(
    (a, b) => a.from - b.from,
  );
  for (const range of all) {
    const words = doc.textBetween(range.from, range.to, "\n", "\n").replaceAll(SUGGESTION_BOUNDARY, "");
    let summary = byId.get(range.attrs.id);
    if (!summary) {
      summary = {
        ...range.attrs,
        from: range.from,
        to: range.to,
        inserted: "",
        deleted: "",
        splits: false,
        joins: false,
      };
      byId.set(range.attrs.id, summary);
    }
    summary.from = Math.min(summary.from, range.from);
    summary.to = Math.max(summary.to, range.to);
    if (range.kind === "insertion") summary.inserted += words;
    else summary.deleted += words;
    const crosses = !doc.resolve(range.from).sameParent(doc.resolve(range.to));
    if (crosses && range.kind === "insertion") summary.splits = true;
    if (crosses && range.kind === "deletion") summary.joins = true;
  }
  return [...byId.values()];
}
