import type { MarkType, Node as ProseMirrorNode } from "@tiptap/pm/model";
import { TextSelection, type EditorState, type Transaction } from "@tiptap/pm/state";
import { AddMarkStep, Mapping, RemoveMarkStep, ReplaceStep } from "@tiptap/pm/transform";
import { withSuggestionsDecided } from "./suggestionDecisions";
import { SUGGESTION_BOUNDARY, suggestionMarksOf, suggestionMarkTypes, type SuggestionAttrs } from "./suggestionMarks";
import { suggestionRanges } from "./suggestionRanges";

// Suggesting mode: an edit the person makes becomes the suggestion of it. Typed or pasted text
// is marked as their insertion; deleted text stays, marked as their deletion, except what they had
// themselves suggested inserting, which simply goes; a new paragraph at the end of one, or a join,
// puts a marked zero-width space at each side of the boundary, and Enter inside a paragraph puts
// one marked as a break (made when accepted). Their adjacent edits share one suggestion (its id,
// its time). The result is checked the way the server checks a commenter's update
// (server/collab/suggestionRules.ts): rejecting the person's suggestions must give back exactly
// what rejecting them gave before, so nothing else changed. An edit that cannot be suggested (a
// heading, list or formatting change, for now) gives null and is not made.

/** Who is suggesting: their user id, a clock and a source of ids. */
export type Suggester = { author: string; now: () => number; newId: () => string };

/** The suggested form of `tr` (built on `state`), or null when it cannot be suggested. */
export function suggestTransaction(state: EditorState, tr: Transaction, who: Suggester): Transaction | null {
  if (!tr.docChanged) return tr;
  if (!tr.steps.every((step) => step instanceof ReplaceStep && suggestible(tr.docs[tr.steps.indexOf(step)], step)))
    return null;
  const { insertion, deletion } = suggestionMarkTypes(state.schema);
  const mine = (attrs: SuggestionAttrs) => attrs.author === who.author;
  const out = state.tr;
  let cursor: number | null = null;
  tr.steps.forEach((step, index) => {
    const replace = step as ReplaceStep;
    // Built from the maps themselves: Mapping.invert ignores the bounds of a slice.
    const back = new Mapping(tr.mapping.maps.slice(0, index)).invert();
    const rebase = (pos: number, assoc: number) => out.mapping.map(back.map(pos, assoc), assoc);
    let from = rebase(replace.from, 1);
    let to = Math.max(from, rebase(replace.to, -1));
    const backspace = state.selection.empty && replace.from < replace.to && state.selection.from === replace.to;
    if (from < to) {
      const result = suggestDeletion(out, from, to, { insertion, deletion, mine, who });
      from = result.start;
      to = result.end;
      cursor = backspace ? result.start : result.end;
    }
    if (isMidParagraphSplit(tr.docs[index], replace)) {
      cursor = suggestBreak(out, to, { insertion, deletion, mine, who });
    } else if (replace.slice.size > 0) {
      const before = out.doc.content.size;
      out.replace(to, to, replace.slice);
      const end = to + (out.doc.content.size - before);
      cursor = suggestInsertion(out, to, end, { insertion, deletion, mine, who });
    }
  });
  if (cursor !== null) out.setSelection(TextSelection.near(out.doc.resolve(Math.min(cursor, out.doc.content.size))));
  for (const key of ["paste", "uiEvent"]) if (tr.getMeta(key) !== undefined) out.setMeta(key, tr.getMeta(key));
  // Typing (text put at one place, nothing deleted) is marked as the person's and nothing else:
  // the check would only confirm it, at a third of a keystroke's cost.
  if (isTyping(tr)) return out;
  const [before, after] = changedBlocks(state.doc, out);
  const onlyMine = (attrs: SuggestionAttrs) => mine(attrs);
  if (!withSuggestionsDecided(after, "reject", onlyMine).eq(withSuggestionsDecided(before, "reject", onlyMine)))
    return null;
  return out;
}

/** Whether `tr` only puts text at one place (what a keystroke does). */
function isTyping(tr: Transaction): boolean {
  if (tr.steps.length !== 1) return false;
  const step = tr.steps[0] as ReplaceStep;
  const { slice } = step;
  if (step.from !== step.to || slice.openStart !== 0 || slice.openEnd !== 0) return false;
  let text = true;
  slice.content.forEach((node) => (text &&= node.isText));
  return text;
}

/**
 * The top-level blocks `out` changed, before and after it, each as a document: what the check
 * compares (comparing the whole memo made a keystroke cost six times one in Editing on 20 pages).
 * One neighbouring block is included on each side, as the server does.
 */
function changedBlocks(doc: ProseMirrorNode, out: Transaction): [ProseMirrorNode, ProseMirrorNode] {
  let from = Infinity;
  let to = -Infinity;
  out.mapping.maps.forEach((map, index) => {
    const later = out.mapping.slice(index + 1);
    map.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
      from = Math.min(from, later.map(newStart, -1));
      to = Math.max(to, later.map(newEnd, 1));
    });
  });
  // Mark steps change nothing a step map sees.
  out.steps.forEach((step, index) => {
    if (!(step instanceof AddMarkStep) && !(step instanceof RemoveMarkStep)) return;
    const range = step;
    const later = out.mapping.slice(index + 1);
    from = Math.min(from, later.map(range.from, -1));
    to = Math.max(to, later.map(range.to, 1));
  });
  if (from > to) return [doc, out.doc];
  const blocksAround = (node: ProseMirrorNode, start: number, end: number) => {
    const $start = node.resolve(Math.max(0, Math.min(start, node.content.size)));
    const $end = node.resolve(Math.max(0, Math.min(end, node.content.size)));
    // One neighbour on each side, as the server checks (a join or new paragraph reaches there).
    const first = Math.max(0, $start.index(0) - 1);
    const last = Math.min(node.childCount, $end.indexAfter(0) + 1);
    return node.type.create(null, node.content.cut(blockStart(node, first), blockStart(node, last)));
  };
  const back = out.mapping.invert();
  return [blocksAround(doc, back.map(from, -1), back.map(to, 1)), blocksAround(out.doc, from, to)];
}

/** Where the top-level block `index` starts (the document's size past the last). */
function blockStart(doc: ProseMirrorNode, index: number): number {
  let pos = 0;
  for (let child = 0; child < index; child++) pos += doc.child(child).nodeSize;
  return pos;
}

/**
 * Whether a replace step can be suggested. Not when it inserts an inline node other than text
 * (a line break: Yjs keeps no marks on those, so the server would see an unmarked insertion), and
 * not when it puts several blocks into the middle of one (a paste): ProseMirror moves the text
 * after the cursor into a new block, which Yjs stores as deleting that text and typing it again
 * (it has no move), and a commenter may not delete anyone's text. Enter there is suggested as a
 * break marker instead (isMidParagraphSplit); a new paragraph at the end of one moves nothing.
 */
function suggestible(doc: ProseMirrorNode, step: ReplaceStep): boolean {
  let inlineNode = false;
  step.slice.content.descendants((node) => {
    if (node.isInline && !node.isText) inlineNode = true;
    return !inlineNode;
  });
  if (inlineNode) return false;
  if (isMidParagraphSplit(doc, step)) return true;
  if (step.slice.openEnd === 0 || step.slice.content.childCount < 2) return true;
  // The slice closes a block and opens another: what follows `to` in its block would move.
  const $to = doc.resolve(step.to);
  return $to.parent.isTextblock ? $to.parentOffset === $to.parent.content.size : true;
}

/** Whether a step is Enter inside a paragraph or at its start: a split with text after it in its block. */
function isMidParagraphSplit(doc: ProseMirrorNode, step: ReplaceStep): boolean {
  const { slice } = step;
  if (step.from !== step.to || slice.openStart < 1 || slice.openEnd < 1 || slice.content.childCount !== 2) return false;
  if (slice.content.textBetween(0, slice.content.size, "", "") !== "") return false;
  const $at = doc.resolve(step.to);
  return $at.parent.isTextblock && $at.parentOffset < $at.parent.content.size;
}

/** Puts a suggested paragraph break at `at` (a marked zero-width space); returns where the cursor goes. */
function suggestBreak(out: Transaction, at: number, context: Context): number {
  const { id, author, time } = groupedAttrs(out.doc, at, at, context.insertion, context);
  out.insert(
    at,
    out.doc.type.schema.text(SUGGESTION_BOUNDARY, [context.insertion.create({ id, author, time, split: true })]),
  );
  return at + 1;
}

type Context = {
  insertion: MarkType;
  deletion: MarkType;
  mine: (attrs: SuggestionAttrs) => boolean;
  who: Suggester;
};

/**
 * The attrs a new stretch of `type` at [from, to) takes: those of the person's own suggestion right
 * before or after it (of that kind first, then of the other: typing over one's deletion makes one
 * replacement), or new ones.
 */
function groupedAttrs(
  doc: ProseMirrorNode,
  from: number,
  to: number,
  type: MarkType,
  context: Context,
): SuggestionAttrs {
  const other = type === context.insertion ? context.deletion : context.insertion;
  const before = doc.resolve(from).nodeBefore;
  const after = doc.resolve(to).nodeAfter;
  const own = (node: ProseMirrorNode | null | undefined, kind: MarkType) => {
    const attrs = (node ? suggestionMarksOf(node, kind) : []).find(({ attrs }) => context.mine(attrs))?.attrs;
    // Text typed after a suggested break joins its suggestion, not its break.
    return attrs ? { id: attrs.id, author: attrs.author, time: attrs.time } : null;
  };
  return (
    own(before, type) ??
    own(after, type) ??
    own(before, other) ??
    own(after, other) ?? { id: context.who.newId(), author: context.who.author, time: context.who.now() }
  );
}

/**
 * Turns the deletion of [from, to) into its suggestion; returns where the kept text now starts
 * and ends (an insertion that replaced it goes after it).
 */
function suggestDeletion(out: Transaction, from: number, to: number, context: Context): { start: number; end: number } {
  const { insertion, deletion, mine } = context;
  const first = out.steps.length;
  const map = (pos: number, assoc = 1) => out.mapping.slice(first).map(pos, assoc);
  // The person's own suggested text in the range simply goes; deleting a marker of their own
  // suggested split, with nothing of theirs left around it, takes the split back (joins).
  const ownRanges = suggestionRanges(out.doc, "insertion", mine).filter((range) => range.from < to && range.to > from);
  const removals: Array<[number, number]> = [];
  for (const range of ownRanges) {
    const start = Math.max(from, range.from);
    const end = Math.min(to, range.to);
    const left = out.doc.textBetween(range.from, start, "", "") + out.doc.textBetween(end, range.to, "", "");
    const spansBlocks = out.doc.resolve(range.from).sameParent(out.doc.resolve(range.to)) === false;
    const takesMarker = out.doc.textBetween(start, end, "", "").includes(SUGGESTION_BOUNDARY);
    if (spansBlocks && takesMarker && left.replaceAll(SUGGESTION_BOUNDARY, "") === "")
      removals.push([range.from, range.to]);
    else removals.push([start, end]);
  }
  // Everything else in the range is marked for deletion, unless someone already marked it.
  const attrs = groupedAttrs(out.doc, from, to, deletion, context);
  out.doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isInline) return true;
    if (suggestionMarksOf(node, insertion).some(({ attrs }) => mine(attrs))) return false;
    if (deletion.isInSet(node.marks)) return false;
    out.addMark(Math.max(from, pos), Math.min(to, pos + node.nodeSize), deletion.create(attrs));
    return false;
  });
  // A block boundary the range crosses is a suggested join: marked at both sides.
  const boundaries = blockBoundaries(out.doc, from, to).filter(
    (boundary) => !removals.some(([start, end]) => start <= boundary.end && end >= boundary.start),
  );
  for (const boundary of boundaries.reverse()) {
    const after = out.doc.resolve(boundary.start).nodeAfter;
    if (!after || !deletion.isInSet(after.marks))
      out.insert(boundary.start, out.doc.type.schema.text(SUGGESTION_BOUNDARY, [deletion.create(attrs)]));
    const before = out.doc.resolve(boundary.end).nodeBefore;
    if (!before || !deletion.isInSet(before.marks))
      out.insert(boundary.end, out.doc.type.schema.text(SUGGESTION_BOUNDARY, [deletion.create(attrs)]));
  }
  const mapped = removals.map(([start, end]) => [map(start, 1), map(end, -1)] as const);
  for (const [start, end] of mapped.sort((a, b) => b[0] - a[0])) if (start < end) out.delete(start, end);
  const start = map(from, -1);
  return { start, end: Math.max(start, map(to, 1)) };
}

/** Marks [from, to), just inserted, as the person's insertion; returns where the cursor goes. */
function suggestInsertion(out: Transaction, from: number, to: number, context: Context): number {
  const { insertion, deletion } = context;
  // What was pasted keeps nobody else's suggestion marks: it is this person's suggestion.
  if (out.doc.rangeHasMark(from, to, insertion)) out.removeMark(from, to, insertion);
  if (out.doc.rangeHasMark(from, to, deletion)) out.removeMark(from, to, deletion);
  const attrs = groupedAttrs(out.doc, from, to, insertion, context);
  out.addMark(from, to, insertion.create(attrs));
  const first = out.steps.length;
  let end = to;
  // A block boundary the insertion makes (a split, a pasted paragraph) is marked at both sides.
  for (const boundary of blockBoundaries(out.doc, from, to).reverse()) {
    const marked = (node: ProseMirrorNode | null | undefined) =>
      !!node && insertion.isInSet(node.marks)?.attrs.id === attrs.id;
    const marker = () => out.doc.type.schema.text(SUGGESTION_BOUNDARY, [insertion.create(attrs)]);
    if (!marked(out.doc.resolve(boundary.start).nodeAfter)) out.insert(boundary.start, marker());
    if (!marked(out.doc.resolve(boundary.end).nodeBefore)) out.insert(boundary.end, marker());
  }
  end = out.mapping.slice(first).map(end, 1);
  return end;
}

/**
 * The textblock boundaries strictly inside [from, to): `end` is where a textblock's content ends,
 * `start` where the next textblock's content starts.
 */
function blockBoundaries(doc: ProseMirrorNode, from: number, to: number): Array<{ end: number; start: number }> {
  const blocks: Array<{ start: number; end: number }> = [];
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isTextblock) return true;
    blocks.push({ start: pos + 1, end: pos + node.nodeSize - 1 });
    return false;
  });
  const boundaries: Array<{ end: number; start: number }> = [];
  for (let index = 0; index + 1 < blocks.length; index++) {
    const left = blocks[index];
    const right = blocks[index + 1];
    if (left.end >= from && right.start <= to) boundaries.push({ end: left.end, start: right.start });
  }
  return boundaries;
}

/**
 * An edit in Editing mode: `tr` with the suggestion marks taken off the content it inserts. Text
 * typed inside a colleague's suggestion would inherit its mark, and so be put in their name.
 */
export function withoutInheritedSuggestions(tr: Transaction): Transaction {
  const { insertion, deletion } = suggestionMarkTypes(tr.doc.type.schema);
  const ranges: Array<[number, number]> = [];
  tr.mapping.maps.forEach((map, index) => {
    const later = tr.mapping.slice(index + 1);
    map.forEach((_oldStart, _oldEnd, newStart, newEnd) => {
      if (newEnd > newStart) ranges.push([later.map(newStart, -1), later.map(newEnd, 1)]);
    });
  });
  for (const [from, to] of ranges) {
    if (!tr.doc.rangeHasMark(from, to, insertion) && !tr.doc.rangeHasMark(from, to, deletion)) continue;
    tr.removeMark(from, to, insertion);
    tr.removeMark(from, to, deletion);
  }
  return tr;
}
