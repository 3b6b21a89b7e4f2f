"use client";

import { useEffect, useRef, useState, type MouseEvent } from "react";
import { RelativeTime } from "@/components/memos/RelativeTime";
import type { AnchorState } from "@/common/comments/passageAnchor";
import { CommentItem } from "./CommentItem";
import type { CommentDraft, Thread } from "./commentsApi";
import { MentionTextarea } from "./MentionTextarea";
import { mentionedIn, type Mentionable } from "./mentionQuery";
import styles from "./comments.module.css";

/** What a thread card can do; the sidebar supplies it. */
export type ThreadActions = {
  /** Makes the thread the active one and selects its passage (and focuses the reply box). */
  show: (options?: { focusReply?: boolean }) => void;
  reply: (draft: CommentDraft) => Promise<void>;
  setResolved: (resolved: boolean) => Promise<void>;
  /** Anchors the thread to the editor's selection. */
  reanchor: () => Promise<void>;
  edit: (commentId: string, draft: CommentDraft) => Promise<void>;
  remove: (commentId: string) => Promise<void>;
};

/** A thread in the sidebar: its passage, comments, reply box and resolve button. */
export function ThreadCard({
  thread,
  anchor,
  active,
  youId,
  canComment,
  canDeleteAny,
  people,
  replyRequest,
  actions,
}: {
  thread: Thread;
  anchor: AnchorState | undefined;
  active: boolean;
  youId: string;
  canComment: boolean;
  canDeleteAny: boolean;
  people: Mentionable[];
  /** Changes when the reply box should take the focus. */
  replyRequest: number;
  actions: ThreadActions;
}) {
  const [reply, setReply] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const card = useRef<HTMLLIElement>(null);
  const removed = anchor?.status === "removed";
  const resolved = thread.resolvedAt !== null;
  const liveComments = thread.comments.filter((comment) => !comment.deleted).length;

  useEffect(() => {
    if (replyRequest > 0) card.current?.querySelector<HTMLTextAreaElement>("textarea")?.focus();
  }, [replyRequest]);

  async function run(action: () => Promise<void>, after?: () => void) {
    setBusy(true);
    setError(null);
    try {
      await action();
      after?.();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const sendReply = () => {
    if (reply.trim() === "" || busy) return;
    void run(
      () => actions.reply({ body: reply, mentions: mentionedIn(reply, people) }),
      () => setReply(""),
    );
  };

  // A click on the card's background shows the passage; its buttons and fields do their own thing.
  const onCardClick = (event: MouseEvent) => {
    if (!(event.target as HTMLElement).closest("button, a, textarea, [role=group]")) actions.show();
  };

  return (
    <li
      ref={card}
      className={styles.thread}
      data-active={active || undefined}
      data-resolved={resolved || undefined}
      data-thread-id={thread.id}
      data-testid="comment-thread"
      aria-current={active || undefined}
      onClick={onCardClick}
    >
      <div className={styles.threadHead}>
        {removed ? (
          <div className={styles.removed}>
            <span className={styles.removedBadge}>Passage removed</span>
            <q className={styles.removedQuote}>{thread.quote}</q>
          </div>
        ) : (
          <button
            className={styles.quote}
            type="button"
            onClick={() => actions.show()}
            title="Show the passage in the memo"
          >
            <q>{thread.quote}</q>
          </button>
        )}
        {canComment && (
          <button
            className={styles.resolveButton}
            type="button"
            disabled={busy}
            onClick={() => void run(() => actions.setResolved(!resolved))}
            aria-label={resolved ? "Reopen thread" : "Resolve thread"}
            title={resolved ? "Reopen" : "Resolve"}
          >
            {resolved ? "Reopen" : "Resolve"}
          </button>
        )}
      </div>
      {resolved && (
        <p className={styles.resolvedNote} data-testid="resolved-note">
          Resolved{thread.resolvedBy ? ` by ${thread.resolvedBy.name}` : ""} · <RelativeTime iso={thread.resolvedAt!} />
        </p>
      )}
      <ol className={styles.comments}>
        {thread.comments.map((comment, index) => {
          const mine = comment.author?.id === youId;
          return (
            <CommentItem
              key={comment.id}
              comment={comment}
              isFirst={index === 0}
              isOnly={liveComments === 1}
              canEdit={mine && canComment}
              canDelete={(mine && canComment) || canDeleteAny}
              people={people}
              onEdit={(draft) => actions.edit(comment.id, draft)}
              onDelete={() => actions.remove(comment.id)}
            />
          );
        })}
      </ol>
      {removed && canComment && (
        <button className={styles.linkButton} type="button" disabled={busy} onClick={() => void run(actions.reanchor)}>
          Anchor to the selected text
        </button>
      )}
      {canComment && active && (
        <div className={styles.composer}>
          <MentionTextarea
            label="Reply"
            placeholder="Reply… (@ to mention)"
            value={reply}
            onChange={setReply}
            people={people}
            onSubmit={sendReply}
          />
          {reply.trim() !== "" && (
            <div className={styles.composerActions}>
              <button className="button button-small" type="button" onClick={() => setReply("")} disabled={busy}>
                Cancel
              </button>
              <button className="button button-primary button-small" type="button" onClick={sendReply} disabled={busy}>
                {busy ? "Sending…" : "Reply"}
              </button>
            </div>
          )}
        </div>
      )}
      {canComment && !active && (
        <button className={styles.replyLink} type="button" onClick={() => actions.show({ focusReply: true })}>
          Reply
        </button>
      )}
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
