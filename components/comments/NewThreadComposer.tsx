"use client";

import { useState } from "react";
import type { CommentDraft } from "./commentsApi";
import { MentionTextarea } from "./MentionTextarea";
import { mentionedIn, type Mentionable } from "./mentionQuery";
import styles from "./comments.module.css";

/** The card where a new thread's first comment is written, under the passage it will anchor to. */
export function NewThreadComposer({
  quote,
  people,
  onSubmit,
  onCancel,
}: {
  quote: string;
  people: Mentionable[];
  onSubmit: (draft: CommentDraft) => Promise<void>;
  onCancel: () => void;
}) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    if (text.trim() === "" || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ body: text, mentions: mentionedIn(text, people) });
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  }

  return (
    <section className={`${styles.thread} ${styles.newThread}`} aria-label="New comment" data-testid="new-comment">
      <div className={styles.threadHead}>
        <q className={styles.quoteText}>{quote}</q>
      </div>
      <div className={styles.composer}>
        <MentionTextarea
          label="Comment"
          placeholder="Add a comment… (@ to mention)"
          value={text}
          onChange={setText}
          people={people}
          onSubmit={() => void submit()}
          onCancel={onCancel}
          autoFocus
        />
        <div className={styles.composerActions}>
          <button className="button button-small" type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button
            className="button button-primary button-small"
            type="button"
            onClick={() => void submit()}
            disabled={busy || text.trim() === ""}
          >
            {busy ? "Posting…" : "Comment"}
          </button>
        </div>
      </div>
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
