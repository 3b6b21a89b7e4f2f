import type { Mark, Node as ProseMirrorNode } from "@tiptap/pm/model";
import { canSplit, Transform } from "@tiptap/pm/transform";
import { SUGGESTION_BOUNDARY, suggestionAttrsOf, suggestionMarkTypes, type SuggestionAttrs } from "./suggestionMarks";
import { suggestionRanges, type SuggestionFilter } from "./suggestionRanges";

// Accepting and rejecting suggestions. Accepting an insertion keeps its text and drops the mark;
// accepting a deletion deletes the text; rejecting does the opposite. A stretch that spans a
// block boundary joins the blocks when it is deleted (a rejected split, an accepted join), and the
// zero-width spaces that marked the boundary go with the mark.

export type Decision = "accept" | "reject";

/**
 * Decides every suggestion that passes `filter`, on `tr` (a Transform or an editor Transaction).
 * Text inserted by one person and marked for deletion by another is decided mark by mark: accept
 * both and it is gone, reject the insertion and it is gone, reject the deletion and it stays
 * suggested as an insertion.
 */
export function decideSuggestions<T extends Transform>(tr: T, decision: Decision, filter: SuggestionFilter): T {
  const doc = tr.doc;
  const { insertion, deletion } = suggestionMarkTypes(doc.type.schema);
  const inserted = suggestionRanges(doc, "insertion", filter);
  const deleted = suggestionRanges(doc, "deletion", filter);
  const toDelete = decision === "accept" ? deleted : inserted;
  const toUnmark = decision === "accept" ? inserted : deleted;
  const deletions: Array<[number, number]> = toDelete.map((range) => [range.from, range.to]);
  // An accepted paragraph break becomes a real one.
  const breaks: number[] = [];
  for (const range of toUnmark) {
    const type = range.kind === "insertion" ? insertion : deletion;
    /** A mark of this suggestion (its break marker's carries `split`, the rest not). */
    const decided = { eq: (mark: Mark) => mark.type === type && sameSuggestion(mark, range.attrs) };
    for (const spot of boundaryCharacters(doc, range.from, range.to)) {
      const isBreak = spot.node.marks.some((mark) => decided.eq(mark) && mark.attrs.split === true);
      // An accepted break is made, even where a colleague suggested deleting it: left as a marker
      // of their deletion alone, it would go when their suggestion is rejected, and the break too.
      if (decision === "accept" && range.kind === "insertion" && isBreak) {
        breaks.push(spot.pos);
        continue;
      }
      // A boundary marker goes once no undecided suggestion holds it.
      const others = spot.node.marks.filter((mark) => {
        if (decided.eq(mark)) return false;
        if (mark.type !== insertion && mark.type !== deletion) return false;
        const attrs = suggestionAttrsOf(mark);
        return !attrs || !filter(attrs, mark.type === insertion ? "insertion" : "deletion");
      });
      if (others.length === 0) deletions.push([spot.pos, spot.pos + 1]);
    }
    // This suggestion's marks only: someone else's deletion of the same text stays.
    doc.nodesBetween(range.from, range.to, (node, pos) => {
      if (!node.isInline) return true;
      for (const mark of node.marks)
        if (decided.eq(mark)) tr.removeMark(Math.max(range.from, pos), Math.min(range.to, pos + node.nodeSize), mark);
      return false;
    });
  }
  const merged = mergeRanges(deletions);
  // A break inside text that goes anyway (a colleague's accepted deletion of it) goes with it.
  const kept = breaks.filter((at) => !merged.some(([from, to]) => at >= from && at < to));
  const work = [
    ...merged.map(([from, to]) => ({ from, to, split: false })),
    ...kept.map((at) => ({ from: at, to: at + 1, split: true })),
  ].sort((a, b) => b.from - a.from);
  for (const { from, to, split } of work) {
    tr.delete(from, to);
    if (!split) continue;
    // In a list item, the break makes a new item, as Enter does there.
    const $at = tr.doc.resolve(from);
    const inItem = $at.depth >= 2 && $at.node(-1).type.name === "listItem" && canSplit(tr.doc, from, 2);
    tr.split(from, inItem ? 2 : 1);
  }
  return tr;
}

/** The document with the filtered suggestions decided (for exports, checks and tests). */
export function withSuggestionsDecided(
  doc: ProseMirrorNode,
  decision: Decision,
  filter: SuggestionFilter,
): ProseMirrorNode {
  return decideSuggestions(new Transform(doc), decision, filter).doc;
}

function boundaryCharacters(doc: ProseMirrorNode, from: number, to: number) {
  const spots: Array<{ pos: number; node: ProseMirrorNode }> = [];
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isText) return true;
    const text = node.text ?? "";
    for (
      let index = text.indexOf(SUGGESTION_BOUNDARY);
      index !== -1;
      index = text.indexOf(SUGGESTION_BOUNDARY, index + 1)
    ) {
      const at = pos + index;
      if (at >= from && at < to) spots.push({ pos: at, node });
    }
    return false;
  });
  return spots;
}

function sameSuggestion(mark: Mark, attrs: SuggestionAttrs): boolean {
  const other = suggestionAttrsOf(mark);
  return other !== null && other.id === attrs.id && other.author === attrs.author;
}

function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of sorted) {
    const last = merged.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}
