import type { MarkType, Node as ProseMirrorNode } from "@tiptap/pm/model";
import {
  SUGGESTION_BOUNDARY,
  suggestionMarksOf,
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

/** What tells one suggestion from another: its id and its author. */
export const suggestionKey = (attrs: SuggestionAttrs) => `${attrs.id} ${attrs.author}`;

/** The filter of one suggestion. */
export const onlySuggestion =
  (one: Pick<SuggestionAttrs, "id" | "author">): SuggestionFilter =>
  (attrs) =>
    attrs.id === one.id && attrs.author === one.author;

/** The stretches of `kind` suggestions that pass `filter`, in document order of their starts. */
export function suggestionRanges(
  doc: ProseMirrorNode,
  kind: SuggestionKind,
  filter: SuggestionFilter = everySuggestion,
  from = 0,
  to = doc.content.size,
): SuggestionRange[] {
  const type = markTypeOf(doc, kind);
  const ranges: SuggestionRange[] = [];
  // The stretch of each suggestion the last inline node belonged to (deletions may overlap): a
  // stretch goes on across block boundaries while nothing but structure comes between.
  let open = new Map<string, SuggestionRange>();
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isInline) return true;
    const next = new Map<string, SuggestionRange>();
    for (const { attrs } of suggestionMarksOf(node, type)) {
      if (!filter(attrs, kind)) continue;
      // By id and author: a crafted client may reuse someone else's id for its own suggestion.
      const key = suggestionKey(attrs);
      let range = open.get(key);
      if (range) range.to = pos + node.nodeSize;
      else ranges.push((range = { kind, attrs, from: pos, to: pos + node.nodeSize }));
      next.set(key, range);
    }
    open = next;
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
    let summary = byId.get(suggestionKey(range.attrs));
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
      byId.set(suggestionKey(range.attrs), summary);
    }
    summary.from = Math.min(summary.from, range.from);
    summary.to = Math.max(summary.to, range.to);
    if (range.kind === "insertion") summary.inserted += words;
    else summary.deleted += words;
    const crosses = !doc.resolve(range.from).sameParent(doc.resolve(range.to));
    let breaks = false;
    doc.nodesBetween(range.from, range.to, (node) => {
      if (node.isInline && node.marks.some((mark) => mark.attrs.split === true)) breaks = true;
      return !breaks;
    });
    if ((crosses || breaks) && range.kind === "insertion") summary.splits = true;
    if (crosses && range.kind === "deletion") summary.joins = true;
  }
  return [...byId.values()];
}
