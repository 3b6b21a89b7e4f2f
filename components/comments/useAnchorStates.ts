"use client";

import type { Editor } from "@tiptap/core";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { useEffect, useState } from "react";
import type * as Y from "yjs";
import {
  resolveAnchor,
  type AnchorContext,
  type AnchorState,
  type PassageAnchor,
  type PositionMapping,
} from "@/common/comments/passageAnchor";
import { commentHighlightsKey } from "./commentHighlights";

type SyncState = { type: Y.XmlFragment; binding: { mapping: PositionMapping } | null } | undefined;

/** The anchor context of the editor now: its Yjs fragment, the binding's mapping and its document. */
export function editorAnchorContext(editor: Editor): AnchorContext | null {
  if (editor.isDestroyed) return null;
  const sync = ySyncPluginKey.getState(editor.state) as SyncState;
  if (!sync?.binding) return null;
  return { fragment: sync.type, mapping: sync.binding.mapping, doc: editor.state.doc };
}

/**
 * Where each anchor is in the live memo, recomputed after the editor's transactions (local edits,
 * and remote ones, which the sync plugin applies as transactions), at most about once a frame.
 */
export function useAnchorStates(
  editor: Editor,
  anchors: ReadonlyMap<string, PassageAnchor>,
): ReadonlyMap<string, AnchorState> {
  const [states, setStates] = useState<ReadonlyMap<string, AnchorState>>(() => new Map());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = "";
    const compute = () => {
      timer = undefined;
      const context = editorAnchorContext(editor);
      if (!context) return;
      const next = new Map([...anchors].map(([id, anchor]) => [id, resolveAnchor(context, anchor)] as const));
      const key = JSON.stringify([...next]);
      if (key === last) return;
      last = key;
      setStates(next);
    };
    // A timer rather than requestAnimationFrame: it keeps running in a background window.
    const schedule = ({ transaction }: { transaction: { getMeta(key: typeof commentHighlightsKey): unknown } }) => {
      if (transaction.getMeta(commentHighlightsKey) !== undefined) return;
      timer ??= setTimeout(compute, 16);
    };
    editor.on("transaction", schedule);
    timer = setTimeout(compute, 0);
    return () => {
      editor.off("transaction", schedule);
      if (timer) clearTimeout(timer);
    };
  }, [editor, anchors]);
  return states;
}
