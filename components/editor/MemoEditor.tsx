"use client";

import { Extension, type AnyExtension, type Editor } from "@tiptap/core";
import Collaboration from "@tiptap/extension-collaboration";
import { Placeholder } from "@tiptap/extensions";
import { ContainerDirection } from "./containerDirection";
import { EditorContent, useEditor } from "@tiptap/react";
import { useEffect, useState, type ReactNode } from "react";
import type { Awareness } from "y-protocols/awareness";
import { PresenceCarets } from "./presenceCarets";
import { StorablePaste } from "./storablePaste";
import { EditorCallbacks } from "./editorCallbacks";
import { SuggestingMode } from "./suggestingMode";
import type * as Y from "yjs";
import { MEMO_FRAGMENT, memoExtensions } from "@/common/editor/memoExtensions";
import { Toolbar } from "./Toolbar";

/** The Tiptap editor bound to the memo's Y.Doc. Rendered once the first sync is done. */
export function MemoEditor({
  doc,
  awareness,
  editable,
  sheetHeader,
  extensions = NO_EXTENSIONS,
  aside,
  canComment,
  onComment,
  author,
  suggesting = false,
  canEdit = editable,
  onModeChange,
  onSuggestionRefused,
}: {
  doc: Y.Doc;
  awareness: Awareness;
  editable: boolean;
  sheetHeader: ReactNode;
  /** More UI-only extensions (comment highlights); keep the array stable, the editor is built once. */
  extensions?: AnyExtension[];
  /** What goes beside the sheet (the comments), given the editor. */
  aside?: (editor: Editor) => ReactNode;
  canComment?: boolean;
  onComment?: () => void;
  /** The signed-in user's id: the author of their suggestions. */
  author: string;
  /** Whether edits become suggestions (suggestingMode.ts). */
  suggesting?: boolean;
  /** Whether the user may edit directly (and so choose the mode); commenters only suggest. */
  canEdit?: boolean;
  onModeChange?: (suggesting: boolean) => void;
  /** Called when an edit could not be suggested and was not made. */
  onSuggestionRefused?: () => void;
}) {
  const [linkOpen, setLinkOpen] = useState(false);
  // The editor is built once: its extensions read the mode and call back through this.
  const [callbacks] = useState(() => new EditorCallbacks());
  useEffect(() => callbacks.update({ suggesting, onModeChange, onSuggestionRefused }));
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable,
      extensions: [
        ...memoExtensions(),
        Collaboration.configure({ document: doc, field: MEMO_FRAGMENT }),
        PresenceCarets(awareness),
        StorablePaste,
        SuggestingMode.configure({ author, callbacks }),
        ContainerDirection,
        ...extensions,
        Placeholder.configure({ placeholder: "Start writing your memo…" }),
        Extension.create({
          name: "linkShortcut",
          addKeyboardShortcuts: () => ({
            "Mod-k": () => {
              setLinkOpen(true);
              return true;
            },
            // Google Docs' shortcuts for its modes.
            "Mod-Alt-Shift-x": () => {
              callbacks.onModeChange?.(true);
              return true;
            },
            "Mod-Alt-Shift-z": () => {
              callbacks.onModeChange?.(false);
              return true;
            },
          }),
        }),
      ],
      editorProps: {
        attributes: { class: "memo-body", "aria-label": "Memo text", "data-testid": "memo-editor" },
      },
    },
    [doc, awareness, extensions, author, callbacks],
  );
  // Roles can change while the memo is open (the owner demotes an editor): follow them.
  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  return (
    <>
      {editor ? (
        <Toolbar
          editor={editor}
          editable={editable}
          suggesting={suggesting}
          canEdit={canEdit}
          onModeChange={onModeChange}
          linkOpen={linkOpen}
          setLinkOpen={setLinkOpen}
          canComment={canComment}
          onComment={onComment}
        />
      ) : (
        <div className="toolbar" aria-hidden="true" />
      )}
      <MemoSheet header={sheetHeader} aside={aside ? editor ? aside(editor) : <div /> : undefined}>
        {editor ? <EditorContent editor={editor} /> : <EditorSkeleton />}
      </MemoSheet>
    </>
  );
}

const NO_EXTENSIONS: AnyExtension[] = [];

/** The page-like sheet the memo is written on, with what goes beside it (the comments). */
export function MemoSheet({ header, children, aside }: { header: ReactNode; children: ReactNode; aside?: ReactNode }) {
  return (
    <main className={aside === undefined ? undefined : "memo-layout"}>
      <article className="memo-sheet">
        {header}
        {children}
      </article>
      {aside}
    </main>
  );
}

/** Placeholder lines while the memo loads. */
export function EditorSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the memo">
      {[92, 100, 96, 70, 0, 88, 100, 64].map((width, index) => (
        <div key={index} className="skeleton-line" style={{ width: `${width}%`, opacity: width ? 1 : 0 }} />
      ))}
    </div>
  );
}
