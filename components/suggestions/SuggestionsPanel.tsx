"use client";

import type { Editor } from "@tiptap/core";
import { useEditorState } from "@tiptap/react";
import { useState } from "react";
import { decideSuggestions, type Decision } from "@/common/suggestions/suggestionDecisions";
import {
  listSuggestions,
  onlySuggestion,
  suggestionKey,
  type SuggestionFilter,
  type SuggestionSummary,
} from "@/common/suggestions/suggestionRanges";
import { describeSuggestion } from "@/common/suggestions/suggestionWords";
import { presenceColor } from "@/common/sharing/presenceColor";
import { RelativeTime } from "@/components/memos/RelativeTime";
import { SUGGESTION_DECISION } from "@/components/editor/suggestingMode";
import styles from "./suggestions.module.css";

const EVERYONE = "";

/**
 * The memo's pending suggestions beside it, in document order: what each would do, who suggested
 * it and when, Accept and Reject for those who may decide (editors and the owner), Withdraw for
 * the suggester, and Accept all / Reject all for everyone's or one person's.
 */
export function SuggestionsPanel({
  editor,
  youId,
  canDecide,
  names,
  onDiscuss,
}: {
  editor: Editor;
  youId: string;
  canDecide: boolean;
  /** People's names by user id (the memo's members). */
  names: ReadonlyMap<string, string>;
  /** Opens a comment thread on the suggestion's passage (replies to a suggestion are its thread). */
  onDiscuss?: (from: number, to: number) => void;
}) {
  const suggestions = useEditorState({
    editor,
    selector: ({ editor: e }) => listSuggestions(e.state.doc),
    equalityFn: sameSuggestions,
  });
  const [author, setAuthor] = useState(EVERYONE);
  const authors = [...new Set(suggestions.map((suggestion) => suggestion.author))];
  const shown = author === EVERYONE ? suggestions : suggestions.filter((suggestion) => suggestion.author === author);
  const nameOf = (id: string) => (id === youId ? "You" : (names.get(id) ?? "A former member"));

  const decide = (decision: Decision, filter: SuggestionFilter) => {
    editor.view.dispatch(decideSuggestions(editor.state.tr, decision, filter).setMeta(SUGGESTION_DECISION, true));
  };
  const show = (suggestion: SuggestionSummary) => {
    editor.chain().focus().setTextSelection({ from: suggestion.from, to: suggestion.to }).scrollIntoView().run();
  };

  if (suggestions.length === 0) return null;
  const scope = author === EVERYONE ? "" : ` by ${nameOf(author)}`;
  const inScope: SuggestionFilter = (attrs) => author === EVERYONE || attrs.author === author;
  return (
    <section className={styles.panel} aria-label="Suggestions" data-testid="suggestions-panel">
      <div className={styles.header}>
        <h2 className={styles.title}>
          Suggestions <span className={styles.count}>{suggestions.length}</span>
        </h2>
        {authors.length > 1 && (
          <label className={styles.byAuthor}>
            <span className="visually-hidden">Show suggestions by</span>
            <select value={author} onChange={(event) => setAuthor(event.target.value)}>
              <option value={EVERYONE}>Everyone</option>
              {authors.map((id) => (
                <option key={id} value={id}>
                  {nameOf(id)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {canDecide && (
        <div className={styles.all}>
          <button className="button button-small" type="button" onClick={() => decide("accept", inScope)}>
            Accept all{scope}
          </button>
          <button className="button button-small" type="button" onClick={() => decide("reject", inScope)}>
            Reject all{scope}
          </button>
        </div>
      )}
      <ol className={styles.list}>
        {shown.map((suggestion) => {
          const only = onlySuggestion(suggestion);
          const mine = suggestion.author === youId;
          return (
            <li
              key={suggestionKey(suggestion)}
              className={styles.card}
              style={{ borderInlineStartColor: presenceColor(suggestion.author) }}
              data-testid="suggestion-card"
            >
              <button type="button" className={styles.what} onClick={() => show(suggestion)}>
                {describeSuggestion(suggestion)}
              </button>
              <p className={styles.meta}>
                {nameOf(suggestion.author)} · <RelativeTime iso={new Date(suggestion.time).toISOString()} />
              </p>
              <div className={styles.actions}>
                {canDecide && (
                  <>
                    <button
                      className="button button-small button-primary"
                      type="button"
                      onClick={() => decide("accept", only)}
                    >
                      Accept
                    </button>
                    <button className="button button-small" type="button" onClick={() => decide("reject", only)}>
                      Reject
                    </button>
                  </>
                )}
                {!canDecide && mine && (
                  <button className="button button-small" type="button" onClick={() => decide("reject", only)}>
                    Withdraw
                  </button>
                )}
                {onDiscuss && (
                  <button
                    className="button button-small button-quiet"
                    type="button"
                    onMouseDown={(event) => event.preventDefault()}
                    onClick={() => onDiscuss(suggestion.from, suggestion.to)}
                  >
                    Reply
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function sameSuggestions(a: SuggestionSummary[], b: SuggestionSummary[] | null): boolean {
  if (!b || a.length !== b.length) return false;
  return a.every((suggestion, index) => {
    const other = b[index];
    return (
      suggestion.id === other.id &&
      suggestion.author === other.author &&
      suggestion.from === other.from &&
      suggestion.to === other.to &&
      suggestion.inserted === other.inserted &&
      suggestion.deleted === other.deleted &&
      suggestion.splits === other.splits &&
      suggestion.joins === other.joins
    );
  });
}
