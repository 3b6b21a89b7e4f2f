import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import * as Y from "yjs";
import { memoSchema, type JSONContent } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { withSuggestionsDecided } from "../../common/suggestions/suggestionDecisions";
import { markNameOfKey } from "../../common/suggestions/suggestionMarks";
import { suggestionRanges } from "../../common/suggestions/suggestionRanges";
import { policyViolation } from "./collabRefusals";

// What a suggestion-bearing update may change, decided on the blocks it touches, before and after,
// as the memo's own editor would read them (ProseMirror nodes of the memo schema):
//   - a commenter only suggests: rejecting their suggestions in the blocks after the update must
//     give exactly what rejecting them gave before. So they may add suggestions of their own and
//     take back their own pending ones, and nothing else: no direct edit, no one else's suggestion
//     touched, nothing accepted;
//   - an editor edits freely, but a suggestion attributed to someone else may only lose text, never
//     gain it: the text of each such suggestion after the update is what it was, with letters taken
//     out at most. An editor cannot put words in a colleague's mouth.
// What is compared is the rendered text, not Yjs's items: y-tiptap writes an edit as a diff of
// each changed paragraph's string (common start and end kept), which often deletes letters of
// someone else's and types them again, so an honest client cannot be told from a crafted one that
// retypes a colleague's text as it was. The text stays the same; what is lost is the identity of
// its letters (a comment anchored there, or a colleague's concurrent edit in it, docs/suggestions.md).
// The author of a new suggestion must be the connection's user either way (a commenter's foreign
// one fails the first rule, an editor's the second). The blocks are rendered from a shadow copy of
// the memo (suggestionShadow.ts), so a refused update touches nothing.

export type SuggestionRule = "onlySuggest" | "attribution";

/**
 * Applies `update` to `shadow` and throws a policy violation unless the change it makes follows
 * `rule` for `userId`. The shadow is left changed either way: its owner drops it on a refusal.
 */
export function applyCheckingSuggestions(
  shadow: Y.Doc,
  update: Uint8Array,
  userId: string,
  rule: SuggestionRule,
): void {
  const fragment = shadow.getXmlFragment(MEMO_FRAGMENT);
  const decoded = Y.decodeUpdate(update) as unknown as {
    structs: Array<Y.Item | Y.GC>;
    ds: { clients: Map<number, Array<{ clock: number; len: number }>> };
  };
  const touched = new Set<Y.Item>();
  const note = (id: Y.ID | null) => {
    if (!id || Y.getState(shadow.store, id.client) <= id.clock) return;
    const block = topBlockOf(Y.getItem(shadow.store, id), fragment);
    if (block) touched.add(block);
  };
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    note(struct.origin);
    note(struct.rightOrigin);
    if (struct.parent instanceof Y.ID) note(struct.parent);
  }
  for (const struct of deletedStructs(shadow, decoded.ds)) note(struct.id);
  // An editor's foreign marks are checked over the whole span (the order of a colleague's words
  // across blocks counts); a commenter's only over what the update touches.
  const span = rule === "attribution";
  const before = regionOf(fragment, touched, span);
  Y.applyUpdate(shadow, update);
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const block = topBlockOf(Y.getItem(shadow.store, struct.id), fragment);
    if (block) touched.add(block);
  }
  const after = regionOf(fragment, touched, span);
  if (rule === "onlySuggest") {
    const theirs = (attrs: { author: string }) => attrs.author === userId;
    if (!withSuggestionsDecided(after, "reject", theirs).eq(withSuggestionsDecided(before, "reject", theirs)))
      throw policyViolation("a commenter may only suggest changes");
  } else {
    const textBefore = foreignSuggestionText(before, userId);
    for (const [key, text] of foreignSuggestionText(after, userId)) {
      if (!isSubsequence(text, textBefore.get(key) ?? ""))
        throw policyViolation("suggestion attributed to someone else");
    }
  }
}

/**
 * The live items of the memo that a delete set deletes, each once: ranges are merged per client
 * first (a crafted update may repeat one range many times), and clocks the memo does not have yet
 * (items the update itself creates and deletes) are left to the update.
 */
function* deletedStructs(
  shadow: Y.Doc,
  ds: { clients: Map<number, Array<{ clock: number; len: number }>> },
): Generator<Y.Item> {
  for (const [client, ranges] of ds.clients) {
    const known = Y.getState(shadow.store, client);
    const sorted = [...ranges].sort((a, b) => a.clock - b.clock);
    let reached = 0;
    for (const { clock, len } of sorted) {
      const end = Math.min(clock + len, known);
      for (let at = Math.max(clock, reached); at < end;) {
        const struct = Y.getItem(shadow.store, Y.createID(client, at));
        if (struct instanceof Y.Item && !struct.deleted) yield struct;
        at = struct.id.clock + struct.length;
      }
      reached = Math.max(reached, end);
    }
  }
}

/** The top-level block an item of the memo belongs to (null outside the memo body). */
function topBlockOf(struct: Y.Item | Y.GC, fragment: Y.XmlFragment): Y.Item | null {
  if (!(struct instanceof Y.Item)) return null;
  let current: Y.Item = struct;
  for (;;) {
    const parent = current.parent as Y.AbstractType<unknown> | null;
    if (parent === fragment) return current;
    if (!parent?._item) return null;
    current = parent._item;
  }
}

/**
 * The touched blocks with one untouched neighbour on each side, in order, as a document of the
 * memo schema: what the editor reads there. Not the whole span from the first touched block to the
 * last, which a two-letter update at both ends of a large memo made the whole memo (110 ms a
 * frame): the cost follows the update. The neighbours are where a suggested join or new paragraph
 * reaches; they are the same blocks before and after (a changed one is touched).
 */
function regionOf(fragment: Y.XmlFragment, touched: ReadonlySet<Y.Item>, span = false): ProseMirrorNode {
  const visible: Y.Item[] = [];
  for (let item = fragment._start; item !== null; item = item.right) if (!item.deleted) visible.push(item);
  const kept = new Set<number>();
  visible.forEach((item, index) => {
    if (!touched.has(item)) return;
    for (const near of [index - 1, index, index + 1]) if (near >= 0 && near < visible.length) kept.add(near);
  });
  if (span && kept.size > 0) for (let index = Math.min(...kept); index <= Math.max(...kept); index++) kept.add(index);
  const blocks = [...kept].sort((a, b) => a - b).map((index) => visible[index]);
  const schema = memoSchema();
  try {
    const content = blocks.map((item) => schema.nodeFromJSON(elementJson((item.content as Y.ContentType).type)));
    return schema.topNodeType.create(null, content);
  } catch {
    throw policyViolation("content outside the memo schema");
  }
}

/** An element as y-tiptap reads it into ProseMirror JSON. */
function elementJson(type: Y.AbstractType<unknown>): JSONContent {
  if (!(type instanceof Y.XmlElement)) throw policyViolation("content outside the memo schema");
  const content: JSONContent[] = [];
  for (const child of type.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const delta of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
        if (typeof delta.insert !== "string") throw policyViolation("content outside the memo schema");
        const marks = Object.entries(delta.attributes ?? {}).map(([key, attrs]) => ({
          // The structure check let only overlapping marks through with a hash (memoStructure.ts).
          type: markNameOfKey(key, () => true) ?? key,
          attrs: attrs as Record<string, unknown>,
        }));
        content.push({ type: "text", text: delta.insert, ...(marks.length ? { marks } : {}) });
      }
    } else content.push(elementJson(child as Y.AbstractType<unknown>));
  }
  const attrs = type.getAttributes();
  return {
    type: type.nodeName,
    ...(Object.keys(attrs).length ? { attrs } : {}),
    ...(content.length ? { content } : {}),
  };
}

/** The text of each suggestion not by `userId`, by kind and id. */
function foreignSuggestionText(doc: ProseMirrorNode, userId: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const kind of ["insertion", "deletion"] as const) {
    for (const range of suggestionRanges(doc, kind, (attrs) => attrs.author !== userId)) {
      const key = `${kind}:${range.attrs.id}:${range.attrs.author}:${range.attrs.time}`;
      // Boundary markers count: an invented split or join in a colleague's name is text they did not suggest.
      const text = doc.textBetween(range.from, range.to, "", "");
      texts.set(key, (texts.get(key) ?? "") + text);
    }
  }
  return texts;
}

function isSubsequence(text: string, of: string): boolean {
  let at = 0;
  for (const char of text) {
    at = of.indexOf(char, at);
    if (at === -1) return false;
    at += char.length;
  }
  return true;
}
