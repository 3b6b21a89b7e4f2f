"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ROLE_LABELS, roleAllows, type MemoRole } from "@/common/sharing/memoPermissions";
import { RelativeTime } from "./RelativeTime";

export type MemoRowData = {
  id: string;
  title: string;
  lastEditedAt: string;
  lastEditorName: string | null;
  role: MemoRole;
  sharedByName: string | null;
  /** The memo's marking, when one was chosen. */
  marking: string | null;
  /** The owner, the last editor and who shared it (what the Person filter matches). */
  people: string[];
};

/** One memo in the list, with inline rename and a delete button. */
export function MemoRow({
  memo,
  onRename,
  onDelete,
}: {
  memo: MemoRowData;
  onRename: (id: string, title: string) => Promise<void>;
  onDelete: (memo: MemoRowData) => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submitRename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const title = String(new FormData(event.currentTarget).get("title") ?? "");
    setPending(true);
    setError(null);
    try {
      await onRename(memo.id, title);
      setRenaming(false);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <li className="memo-row" data-memo-id={memo.id}>
      <div className="memo-row-main">
        {renaming ? (
          <form
            className="rename-form"
            onSubmit={submitRename}
            onKeyDown={(event) => event.key === "Escape" && setRenaming(false)}
          >
            <label className="visually-hidden" htmlFor={`rename-${memo.id}`}>
              New title
            </label>
            <input id={`rename-${memo.id}`} name="title" defaultValue={memo.title} maxLength={200} autoFocus required />
            <button className="button button-primary button-small" type="submit" disabled={pending}>
              Save
            </button>
            <button className="button button-small" type="button" onClick={() => setRenaming(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <Link className="memo-row-title" href={`/memos/${memo.id}`}>
            {memo.title}
          </Link>
        )}
        {error && <span className="field-error">{error}</span>}
        <div className="memo-row-meta">
          Edited <RelativeTime iso={memo.lastEditedAt} />
          {memo.lastEditorName && <> by {memo.lastEditorName}</>}
          {memo.sharedByName && <> · Shared with you by {memo.sharedByName}</>}
        </div>
      </div>
      {memo.role !== "owner" && <span className="role-badge">{ROLE_LABELS[memo.role]}</span>}
      {!renaming && (
        <div className="memo-row-actions">
          {roleAllows(memo.role, "rename") && (
            <button
              className="button button-quiet button-small"
              type="button"
              onClick={() => setRenaming(true)}
              aria-label={`Rename ${memo.title}`}
            >
              Rename
            </button>
          )}
          {roleAllows(memo.role, "delete") && (
            <button
              className="button button-quiet button-small"
              type="button"
              onClick={() => onDelete(memo)}
              aria-label={`Delete ${memo.title}`}
            >
              Delete
            </button>
          )}
        </div>
      )}
    </li>
  );
}
