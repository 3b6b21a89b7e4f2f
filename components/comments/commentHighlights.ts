import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet, type EditorView } from "@tiptap/pm/view";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { resolveAnchor, type PassageAnchor, type PositionMapping } from "@/common/comments/passageAnchor";

// Highlights of commented passages: ProseMirror decorations, never marks, so nothing about
// comments enters the memo itself (the collaboration server refuses content outside the memo
// schema). Like y-tiptap's remote carets, they are resolved from the anchors whenever the sync
// plugin applies a change from Yjs (when the Yjs document and the mapping are current), and
// mapped through the transaction for local edits, whose Yjs update comes only after.

/** A passage to highlight. `pending` is the passage of a comment being written. */
export type HighlightEntry = { id: string; anchor: PassageAnchor; active: boolean; pending?: boolean };

type HighlightState = { entries: HighlightEntry[]; decorations: DecorationSet };
type SyncState = { type: Y.XmlFragment; binding: { mapping: PositionMapping } | null } | undefined;

/** The plugin's key; a transaction carrying entries as meta replaces the highlights. */
export const commentHighlightsKey = new PluginKey<HighlightState>("commentHighlights");

function decorationsFor(state: EditorState, entries: HighlightEntry[]): DecorationSet {
  const sync = ySyncPluginKey.getState(state) as SyncState;
  if (!sync?.binding || entries.length === 0) return DecorationSet.empty;
  const context = { fragment: sync.type, mapping: sync.binding.mapping, doc: state.doc };
  const decorations: Decoration[] = [];
  for (const entry of entries) {
    const where = resolveAnchor(context, entry.anchor);
    if (where.status !== "anchored") continue;
    const className = `comment-highlight${entry.active ? " is-active" : ""}${entry.pending ? " is-pending" : ""}`;
    const spec = { threadId: entry.id, pending: entry.pending === true };
    decorations.push(Decoration.inline(where.from, where.to, { class: className, "data-thread-id": entry.id }, spec));
  }
  return DecorationSet.create(state.doc, decorations);
}

/** Replaces the highlighted passages. */
export function setCommentHighlights(view: EditorView, entries: HighlightEntry[]): void {
  view.dispatch(view.state.tr.setMeta(commentHighlightsKey, entries).setMeta("addToHistory", false));
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
          init: () => ({ entries: [], decorations: DecorationSet.empty }),
          apply(tr, value, _oldState, newState) {
            const entries = tr.getMeta(commentHighlightsKey) as HighlightEntry[] | undefined;
            if (entries) return { entries, decorations: decorationsFor(newState, entries) };
            const fromYjs =
              (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
            if (fromYjs) return { entries: value.entries, decorations: decorationsFor(newState, value.entries) };
            return tr.docChanged
              ? { entries: value.entries, decorations: value.decorations.map(tr.mapping, tr.doc) }
              : value;
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
