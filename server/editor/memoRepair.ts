import { Fragment, type NodeType } from "@tiptap/pm/model";
import * as Y from "yjs";
import { MAX_DEPTH } from "../collab/memoStructure";
import { validAttributeValue, validMarkValue } from "../collab/memoAttributeValues";
import { markTypeOfKey } from "../../common/suggestions/suggestionMarks";
import { isStorableText } from "../../common/validation/storableText";
import { collectGarbage, prepareDeletion } from "./deepDeletion";
import { memoJsonFromYdoc, memoSchema, type JSONContent } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { detachedCopy } from "../../common/editor/memoSchemaFit";
import { levelsBelow, MisplacedContentFitter, nodeTypeOf, storableCharacters } from "./misplacedContent";

// Memos stored before updates were checked against the schema (memoStructure.ts) may hold content
// the editor cannot show: y-tiptap deletes what it cannot build and ProseMirror drops what does not
// fit, so opening such a memo lost text, and some (an XmlText under the root) could not be opened.
// Here a memo's Yjs document is checked, and repaired, so that its fragment converts to a valid
// document of the memo schema, the rules of memoStructure.ts included (attribute values, marks,
// depth, storable characters), without losing a visible character:
//   - what stands where its container allows it stays, with the same Yjs items (comment anchors
//     survive), its invalid attributes reset to their default and unknown marks dropped;
//   - what stands anywhere else is replaced by nodes that fit there (misplacedContent.ts): its
//     text moves into a paragraph, a list item into a list, a block in a text block gives it its text;
//   - an element missing what its expression requires gets it (a list item's first paragraph, an
//     empty list's item), and NUL and lone surrogates are removed from text.
// The walk uses a stack, not recursion (a stored memo may nest 10,000 levels deep), and a valid
// memo costs one pass that writes nothing.

/** What repairing a memo did. `collected`: deleted content was garbage-collected (deepDeletion.ts). */
export type StructureRepair = { repaired: boolean; problems: string[]; collected: boolean };

type Schema = ReturnType<typeof memoSchema>;
type Container = { type: Y.XmlFragment; node: NodeType; depth: number };
type Repair = { transaction: Y.Transaction; garbage: Y.Item[] };
type Edit = { at: number; remove: number; insert: JSONContent[] };

const UNSTORABLE = /\u0000|\p{Cs}/gu;

/** What in `doc` keeps its memo from converting to a valid document of the schema, briefly; empty when nothing. */
export function findStructureProblems(doc: Y.Doc): string[] {
  return walk(doc, null);
}

/** Repairs `doc` in one transaction when it has structure problems; a valid memo is left untouched. */
export function repairMemoStructure(doc: Y.Doc): StructureRepair {
  const problems = findStructureProblems(doc);
  if (problems.length === 0) return { repaired: false, problems, collected: false };
  const garbage: Y.Item[] = [];
  doc.transact((transaction) => void walk(doc, { transaction, garbage }));
  collectGarbage(doc, garbage);
  return { repaired: true, problems, collected: garbage.length > 0 };
}

/** The memo body as JSON that fits the schema: `doc`'s own, or a repaired copy's (`doc` is not changed). */
export function validMemoJson(doc: Y.Doc): JSONContent {
  if (findStructureProblems(doc).length === 0) return memoJsonFromYdoc(doc);
  const copy = detachedCopy(doc);
  try {
    repairMemoStructure(copy);
    return memoJsonFromYdoc(copy);
  } finally {
    copy.destroy();
  }
}

/**
 * The memo body as JSON as it is stored, for copies derived from the stored state; when the schema
 * cannot read it as it is (an unknown element, nesting 10,000 deep), as its repair leaves it.
 */
export function storedMemoJson(doc: Y.Doc): JSONContent {
  try {
    const json = memoJsonFromYdoc(doc);
    memoSchema().nodeFromJSON(json);
    return json;
  } catch {
    return validMemoJson(doc);
  }
}

function walk(doc: Y.Doc, repair: Repair | null): string[] {
  const schema = memoSchema();
  const problems = new Set<string>();
  const pending: Container[] = [{ type: doc.getXmlFragment(MEMO_FRAGMENT), node: schema.topNodeType, depth: 0 }];
  for (let container = pending.pop(); container; container = pending.pop())
    visitContainer(schema, container, problems, repair, pending);
  return [...problems];
}

/** Checks (and repairs) one container's children; queues the elements it keeps. */
function visitContainer(
  schema: Schema,
  container: Container,
  problems: Set<string>,
  repair: Repair | null,
  pending: Container[],
): void {
  const { type: parent, node, depth } = container;
  const children = parent.toArray() as unknown[];
  const edits: Edit[] = [];
  let match = node.contentMatch;
  let fitter: MisplacedContentFitter | null = null;
  let fitStart = 0;
  const endFitting = (end: number) => {
    if (!fitter) return;
    const fitted = fitter.finish(end < children.length);
    match = fitted.match;
    edits.push({ at: fitStart, remove: end - fitStart, insert: fitted.content });
    fitter = null;
  };
  for (let index = 0; index < children.length; index++) {
    const child = children[index];
    const kept = keptType(schema, child, node, depth);
    if (kept) {
      endFitting(index);
      if (kept === "text") {
        visitText(schema, child as Y.XmlText, node, problems, repair);
        continue;
      }
      let next = match.matchType(kept);
      if (!next) {
        // What the expression requires first (a list item's paragraph) goes in front of it.
        const fill = match.fillBefore(Fragment.from(kept.createAndFill()!));
        next = (fill && fill.childCount > 0 && match.matchFragment(fill)?.matchType(kept)) || null;
        if (next) {
          problems.add(`${node.name} with content the memo schema does not allow`);
          edits.push({ at: index, remove: 0, insert: fill!.toJSON() as JSONContent[] });
        }
      }
      if (next) {
        match = next;
        visitAttributes(child as Y.XmlElement, kept, problems, repair);
        pending.push({ type: child as Y.XmlElement, node: kept, depth: depth + 1 });
        continue;
      }
    }
    problems.add(misplacement(schema, child, node, depth));
    if (!fitter) {
      fitter = new MisplacedContentFitter(node, match, depth, index > 0);
      fitStart = index;
    }
    fitter.add(child);
  }
  endFitting(children.length);
  if (!match.validEnd) {
    problems.add(depth === 0 ? "a memo without any block" : `${node.name} with content the memo schema does not allow`);
    edits.push({
      at: children.length,
      remove: 0,
      insert: (match.fillBefore(Fragment.empty, true)?.toJSON() ?? []) as JSONContent[],
    });
  }
  if (repair) applyEdits(parent, children, edits, repair);
}

/** What a child is kept as where it stands (an element's node type, or "text"), or null when it is misplaced. */
function keptType(schema: Schema, child: unknown, container: NodeType, depth: number): NodeType | "text" | null {
  if (child instanceof Y.XmlText) return container.isTextblock ? "text" : null;
  if (!(child instanceof Y.XmlElement)) return null;
  const type = nodeTypeOf(schema, child.nodeName);
  if (!type || depth + 1 + levelsBelow(type) > MAX_DEPTH) return null;
  if (type.isLeaf && child.length > 0) return null;
  return type;
}

/** Why a child is misplaced, briefly (the version records it). */
function misplacement(schema: Schema, child: unknown, container: NodeType, depth: number): string {
  if (child instanceof Y.XmlText) return "text outside a text block";
  if (!(child instanceof Y.XmlElement)) return "content outside the memo schema";
  const type = nodeTypeOf(schema, child.nodeName);
  if (!type) return "an element the memo schema does not know";
  if (depth + 1 + levelsBelow(type) > MAX_DEPTH) return "content nested too deeply";
  if (type.isLeaf && child.length > 0) return `content inside a ${type.name}`;
  return container === schema.topNodeType
    ? `${type.name} at the memo's top level`
    : `${type.name} inside a ${container.name}`;
}

function visitAttributes(element: Y.XmlElement, type: NodeType, problems: Set<string>, repair: Repair | null): void {
  for (const [name, value] of Object.entries(element.getAttributes() as Record<string, unknown>)) {
    if (!Object.hasOwn(type.spec.attrs ?? {}, name)) {
      problems.add("attribute outside the memo schema");
      if (repair) element.removeAttribute(name);
    } else if (!validAttributeValue(type.name, name, value)) {
      problems.add(`${type.name} ${name} outside the memo schema`);
      const fallback: unknown = type.spec.attrs![name].default;
      if (repair && (fallback === null || fallback === undefined)) element.removeAttribute(name);
      else if (repair) element.setAttribute(name, fallback as string);
    }
  }
}

/** Checks (and repairs) a text of a text block: its characters, its marks, nothing embedded. */
function visitText(
  schema: Schema,
  text: Y.XmlText,
  block: NodeType,
  problems: Set<string>,
  repair: Repair | null,
): void {
  // A cheap pass first (no allocation per run): nearly every text is fine.
  const found = textProblems(schema, text, block);
  for (const problem of found) problems.add(problem);
  if (repair && found.length > 0) repairText(schema, text, block, repair);
}

const UNSTORABLE_TEXT = "text with a character storage cannot hold (NUL or a lone surrogate)";

function textProblems(schema: Schema, text: Y.XmlText, block: NodeType): string[] {
  const found: string[] = [];
  if (Object.keys(text.getAttributes()).length > 0) found.push("attribute on text");
  // Consecutive runs of characters are checked together: a surrogate pair may span two.
  let run = "";
  for (let item = text._start; item; item = item.right) {
    if (item.deleted) continue;
    const content = item.content;
    if (content instanceof Y.ContentString) run += content.str;
    else if (content instanceof Y.ContentFormat) {
      if (!validFormat(schema, block, content.key, content.value)) found.push("mark outside the memo schema");
    } else {
      found.push("content outside the memo schema");
      if (!isStorableText(run)) found.push(UNSTORABLE_TEXT);
      run = "";
    }
  }
  if (!isStorableText(run)) found.push(UNSTORABLE_TEXT);
  return found;
}

/**
 * Repairs a text: drops its attributes and invalid marks, replaces embedded content by the text it
 * holds, and each run holding a character storage cannot hold by the run without it. A run is
 * replaced whole because Yjs, splitting a run right after a lone high surrogate, turns the
 * character that follows into U+FFFD.
 */
function repairText(schema: Schema, text: Y.XmlText, block: NodeType, repair: Repair): void {
  for (const name of Object.keys(text.getAttributes())) text.removeAttribute(name);
  type Replacement = { index: number; length: number; text: string; attributes: Record<string, unknown> };
  const replacements: Replacement[] = [];
  const marks = new Map<string, unknown>();
  const currentMarks = () => Object.fromEntries([...marks].filter(([, value]) => value !== null));
  let runs: Replacement[] = [];
  const endRuns = () => {
    const joined = runs.map((run) => run.text).join("");
    if (!isStorableText(joined)) {
      const unstorable = new Set([...joined.matchAll(UNSTORABLE)].map((found) => found.index));
      let offset = 0;
      for (const run of runs) {
        const kept = run.text.split("").filter((_, i) => !unstorable.has(offset + i));
        if (kept.length < run.text.length) replacements.push({ ...run, text: kept.join("") });
        offset += run.text.length;
      }
    }
    runs = [];
  };
  let index = 0;
  for (let item = text._start; item; item = item.right) {
    if (item.deleted) continue;
    const content = item.content;
    if (content instanceof Y.ContentFormat) {
      if (validFormat(schema, block, content.key, content.value)) marks.set(content.key, content.value);
      else item.delete(repair.transaction);
      continue;
    }
    if (content instanceof Y.ContentString) {
      runs.push({ index, length: item.length, text: content.str, attributes: currentMarks() });
    } else {
      endRuns();
      const inside = content instanceof Y.ContentType ? storableCharacters(textInside(content.type)) : "";
      replacements.push({ index, length: item.length, text: inside, attributes: currentMarks() });
    }
    index += item.length;
  }
  endRuns();
  for (const replacement of replacements.reverse()) {
    text.delete(replacement.index, replacement.length);
    if (replacement.text) text.insert(replacement.index, replacement.text, replacement.attributes);
  }
}

function validFormat(schema: Schema, block: NodeType, key: string, value: unknown): boolean {
  // An overlapping mark (a suggested deletion) is kept under "name--hash" (y-tiptap).
  const mark = markTypeOfKey(schema, key);
  return mark !== undefined && block.allowsMarkType(mark) && (value === null || validMarkValue(mark.name, value));
}

/** Every character of the texts inside a type, in order. */
function textInside(type: Y.AbstractType<unknown>): string {
  const parts: string[] = [];
  // One cursor per level: where that level's walk continues once the type being read is done.
  const cursors: (Y.Item | null)[] = [type._start];
  while (cursors.length > 0) {
    const item = cursors[cursors.length - 1];
    if (!item) {
      cursors.pop();
      continue;
    }
    cursors[cursors.length - 1] = item.right;
    if (item.deleted) continue;
    if (item.content instanceof Y.ContentString) parts.push(item.content.str);
    else if (item.content instanceof Y.ContentType) cursors.push(item.content.type._start);
  }
  return parts.join("");
}

function applyEdits(parent: Y.XmlFragment, children: unknown[], edits: Edit[], repair: Repair): void {
  for (const edit of edits.sort((a, b) => b.at - a.at)) {
    for (let index = edit.at; index < edit.at + edit.remove; index++) {
      const child = children[index];
      if (child instanceof Y.AbstractType) prepareDeletion(child, repair.transaction, repair.garbage);
    }
    if (edit.remove > 0) parent.delete(edit.at, edit.remove);
    if (edit.insert.length > 0) parent.insert(edit.at, yNodesFromJson(edit.insert));
  }
}

/** Yjs types for JSON nodes, as y-tiptap writes them (consecutive text runs share one XmlText). */
function yNodesFromJson(nodes: JSONContent[]): (Y.XmlElement | Y.XmlText)[] {
  const types: (Y.XmlElement | Y.XmlText)[] = [];
  let runs: { insert: string; attributes: Record<string, unknown> }[] = [];
  const endText = () => {
    if (runs.length === 0) return;
    const text = new Y.XmlText();
    text.applyDelta(runs);
    types.push(text);
    runs = [];
  };
  for (const node of nodes) {
    if (node.type === "text") {
      runs.push({
        insert: node.text ?? "",
        attributes: Object.fromEntries((node.marks ?? []).map((mark) => [mark.type, mark.attrs ?? {}])),
      });
      continue;
    }
    endText();
    const element = new Y.XmlElement(node.type);
    for (const [name, value] of Object.entries(node.attrs ?? {}))
      if (value !== null && value !== undefined) element.setAttribute(name, value as string);
    // Fitted nodes nest at most MAX_DEPTH deep, so this recursion is bounded.
    element.insert(0, yNodesFromJson(node.content ?? []));
    types.push(element);
  }
  endText();
  return types;
}
