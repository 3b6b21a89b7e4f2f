"use client";

import { useState } from "react";
import type { RestoreAnnouncement } from "@/common/protocol/restoreAnnouncement";
import { historyApi } from "./historyApi";

const TIME = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/**
 * Tells everyone in the memo that a version was restored, by whom, and where the text it replaced
 * is kept; those who may manage versions can undo it (restoring that version in turn).
 */
export function RestoreBanner({
  memoId,
  announcement,
  youId,
  canUndo,
  onDismiss,
}: {
  memoId: string;
  announcement: RestoreAnnouncement;
  youId: string;
  canUndo: boolean;
  onDismiss: () => void;
}) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const who = announcement.byUserId === youId ? "You" : announcement.byName;
  const savedBefore = announcement.savedBefore;
  async function undo() {
    if (!savedBefore) return;
    setState({ busy: true, error: null });
    try {
      await historyApi(memoId).restore(savedBefore.id);
      setState({ busy: false, error: null });
    } catch (error) {
      setState({ busy: false, error: (error as Error).message });
    }
  }
  return (
    <div className="banner banner-info" role="status" data-testid="restore-banner">
      <span>
        {who} restored version {announcement.restoredFrom} at {TIME.format(new Date(announcement.at))}.
        {savedBefore && ` The text it replaced is kept as version ${savedBefore.number}.`}
      </span>{" "}
      {canUndo && savedBefore && (
        <button className="button button-small" type="button" disabled={state.busy} onClick={() => void undo()}>
          {state.busy ? "Undoing…" : "Undo restore"}
        </button>
      )}{" "}
      <button className="button button-quiet button-small" type="button" onClick={onDismiss}>
        Dismiss
      </button>
      {state.error && (
        <span className="alert-inline" role="alert">
          {" "}
          Could not undo: {state.error}
        </span>
      )}
    </div>
  );
}
