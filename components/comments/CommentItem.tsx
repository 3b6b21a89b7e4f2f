"use client";

import { useState } from "react";
import { initials } from "@/components/layout/AppHeader";
import { RelativeTime } from "@/components/memos/RelativeTime";
import { presenceColor } from "@/common/sharing/presenceColor";
import { CommentBody } from "./CommentBody";
import type { CommentDraft, ThreadComment } from "./commentsApi";
import { MentionTextarea } from "./MentionTextarea";
import { mentionedIn, type Mentionable } from "./mentionQuery";
import styles from "./comments.module.css";

/** One comment of a thread, with Edit (its author) and Delete (its author, or the memo's owner). */
export function CommentItem({
  comment,
  isFirst,
  isOnly,
  canEdit,
  canDelete,
  people,
  onEdit,
  onDelete,
}: {
  comment: ThreadComment;
  isFirst: boolean;
  isOnly: boolean;
  canEdit: boolean;
  canDelete: boolean;
  people: Mentionable[];
  onEdit: (draft: CommentDraft) => Promise<void>;
  onDelete: () => Promise<void>;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const author = comment.author?.name ?? "Former member";

  async function run(action: () => Promise<void>, after: () => void) {
    setBusy(true);
    setError(null);
    try {
      await action();
      after();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const save = () => {
    if (draft === null || draft.trim() === "") return;
    void run(
      () => onEdit({ body: draft, mentions: mentionedIn(draft, people) }),
      () => setDraft(null),
    );
  };

  return (
    <li className={styles.comment} data-testid="comment">
      <div className={styles.commentHead}>
        <span
          className={styles.avatar}
          aria-hidden="true"
          style={{ backgroundColor: comment.author ? presenceColor(comment.author.id) : "#7a8596" }}
        >
          {initials(author)}
        </span>
        <span className={styles.author}>{author}</span>
        <span className={styles.time}>
          <RelativeTime iso={comment.createdAt} />
          {comment.editedAt && " · edited"}
        </span>
      </div>
      {comment.deleted ? (
        <p className={styles.deleted}>Comment deleted</p>
      ) : draft !== null ? (
        <div className={styles.composer}>
          <MentionTextarea
            label="Edit your comment"
            value={draft}
            onChange={setDraft}
            people={people}
            onSubmit={save}
            onCancel={() => setDraft(null)}
            autoFocus
          />
          <div className={styles.composerActions}>
            <button className="button button-small" type="button" onClick={() => setDraft(null)} disabled={busy}>
              Cancel
            </button>
            <button
              className="button button-primary button-small"
              type="button"
              onClick={save}
              disabled={busy || draft.trim() === ""}
            >
              {busy ? "Saving…" : "Save"}
            </button>
          </div>
        </div>
      ) : (
        <CommentBody body={comment.body} mentions={comment.mentions} />
      )}
      {!comment.deleted && draft === null && !confirming && (canEdit || canDelete) && (
        <div className={styles.commentActions}>
          {canEdit && (
            <button
              className={styles.linkButton}
              type="button"
              onClick={() => setDraft(comment.body)}
              aria-label={`Edit comment by ${author}`}
            >
              Edit
            </button>
          )}
          {canDelete && (
            <button
              className={styles.linkButton}
              type="button"
              onClick={() => setConfirming(true)}
              aria-label={`Delete comment by ${author}`}
            >
              Delete
            </button>
          )}
        </div>
      )}
      {confirming && (
        <div className={styles.confirm} role="group" aria-label="Confirm deletion">
          <span>
            {isOnly
              ? "Delete this comment and its thread?"
              : isFirst
                ? "Delete this comment? The replies stay."
                : "Delete this reply?"}
          </span>
          <button
            className="button button-small"
            type="button"
            onClick={() => setConfirming(false)}
            disabled={busy}
            autoFocus
          >
            Cancel
          </button>
          <button
            className="button button-danger button-small"
            type="button"
            disabled={busy}
            onClick={() => void run(onDelete, () => setConfirming(false))}
          >
            Delete
          </button>
        </div>
      )}
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
