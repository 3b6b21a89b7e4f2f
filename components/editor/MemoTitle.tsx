"use client";

import { useState, type KeyboardEvent } from "react";
import { memoApi } from "@/components/memos/api";

/** The memo's title at the top of the sheet; edits are saved when the field loses focus. */
export function MemoTitle({
  memoId,
  initialTitle,
  editable,
  onRenamed,
}: {
  memoId: string;
  initialTitle: string;
  editable: boolean;
  onRenamed: (title: string) => void;
}) {
  const [saved, setSaved] = useState(initialTitle);
  const [value, setValue] = useState(initialTitle);
  const [error, setError] = useState<string | null>(null);

  async function save() {
    const title = value.trim();
    if (title === saved) return;
    try {
      await memoApi.rename(memoId, title);
      setSaved(title);
      setValue(title);
      setError(null);
      onRenamed(title);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter") {
      event.preventDefault();
      event.currentTarget.blur();
    }
    if (event.key === "Escape") {
      setValue(saved);
      setError(null);
    }
  }

  return (
    <div className="memo-sheet-title">
      <label className="visually-hidden" htmlFor="memo-title">
        Memo title
      </label>
      <textarea
        id="memo-title"
        className="memo-title-input"
        dir="auto"
        rows={1}
        value={value}
        maxLength={200}
        readOnly={!editable}
        onChange={(event) => setValue(event.target.value.replace(/\n/g, " "))}
        onBlur={() => void save()}
        onKeyDown={onKeyDown}
      />
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
