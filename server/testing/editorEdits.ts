import { EditorState, TextSelection, type Transaction } from "@tiptap/pm/state";
import { initProseMirrorDoc, updateYFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { memoSchema } from "../../common/editor/memoDocument";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";

// Edits made the way the browser editor makes them (a ProseMirror transaction, written to Yjs by
// y-tiptap), as one Yjs update built on a copy of `base`: what a crafted or an honest client
// would send. `edit` gets the memo as an editor state, with the cursor at `cursor`.

export function editorEditUpdate(
  base: Y.Doc,
  edit: (state: EditorState) => Transaction,
  cursor = 1,
): { update: Uint8Array; copy: Y.Doc } {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
  const fragment = copy.getXmlFragment(MEMO_FRAGMENT);
  const { doc, meta } = initProseMirrorDoc(fragment, memoSchema());
  const state = EditorState.create({ schema: memoSchema(), doc, selection: TextSelection.create(doc, cursor) });
  const next = state.apply(edit(state)).doc;
  const before = Y.encodeStateVector(copy);
  copy.transact(() => updateYFragment(copy, fragment, next, meta));
  return { update: Y.encodeStateAsUpdate(copy, before), copy };
}
