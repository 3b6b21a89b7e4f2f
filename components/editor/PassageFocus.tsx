"use client";

import { Plugin, PluginKey, TextSelection } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import type { Editor } from "@tiptap/react";
import { useEffect, useRef } from "react";

/** How long a passage opened from search stays marked. */
const MARK_MS = 2_500;

const FOUND = new PluginKey("passageFound");

/** Where the document's `index`-th top-level block starts. */
function blockStart(doc: Editor["state"]["doc"], index: number): number {
  let pos = 0;
  for (let i = 0; i < index; i++) pos += doc.child(i).nodeSize;
  return pos;
}

/** When the passage marked now stops being marked. */
let unmarkTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Marks the `index`-th top-level block with a node decoration for a moment. It is found by its
 * index at every redraw, not kept as a position: the collaboration binding replaces the whole
 * document when it syncs, which would drop a decoration mapped along (or a class set on the DOM).
 */
function markPassage(editor: Editor, index: number): void {
  // One mark at a time: a second passage opened within MARK_MS replaces the first (two plugins
  // with one key would make ProseMirror throw).
  clearTimeout(unmarkTimer);
  if (FOUND.get(editor.state)) editor.unregisterPlugin(FOUND);
  editor.registerPlugin(
    new Plugin({
      key: FOUND,
      props: {
        decorations: ({ doc }) => {
          if (index >= doc.childCount) return null;
          const pos = blockStart(doc, index);
          return DecorationSet.create(doc, [
            Decoration.node(pos, pos + doc.child(index).nodeSize, { class: "passage-found" }),
          ]);
        },
      },
    }),
  );
  unmarkTimer = setTimeout(() => {
    if (!editor.isDestroyed && FOUND.get(editor.state)) editor.unregisterPlugin(FOUND);
  }, MARK_MS);
}

/**
 * Opens the memo at a passage (a search result's section, `?passage=N`): once the document holds
 * the N-th top-level block, it is scrolled into view, briefly marked, and the caret put at its
 * start, so a keyboard user reads on from there. A memo shorter than that (edited since) opens at
 * its last block.
 */
export function PassageFocus({ editor, blockIndex }: { editor: Editor; blockIndex: number | null }) {
  const done = useRef<number | null>(null);
  useEffect(() => {
    if (blockIndex === null || done.current === blockIndex) return;
    const focus = () => {
      const doc = editor.state.doc;
      if (done.current === blockIndex || doc.childCount <= Math.min(blockIndex, 1)) return;
      done.current = blockIndex;
      const index = Math.min(blockIndex, doc.childCount - 1);
      const pos = blockStart(doc, index);
      const dom = editor.view.nodeDOM(pos);
      if (dom instanceof HTMLElement) dom.scrollIntoView({ block: "center" });
      markPassage(editor, index);
      // The first place text can go from the block's start (inside a list item, a quote).
      editor
        .chain()
        .command(({ tr }) => {
          tr.setSelection(TextSelection.near(tr.doc.resolve(Math.min(pos + 1, tr.doc.content.size))));
          return true;
        })
        .focus(undefined, { scrollIntoView: false })
        .run();
    };
    // The document may still be arriving: try now, and on each change until it is there.
    const timer = setTimeout(focus, 0);
    editor.on("update", focus);
    return () => {
      clearTimeout(timer);
      editor.off("update", focus);
    };
  }, [editor, blockIndex]);
  return null;
}
