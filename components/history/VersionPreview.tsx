"use client";

import type { JSONContent } from "@tiptap/core";
import { EditorContent, useEditor } from "@tiptap/react";
import { memoExtensions } from "@/common/editor/memoExtensions";

/** A version's content, rendered read-only with the memo schema. */
export function VersionPreview({ content }: { content: JSONContent }) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: false,
      extensions: memoExtensions(),
      content,
      editorProps: { attributes: { class: "memo-body", "data-testid": "version-preview" } },
    },
    [content],
  );
  return <EditorContent editor={editor} />;
}
