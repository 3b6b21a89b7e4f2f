import { Extension } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, type Transaction } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { isRightToLeft } from "@/common/export/textDirection";

// Text blocks read in the direction of their own text (dir="auto", memoExtensions.ts). A list or
// a quote is not a text block, so its markers and its rule stayed on the left of Arabic items.
// This gives each list and quote the direction of its first text block, as a decoration: nothing
// is stored in the memo, and every export decides the same way (textDirection.ts). CSS cannot do
// it: the build rewrites :dir(rtl) into a list of :lang() selectors, which dir="auto" never meets.

const CONTAINERS = new Set(["bulletList", "orderedList", "blockquote"]);

function firstTextblock(node: ProseMirrorNode): ProseMirrorNode | null {
  let first: ProseMirrorNode | null = null;
  node.descendants((child) => {
    if (first) return false;
    if (child.isTextblock) first = child;
    return !first;
  });
  return first;
}

/** Adds the decoration of `node` at `from` when it is a container that reads right to left. */
function decide(node: ProseMirrorNode, from: number, found: Decoration[]): void {
  if (!CONTAINERS.has(node.type.name)) return;
  const first = firstTextblock(node);
  if (first && isRightToLeft(first.textContent))
    found.push(Decoration.node(from, from + node.nodeSize, { dir: "rtl" }));
}

/** The decorations of the containers inside `node`, whose content starts at `start`. */
function directionsIn(node: ProseMirrorNode, start: number, found: Decoration[]): void {
  node.descendants((child, pos) => {
    if (child.isTextblock) return false;
    decide(child, start + pos, found);
    return true;
  });
}

function directions(doc: ProseMirrorNode): DecorationSet {
  const found: Decoration[] = [];
  directionsIn(doc, 0, found);
  return DecorationSet.create(doc, found);
}

/**
 * The decorations after a change: mapped, and decided again only for the top-level blocks the
 * change touched, so a keystroke (or a colleague's) costs its block, not the whole memo.
 */
function redirect(tr: Transaction, previous: DecorationSet): DecorationSet {
  const touched: [number, number][] = [];
  tr.mapping.maps.forEach((map, index) => {
    const rest = tr.mapping.slice(index + 1);
    map.forEach((_oldStart, _oldEnd, newStart, newEnd) => touched.push([rest.map(newStart, -1), rest.map(newEnd, 1)]));
  });
  let set = previous.map(tr.mapping, tr.doc);
  tr.doc.forEach((block, offset) => {
    const end = offset + block.nodeSize;
    if (block.isTextblock || !touched.some(([from, to]) => from <= end && to >= offset)) return;
    const found: Decoration[] = [];
    decide(block, offset, found);
    directionsIn(block, offset + 1, found);
    // find() also returns the neighbours' decorations that merely touch this block's edges.
    const inside = set.find(offset, end).filter((decoration) => decoration.from >= offset && decoration.to <= end);
    set = set.remove(inside).add(tr.doc, found);
  });
  return set;
}

const key = new PluginKey<DecorationSet>("containerDirection");

/** The plugin alone, for a ProseMirror state without Tiptap (tests). */
export function containerDirectionPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key,
    state: {
      init: (_, state) => directions(state.doc),
      apply: (tr, previous) => (tr.docChanged ? redirect(tr, previous) : previous),
    },
    props: { decorations: (state) => key.getState(state) },
  });
}

/** What the plugin's decorations should be for `doc`: decided from scratch (tests compare with it). */
export const directionsFromScratch = directions;

/** Lists and quotes read in the direction of their first paragraph (editor only). */
export const ContainerDirection = Extension.create({
  name: "containerDirection",
  addProseMirrorPlugins() {
    return [containerDirectionPlugin()];
  },
});
