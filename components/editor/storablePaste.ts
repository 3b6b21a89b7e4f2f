import { Extension } from "@tiptap/core";
import { Plugin } from "@tiptap/pm/state";
import { toStorableText } from "@/common/validation/storableText";

// Pasted text loses the characters PostgreSQL cannot store (NUL, lone surrogates): they never come
// from typing, the server refuses an update that carries one (memoStructure.ts), and it would
// refuse it again on every reconnect, so the paste would never be saved.

/** Cleans pasted text and HTML before ProseMirror parses them. */
export const StorablePaste = Extension.create({
  name: "storablePaste",
  addProseMirrorPlugins() {
    return [
      new Plugin({
        props: {
          transformPastedText: (text) => toStorableText(text),
          transformPastedHTML: (html) => toStorableText(html),
        },
      }),
    ];
  },
});
