"use client";

import type { Editor } from "@tiptap/core";
import { fromBase64 } from "lib0/buffer";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { anchorPassage, encodeAnchor, type PassageAnchor } from "@/common/comments/passageAnchor";
import { MAX_QUOTE_CHARS, passageOfSelection } from "@/common/comments/passageText";
import type { CommentsBridge } from "./commentsBridge";
import { setCommentHighlights, threadAt, type HighlightEntry } from "./commentHighlights";
import { commentsApi, type Thread } from "./commentsApi";
import { NewThreadComposer } from "./NewThreadComposer";
import { ThreadCard, type ThreadActions } from "./ThreadCard";
import { isMine, matchesFilter, orderThreads, type ThreadFilter } from "./threadOrder";
import { editorAnchorContext, useAnchorStates } from "./useAnchorStates";
import { useCommentThreads, type CommentsChangedSource } from "./useCommentThreads";
import { usePeople } from "./usePeople";
import { SuggestionsPanel } from "@/components/suggestions/SuggestionsPanel";
import styles from "./comments.module.css";

const PENDING = "pending";
const FILTERS: { value: ThreadFilter; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "resolved", label: "Resolved" },
  { value: "mine", label: "Mine" },
];
const EMPTY: Record<ThreadFilter, string> = {
  open: "No open comments.",
  resolved: "No resolved threads.",
  mine: "No threads you started, replied to or were mentioned in.",
};

const decodeAnchor = (anchor: Thread["anchor"]): PassageAnchor => ({
  start: new Uint8Array(fromBase64(anchor.start)),
  end: new Uint8Array(fromBase64(anchor.end)),
});

type OpenOptions = { select?: boolean; focusReply?: boolean; scrollCard?: boolean };

/**
 * The comments beside the memo: threads in document order with filters, the new-comment card,
 * highlights of their passages in the editor, and the Ctrl/Cmd+Alt+M shortcut.
 */
export function CommentsSidebar({
  editor,
  bridge,
  memoId,
  connection,
  you,
  canComment,
  canDeleteAny,
  canDecideSuggestions = false,
  focusThreadId,
}: {
  editor: Editor;
  bridge: CommentsBridge;
  memoId: string;
  connection: CommentsChangedSource;
  you: { id: string; name: string };
  canComment: boolean;
  canDeleteAny: boolean;
  /** Whether the user may accept and reject suggestions (the panel above the threads). */
  canDecideSuggestions?: boolean;
  /** A thread to open once loaded (from `?comment=<id>`). */
  focusThreadId: string | null;
}) {
  const api = useMemo(() => commentsApi(memoId), [memoId]);
  const { threads, loadError, apply } = useCommentThreads(api, connection);
  const people = usePeople(memoId, canComment);
  const names = useMemo(() => new Map(people.map((person) => [person.id, person.name])), [people]);
  const mentionable = useMemo(() => people.filter((person) => person.id !== you.id), [people, you.id]);
  const [filter, setFilter] = useState<ThreadFilter>("open");
  const [activeId, setActiveId] = useState<string | null>(null);
  const [composer, setComposer] = useState<{ anchor: PassageAnchor; quote: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [replyRequest, setReplyRequest] = useState({ id: "", count: 0 });
  const cardToScroll = useRef<string | null>(null);
  const list = useRef<HTMLOListElement>(null);

  const anchors = useMemo(() => {
    const map = new Map<string, PassageAnchor>(
      (threads ?? []).map((thread) => [thread.id, decodeAnchor(thread.anchor)]),
    );
    if (composer) map.set(PENDING, composer.anchor);
    return map;
  }, [threads, composer]);
  const states = useAnchorStates(editor, anchors);

  // Open threads are highlighted, and the active one even when resolved.
  const highlights = useMemo(() => {
    const entries: HighlightEntry[] = (threads ?? [])
      .filter((thread) => thread.resolvedAt === null || thread.id === activeId)
      .map((thread) => ({ id: thread.id, anchor: anchors.get(thread.id)!, active: thread.id === activeId }));
    if (composer) entries.push({ id: PENDING, anchor: composer.anchor, active: true, pending: true });
    return entries;
  }, [threads, anchors, activeId, composer]);
  useEffect(() => setCommentHighlights(editor.view, highlights), [editor, highlights]);

  /** The passage the editor's selection covers, anchored; or why there is none. */
  const selectedPassage = useCallback((): { anchor: PassageAnchor; quote: string } | string => {
    const { from, to } = editor.state.selection;
    const passage = passageOfSelection(editor.state.doc, from, to);
    if (!passage) return "Select the text you want to comment on first.";
    if (passage.quote.length > MAX_QUOTE_CHARS)
      return `Select a shorter passage (at most ${MAX_QUOTE_CHARS.toLocaleString("en")} characters).`;
    const context = editorAnchorContext(editor);
    if (!context) return "The memo is still loading. Try again in a moment.";
    return { anchor: anchorPassage(context, passage.from, passage.to), quote: passage.quote };
  }, [editor]);

  const selectPassage = useCallback(
    (threadId: string) => {
      const state = states.get(threadId);
      if (state?.status !== "anchored") return;
      editor.commands.setTextSelection({ from: state.from, to: state.to });
      try {
        const top = editor.view.coordsAtPos(state.from).top + window.scrollY - window.innerHeight * 0.35;
        window.scrollTo({ top: Math.max(0, top), behavior: "smooth" });
      } catch {
        // Not laid out yet: nothing to scroll to.
      }
    },
    [editor, states],
  );

  const openThread = useCallback(
    (threadId: string, options: OpenOptions = {}) => {
      const thread = threads?.find((entry) => entry.id === threadId);
      if (!thread) return;
      setActiveId(threadId);
      setNotice(null);
      if (!matchesFilter(thread, filter, you.id)) setFilter(thread.resolvedAt ? "resolved" : "open");
      if (options.focusReply) setReplyRequest((request) => ({ id: threadId, count: request.count + 1 }));
      if (options.scrollCard) cardToScroll.current = threadId;
      if (options.select) selectPassage(threadId);
    },
    [threads, filter, you.id, selectPassage],
  );

  const startComment = useCallback(() => {
    if (!canComment) return setNotice("Your role in this memo does not allow commenting.");
    const { empty, from } = editor.state.selection;
    const under = empty ? threadAt(editor.state, from) : null;
    if (under) return openThread(under, { focusReply: true, scrollCard: true });
    const passage = selectedPassage();
    if (typeof passage === "string") return setNotice(passage);
    setNotice(null);
    setActiveId(null);
    setComposer(passage);
  }, [canComment, editor, openThread, selectedPassage]);

  useEffect(
    () => bridge.attach({ startComment, openThread: (id) => openThread(id, { scrollCard: true }) }),
    [bridge, startComment, openThread],
  );

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.code !== "KeyM" || !event.altKey || !(event.ctrlKey || event.metaKey) || event.shiftKey) return;
      event.preventDefault();
      startComment();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [startComment]);

  // Open the thread of a link (?comment=<id>) once its passage is known.
  const focusDone = useRef(false);
  useEffect(() => {
    if (focusDone.current || !focusThreadId || !threads) return;
    const state = states.get(focusThreadId);
    if (threads.some((thread) => thread.id === focusThreadId) && (!state || state.status === "unknown")) return;
    focusDone.current = true;
    const timer = setTimeout(() => openThread(focusThreadId, { select: true, scrollCard: true }), 0);
    return () => clearTimeout(timer);
  }, [focusThreadId, threads, states, openThread]);

  useEffect(() => {
    const id = cardToScroll.current;
    if (!id) return;
    cardToScroll.current = null;
    list.current
      ?.querySelector(`[data-thread-id="${CSS.escape(id)}"]`)
      ?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  });

  async function createThread(draft: { body: string; mentions: string[] }) {
    if (!composer) return;
    const thread = await api.create(encodeAnchor(composer.anchor), composer.quote, draft);
    apply(thread.id, thread);
    setComposer(null);
    setActiveId(thread.id);
    if (filter === "resolved") setFilter("open");
  }

  const actionsFor = (thread: Thread): ThreadActions => ({
    show: (options) => openThread(thread.id, { select: true, scrollCard: true, focusReply: options?.focusReply }),
    reply: async (draft) => apply(thread.id, await api.reply(thread.id, draft)),
    setResolved: async (resolved) => apply(thread.id, await api.setResolved(thread.id, resolved)),
    reanchor: async () => {
      const passage = selectedPassage();
      if (typeof passage === "string") throw new Error(passage);
      apply(thread.id, await api.reanchor(thread.id, encodeAnchor(passage.anchor), passage.quote));
    },
    edit: async (commentId, draft) => apply(thread.id, await api.edit(thread.id, commentId, draft)),
    remove: async (commentId) => apply(thread.id, await api.remove(thread.id, commentId)),
  });

  const all = threads ?? [];
  const counts: Record<ThreadFilter, number> = {
    open: all.filter((thread) => thread.resolvedAt === null).length,
    resolved: all.filter((thread) => thread.resolvedAt !== null).length,
    mine: all.filter((thread) => isMine(thread, you.id)).length,
  };
  // The active thread stays listed after it is resolved or reopened, until another is opened.
  const shown = orderThreads(all, states, filter, you.id);
  const active = all.find((thread) => thread.id === activeId);
  if (active && !shown.includes(active)) shown.unshift(active);
  const shortcut =
    typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘⌥M" : "Ctrl+Alt+M";

  return (
    <aside className={styles.sidebar} aria-label="Comments and suggestions" data-testid="comments-sidebar">
      <div className={styles.top}>
        <div className={styles.header}>
          <h2 className={styles.title}>Comments</h2>
          {canComment && (
            <button
              className="button button-small"
              type="button"
              onMouseDown={(event) => event.preventDefault()}
              onClick={startComment}
              title={`Comment on the selected text (${shortcut})`}
            >
              New comment
            </button>
          )}
        </div>
        <div className={styles.filters} role="group" aria-label="Show threads">
          {FILTERS.map(({ value, label }) => (
            <button
              key={value}
              type="button"
              className={styles.filter}
              aria-pressed={filter === value}
              onClick={() => setFilter(value)}
            >
              {label} <span className={styles.count}>{counts[value]}</span>
            </button>
          ))}
        </div>
      </div>
      <SuggestionsPanel
        editor={editor}
        youId={you.id}
        canDecide={canDecideSuggestions}
        names={names}
        onDiscuss={
          canComment
            ? (from, to) => {
                editor.commands.setTextSelection({ from, to });
                startComment();
              }
            : undefined
        }
      />
      {notice && (
        <p className={styles.notice} role="status">
          {notice}
        </p>
      )}
      {loadError && (
        <p className={styles.error} role="alert">
          Comments could not be loaded: {loadError}
        </p>
      )}
      {composer && (
        <NewThreadComposer
          key={composer.quote}
          quote={composer.quote}
          people={mentionable}
          onSubmit={createThread}
          onCancel={() => setComposer(null)}
        />
      )}
      {threads === null && !loadError ? (
        <p className={styles.empty}>Loading comments…</p>
      ) : shown.length === 0 ? (
        !composer && (
          <p className={styles.empty}>
            {EMPTY[filter]}
            {filter === "open" &&
              canComment &&
              ` Select a passage and choose New comment (${shortcut}) to start a discussion.`}
          </p>
        )
      ) : (
        <ol
          className={styles.threads}
          ref={list}
          aria-label={`${FILTERS.find((entry) => entry.value === filter)!.label} threads`}
        >
          {shown.map((thread) => (
            <ThreadCard
              key={thread.id}
              thread={thread}
              anchor={states.get(thread.id)}
              active={thread.id === activeId}
              youId={you.id}
              canComment={canComment}
              canDeleteAny={canDeleteAny}
              people={mentionable}
              replyRequest={replyRequest.id === thread.id ? replyRequest.count : 0}
              actions={actionsFor(thread)}
            />
          ))}
        </ol>
      )}
    </aside>
  );
}
