import { Extension } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { isRightToLeft } from "@/server/export/textDirection";

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

function directions(doc: ProseMirrorNode): DecorationSet {
  const found: Decoration[] = [];
  doc.descendants((node, pos) => {
    if (node.isTextblock) return false;
    if (CONTAINERS.has(node.type.name)) {
      const first = firstTextblock(node);
      if (first && isRightToLeft(first.textContent)) found.push(Decoration.node(pos, pos + node.nodeSize, { dir: "rtl" }));
    }
    return true;
  });
  return DecorationSet.create(doc, found);
}

const key = new PluginKey<DecorationSet>("containerDirection");

/** Lists and quotes read in the direction of their first paragraph (editor only). */
export const ContainerDirection = Extension.create({
  name: "containerDirection",
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key,
        state: {
          init: (_, state) => directions(state.doc),
          apply: (tr, previous) => (tr.docChanged ? directions(tr.doc) : previous),
        },
        props: { decorations: (state) => key.getState(state) },
      }),
    ];
  },
});
