import * as Y from "yjs";
import type { JSONContent } from "@tiptap/core";

// Limits on a memo's shape, checked before import or export does work proportional to it. They sit
// far beyond any memo a person writes (a long brief has a few hundred blocks and lists three levels
// deep) and well within what a worker renders before its deadline; the largest source an import
// accepts (IMPORT_MAX_BYTES, 512 KB: at most 262,144 one-letter lines) fits them. Both walks below
// are iterative: a memo of 10,000 nested lists must be measured, not overflow the stack. Code that
// runs after a check (ProseMirror, y-tiptap, the renderers) recurses once per level, which the
// nesting limit bounds.

/** Lists and quotes inside one another. */
export const MAX_NESTING = 16;
/** Block nodes: paragraphs, headings, list items, lists and quotes. */
export const MAX_BLOCKS = 300_000;
/**
 * Blocks a PDF or Word export lays out. Their renderers hold the whole laid-out file: measured
 * here, 30,000 list items (60,000 blocks) took 7 s and 550–700 MB of heap, and 131,072 (what a
 * 512 KB import of "- x" lines makes) ran 30 s into the 1 GB worker limit. Markdown is linear and
 * light (131,072 items in under 7 s) and keeps MAX_BLOCKS.
 */
export const MAX_RENDERED_BLOCKS = 60_000;
/** Pieces of inline content: text runs (Yjs items, for a stored memo) and line breaks. */
export const MAX_INLINE = 1_000_000;

/** What a walk measured; it stops as soon as one limit is exceeded, so counts are then lower bounds. */
export type DocumentShape = { nesting: number; blocks: number; inline: number };

/** The first limit a shape exceeds. */
export type ExceededLimit = { limit: "nesting" | "blocks" | "inline"; max: number };

const CONTAINERS = new Set(["bulletList", "orderedList", "blockquote"]);
const INLINE_ELEMENTS = new Set(["hardBreak"]);
// A memo that fits the schema has at most two element levels per list (list, item) plus a block and
// an inline node; anything deeper is malformed and refused as too deeply nested.
const MAX_ELEMENT_DEPTH = 2 * MAX_NESTING + 2;

/** The limit `shape` exceeds, or null. */
export function exceededLimit(shape: DocumentShape): ExceededLimit | null {
  if (shape.nesting > MAX_NESTING) return { limit: "nesting", max: MAX_NESTING };
  if (shape.blocks > MAX_BLOCKS) return { limit: "blocks", max: MAX_BLOCKS };
  if (shape.inline > MAX_INLINE) return { limit: "inline", max: MAX_INLINE };
  return null;
}

type Walk = { shape: DocumentShape; enter(name: string, nesting: number, depth: number): number | null };

/** Counts one element; returns its children's nesting, or null once a limit is exceeded. */
function walker(): Walk {
  const shape: DocumentShape = { nesting: 0, blocks: 0, inline: 0 };
  return {
    shape,
    enter(name, nesting, depth) {
      if (INLINE_ELEMENTS.has(name)) shape.inline++;
      else shape.blocks++;
      const inner = CONTAINERS.has(name) ? nesting + 1 : nesting;
      shape.nesting = Math.max(shape.nesting, depth > MAX_ELEMENT_DEPTH ? MAX_NESTING + 1 : inner);
      return exceededLimit(shape) ? null : inner;
    },
  };
}

/** Measures Tiptap JSON (the `doc` node's content). */
export function measureMemoJson(doc: JSONContent): DocumentShape {
  const walk = walker();
  const stack: { nodes: JSONContent[]; nesting: number; depth: number }[] = [
    { nodes: doc.content ?? [], nesting: 0, depth: 1 },
  ];
  while (stack.length > 0) {
    const { nodes, nesting, depth } = stack.pop()!;
    for (const node of nodes) {
      if (node.type === "text") {
        if (++walk.shape.inline > MAX_INLINE) return walk.shape;
        continue;
      }
      const inner = walk.enter(node.type ?? "", nesting, depth);
      if (inner === null) return walk.shape;
      if (node.content?.length) stack.push({ nodes: node.content, nesting: inner, depth: depth + 1 });
    }
  }
  return walk.shape;
}

/** Measures a memo's Yjs fragment, as stored (deleted content is skipped). */
export function measureMemoFragment(fragment: Y.XmlFragment): DocumentShape {
  const walk = walker();
  const stack: { parent: Y.XmlFragment; nesting: number; depth: number }[] = [
    { parent: fragment, nesting: 0, depth: 1 },
  ];
  while (stack.length > 0) {
    const { parent, nesting, depth } = stack.pop()!;
    for (let item = parent._start; item !== null; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentType)) continue;
      const child = item.content.type;
      if (child instanceof Y.XmlText) {
        for (let run = child._start; run !== null; run = run.right)
          if (!run.deleted && run.countable) walk.shape.inline++;
        if (exceededLimit(walk.shape)) return walk.shape;
      } else if (child instanceof Y.XmlElement) {
        const inner = walk.enter(child.nodeName, nesting, depth);
        if (inner === null) return walk.shape;
        stack.push({ parent: child, nesting: inner, depth: depth + 1 });
      }
    }
  }
  return walk.shape;
}
