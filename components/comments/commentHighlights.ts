import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet, type EditorView } from "@tiptap/pm/view";

// Highlights of commented passages: ProseMirror decorations, never marks, so nothing about
// comments enters the memo itself (the collaboration server refuses content outside the memo
// schema). The sidebar computes the ranges from the anchors and sets them here; between two
// computations the decorations follow local edits through the transaction's mapping.

/** A passage to highlight. `pending` is the passage of a comment being written. */
export type HighlightRange = { id: string; from: number; to: number; active: boolean; pending?: boolean };

type HighlightState = { decorations: DecorationSet };

/** The plugin's key; a transaction carrying it as meta replaces the highlights. */
export const commentHighlightsKey = new PluginKey<HighlightState>("commentHighlights");

function decorationsFor(doc: EditorState["doc"], ranges: HighlightRange[]): DecorationSet {
  const size = doc.content.size;
  const decorations = ranges
    .filter((range) => range.from < range.to && range.to <= size)
    .map((range) =>
      Decoration.inline(
        range.from,
        range.to,
        {
          class: `comment-highlight${range.active ? " is-active" : ""}${range.pending ? " is-pending" : ""}`,
          "data-thread-id": range.id,
        },
        { threadId: range.id, pending: range.pending === true },
      ),
    );
  return DecorationSet.create(doc, decorations);
}

/** Replaces the highlighted passages. */
export function setCommentHighlights(view: EditorView, ranges: HighlightRange[]): void {
  view.dispatch(view.state.tr.setMeta(commentHighlightsKey, ranges).setMeta("addToHistory", false));
}

/** The thread whose highlight covers `pos` (the shortest one when they overlap), if any. */
export function threadAt(state: EditorState, pos: number): string | null {
  const found = commentHighlightsKey
    .getState(state)
    ?.decorations.find(pos, pos, (spec: { pending?: boolean }) => !spec.pending)
    .filter((decoration) => decoration.from <= pos && pos < decoration.to)
    .sort((a, b) => a.to - a.from - (b.to - b.from));
  return (found?.[0]?.spec as { threadId?: string } | undefined)?.threadId ?? null;
}

/** Highlights commented passages; a click on one calls `onOpen` with its thread. */
export const CommentHighlights = Extension.create<{ onOpen: (threadId: string) => void }>({
  name: "commentHighlights",
  addOptions: () => ({ onOpen: () => undefined }),
  addProseMirrorPlugins() {
    const { onOpen } = this.options;
    return [
      new Plugin<HighlightState>({
        key: commentHighlightsKey,
        state: {
          init: () => ({ decorations: DecorationSet.empty }),
          apply(tr, value) {
            const ranges = tr.getMeta(commentHighlightsKey) as HighlightRange[] | undefined;
            if (ranges) return { decorations: decorationsFor(tr.doc, ranges) };
            return tr.docChanged ? { decorations: value.decorations.map(tr.mapping, tr.doc) } : value;
          },
        },
        props: {
          decorations: (state) => commentHighlightsKey.getState(state)?.decorations,
          handleClick(view, pos) {
            const threadId = threadAt(view.state, pos);
            if (threadId) onOpen(threadId);
            // The click still places the caret as usual.
            return false;
          },
        },
      }),
    ];
  },
});
