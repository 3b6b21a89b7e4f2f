import { yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { memoJsonFromYdoc, memoNodeFromJson, memoSchema } from "./memoDocument";
import { MEMO_FRAGMENT } from "./memoExtensions";

// Whether a memo's Yjs document can be shown by the editor as it is. y-tiptap builds ProseMirror
// nodes from the Yjs tree and, for an element it cannot build, deletes it from the Yjs document
// (and so from everyone's memo); ProseMirror then drops content that does not fit the schema, and
// the next keystroke writes that loss back. Checked on a copy, so the check itself deletes nothing.

/** True when the editor would show `doc` without dropping or deleting anything. */
export function memoFitsSchema(doc: Y.Doc): boolean {
  const copy = detachedCopy(doc);
  let wroteBack = false;
  copy.on("update", () => (wroteBack = true));
  try {
    yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(MEMO_FRAGMENT), memoSchema()).check();
    // y-tiptap builds some misplaced elements into something else (an element named "text"
    // becomes the text "undefined"); read as JSON, as the exports read it, they do not pass.
    memoNodeFromJson(memoJsonFromYdoc(doc));
    return !wroteBack;
  } catch {
    return false;
  } finally {
    copy.destroy();
  }
}

/** A copy of `doc` connected to nothing: what happens to it stays with it. */
export function detachedCopy(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc({ gc: false });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}
