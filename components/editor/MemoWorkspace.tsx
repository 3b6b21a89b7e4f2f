"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { AppHeader } from "@/components/layout/AppHeader";
import { ExportMenu } from "./ExportMenu";
import { MarkingBanner } from "./MarkingBanner";
import type { MemoDetails } from "./memoDetailsApi";
import { MemoDetailsPanel } from "./MemoDetailsPanel";
import { MemoEditor, MemoSheet, EditorSkeleton } from "./MemoEditor";
import { MemoTitle } from "./MemoTitle";
import { StatusPills } from "./StatusPills";
import { useMemoConnection } from "./useMemoConnection";
import { useRememberedMode } from "./rememberedMode";
import { useOfflinePages } from "./useOfflinePages";
import { ROLE_LABELS, roleAllows, type MemoRole } from "@/common/sharing/memoPermissions";
import { detachedCopy, memoFitsSchema } from "@/common/editor/memoSchemaFit";
import { SharingDialog } from "@/components/sharing/SharingDialog";
import { HistoryPanel } from "@/components/history/HistoryPanel";
import { PresenceAvatars } from "./PresenceAvatars";
import { usePresence } from "./usePresence";
import { WrongAddressBanner } from "./WrongAddressBanner";
import { RestoreBanner } from "@/components/history/RestoreBanner";
import { CommentHighlights } from "@/components/comments/commentHighlights";
import { CommentsBridge } from "@/components/comments/commentsBridge";
import { CommentsSidebar } from "@/components/comments/CommentsSidebar";
import { PassageFocus } from "./PassageFocus";

/** The memo page: header with status, presence and export, toolbar, the sheet with the
 * marking, title, details and live editor, and the comments beside it. */
export function MemoWorkspace({
  memo,
  user,
  details: initialDetails,
  focusThreadId = null,
  focusBlockIndex = null,
  configuredOrigin = null,
}: {
  memo: { id: string; title: string; role: MemoRole };
  user: { id: string; name: string; email: string };
  details: { metadata: MemoDetails; markings: string[] };
  /** A comment thread to open (`?comment=<id>`). */
  focusThreadId?: string | null;
  /** The top-level block to open the memo at (a search result's section). */
  focusBlockIndex?: number | null;
  /** APP_URL's origin when it is set: the only one the server accepts connections from. */
  configuredOrigin?: string | null;
}) {
  const { connection, state } = useMemoConnection(memo.id, user.id, memo.role);
  useOfflinePages();
  const [title, setTitle] = useState(memo.title);
  const [details, setDetails] = useState(initialDetails.metadata);
  const detailsSaves = useRef(Promise.resolve());
  // A memo stored before the server checked structure may hold content the editor cannot show;
  // bound to the live document, the editor would delete it for everyone. It is shown from a copy
  // that goes nowhere, read-only, until the server has repaired it (it does when it loads one).
  const unsafeCopy = useMemo(
    () => (state.ready && !memoFitsSchema(connection.doc) ? detachedCopy(connection.doc) : null),
    [state.ready, connection.doc],
  );
  const writable = !state.stopped && !unsafeCopy;
  // Editors edit the memo itself (title, details, text); commenters only suggest in its text.
  const editable = writable && roleAllows(state.role, "edit");
  const canSuggest = writable && roleAllows(state.role, "suggest");
  const [suggestingChosen, chooseSuggesting] = useRememberedMode(memo.id);
  const suggesting = canSuggest && (!editable || suggestingChosen);
  const [refusal, setRefusal] = useState(false);
  useEffect(() => {
    if (!refusal) return;
    const timer = setTimeout(() => setRefusal(false), 6000);
    return () => clearTimeout(timer);
  }, [refusal]);
  const you = useMemo(() => ({ id: user.id, name: user.name }), [user.id, user.name]);
  const people = usePresence(connection.awareness, you, state.role);
  const [sharingOpen, setSharingOpen] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const canComment = !state.stopped && roleAllows(state.role, "comment");
  const comments = useMemo(() => new CommentsBridge(), []);
  const commentExtensions = useMemo(
    () => [CommentHighlights.configure({ onOpen: (threadId) => comments.openThread(threadId) })],
    [comments],
  );
  const sheetHeader = (
    <>
      <MarkingBanner marking={details.marking} />
      <MemoTitle memoId={memo.id} initialTitle={memo.title} editable={editable} onRenamed={setTitle} />
      <MemoDetailsPanel
        memoId={memo.id}
        title={title}
        details={details}
        markings={initialDetails.markings}
        editable={editable}
        onSaved={setDetails}
        savesRef={detailsSaves}
      />
    </>
  );

  return (
    <>
      <AppHeader user={user}>
        <nav className="memo-topbar" aria-label="Breadcrumb">
          <Link className="crumb" href="/memos">
            My memos
          </Link>
          <span className="crumb" aria-hidden="true">
            /
          </span>
          <span className="memo-title">{title}</span>
        </nav>
        <PresenceAvatars people={people} />
        <StatusPills connection={connection} />
        <button className="button button-small" type="button" onClick={() => setSharingOpen(true)}>
          Share
        </button>
        <button
          className="button button-small"
          type="button"
          aria-pressed={historyOpen}
          onClick={() => setHistoryOpen((open) => !open)}
        >
          History
        </button>
        <ExportMenu memoId={memo.id} beforeExport={() => detailsSaves.current} />
      </AppHeader>
      <HistoryPanel
        memoId={memo.id}
        canManage={roleAllows(state.role, "manageVersions")}
        open={historyOpen}
        onClose={() => setHistoryOpen(false)}
      />
      <SharingDialog
        memoId={memo.id}
        memoTitle={title}
        you={you}
        open={sharingOpen}
        onClose={() => setSharingOpen(false)}
      />
      <WrongAddressBanner configuredOrigin={configuredOrigin} />
      {state.restored && !state.stopped && (
        <RestoreBanner
          memoId={memo.id}
          announcement={state.restored}
          youId={user.id}
          canUndo={roleAllows(state.role, "manageVersions")}
          onDismiss={connection.dismissRestored}
        />
      )}
      {unsafeCopy && (
        <div className="banner banner-error" role="alert" data-testid="unsafe-memo-banner">
          This memo holds content this editor cannot show without losing some of it, so it is open read-only and nothing
          is changed. Reload in a minute: the server repairs such memos and keeps a version of how they were.
        </div>
      )}
      {writable && !editable && (
        <div className="banner banner-info" role="status" data-testid="read-only-banner">
          {canSuggest
            ? `You are a ${ROLE_LABELS[state.role].toLowerCase()} of this memo: what you type and delete becomes a suggestion that an editor accepts or rejects.`
            : `You are a ${ROLE_LABELS[state.role].toLowerCase()} of this memo: you can read it but not edit it.`}
          {canComment && " Select a passage to comment on it."}
          {state.lostEdits && " Changes you made that were not saved yet could not be kept."}
        </div>
      )}
      {refusal && (
        <div className="banner banner-info" role="status" data-testid="suggestion-refused">
          Suggesting covers typing, deleting and new or joined paragraphs for now: formatting, heading and list changes,
          line breaks and multi-paragraph pastes inside a paragraph cannot be suggested yet.
        </div>
      )}
      {state.stopped && (
        <div className="banner banner-error" role="alert">
          {state.stopped} <Link href="/memos">Back to my memos</Link>
        </div>
      )}
      {state.ready ? (
        <MemoEditor
          doc={unsafeCopy ?? connection.doc}
          awareness={connection.awareness}
          editable={canSuggest}
          canEdit={editable}
          suggesting={suggesting}
          onModeChange={editable ? chooseSuggesting : undefined}
          onSuggestionRefused={() => setRefusal(true)}
          author={user.id}
          sheetHeader={sheetHeader}
          extensions={commentExtensions}
          canComment={canComment}
          onComment={() => comments.startComment()}
          aside={(editor) => (
            <>
              <PassageFocus editor={editor} blockIndex={focusBlockIndex} />
              <CommentsSidebar
                editor={editor}
                bridge={comments}
                memoId={memo.id}
                connection={connection}
                you={you}
                canComment={canComment}
                canDeleteAny={!state.stopped && roleAllows(state.role, "deleteAnyComment")}
                canDecideSuggestions={writable && roleAllows(state.role, "decideSuggestions")}
                focusThreadId={focusThreadId}
              />
            </>
          )}
        />
      ) : (
        <>
          <div className="toolbar" aria-hidden="true" />
          <MemoSheet header={sheetHeader} aside={<div />}>
            {state.unavailableOffline ? (
              <p className="alert alert-info" role="status">
                You are offline and this memo has not been opened on this device before. It will load as soon as you are
                back online.
              </p>
            ) : (
              <EditorSkeleton />
            )}
          </MemoSheet>
        </>
      )}
    </>
  );
}
