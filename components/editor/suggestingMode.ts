import { Extension } from "@tiptap/core";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { suggestTransaction, withoutInheritedSuggestions } from "@/common/suggestions/suggestingTransform";
import { newSuggestionId } from "@/common/suggestions/suggestionMarks";
import type { EditorCallbacks } from "./editorCallbacks";

// Editing or Suggesting, per editor. In Suggesting, every edit the person makes is rewritten into
// its suggestion before it is applied (common/suggestions/suggestingTransform.ts); one that cannot
// be suggested is not made, and onSuggestionRefused says so. In Editing, typed text never carries a
// suggestion mark it would inherit from where it is typed: what an editor writes is the memo's
// text, not a colleague's suggestion (the server refuses text added to someone else's).
// Remote changes, undo (both come through y-tiptap) and review decisions pass untouched.

/** Meta on a transaction that accepts or rejects suggestions: not itself suggested. */
export const SUGGESTION_DECISION = "suggestionDecision";

export type SuggestingOptions = {
  /** The signed-in user's id: every suggestion is theirs. */
  author: string;
  /** The page's current mode, and whom to tell when an edit could not be suggested. */
  callbacks: Pick<EditorCallbacks, "suggesting" | "onSuggestionRefused">;
};

export const SuggestingMode = Extension.create<SuggestingOptions>({
  name: "suggestingMode",
  addOptions: () => ({ author: "", callbacks: { suggesting: false, onSuggestionRefused: undefined } }),
  dispatchTransaction({ transaction, next }) {
    if (!transaction.docChanged || transaction.getMeta(ySyncPluginKey) || transaction.getMeta(SUGGESTION_DECISION)) {
      next(transaction);
      return;
    }
    if (!this.options.callbacks.suggesting) {
      next(withoutInheritedSuggestions(transaction));
      return;
    }
    const suggested = suggestTransaction(this.editor.state, transaction, {
      author: this.options.author,
      now: Date.now,
      newId: newSuggestionId,
    });
    if (suggested) next(suggested);
    else this.options.callbacks.onSuggestionRefused?.();
  },
});
