import { initProseMirrorDoc } from "@tiptap/y-tiptap";
import type * as Y from "yjs";
import { memoSchema } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { resolveAnchor, type AnchorContext, type PassageAnchor } from "../../common/comments/passageAnchor";
import { passageText } from "../../common/comments/passageText";

// Anchors outside a browser editor: the server (re-anchoring after a restore) and tests build the
// ProseMirror document and the Yjs mapping from a Y.Doc the way the editor's binding does.

/** The anchor context of a memo's Y.Doc, as it is now. */
export function anchorContextOf(ydoc: Y.Doc): AnchorContext {
  const fragment = ydoc.getXmlFragment(MEMO_FRAGMENT);
  const { doc, mapping } = initProseMirrorDoc(fragment, memoSchema());
  return { fragment, mapping, doc };
}

/** The text an anchor covers in a Y.Doc now, or null when its passage was removed (or is unknown). */
export function anchoredText(ydoc: Y.Doc, anchor: PassageAnchor): string | null {
  const context = anchorContextOf(ydoc);
  const state = resolveAnchor(context, anchor);
  return state.status === "anchored" ? passageText(context.doc, state.from, state.to) : null;
}
