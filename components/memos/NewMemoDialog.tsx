"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { memoApi } from "./api";
import { Modal } from "./Modal";

type Mode = "blank" | "paste" | "upload";

const MODES: { id: Mode; label: string }[] = [
  { id: "blank", label: "Blank memo" },
  { id: "paste", label: "Paste a source text" },
  { id: "upload", label: "Upload a text file" },
];

/** Creates a memo: blank, from pasted text or from an uploaded .txt file, then opens it. */
export function NewMemoDialog({
  open,
  initialMode = "blank",
  onClose,
  maxSourceLabel,
}: {
  open: boolean;
  initialMode?: Mode;
  onClose: () => void;
  maxSourceLabel: string;
}) {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>(initialMode);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const title = String(form.get("title") ?? "").trim() || undefined;
    setPending(true);
    setError(null);
    try {
      let id: string;
      if (mode === "upload") {
        const file = form.get("file");
        // An empty file input still yields a File, with no name.
        if (!(file instanceof File) || file.name === "") throw new Error("Choose a text file to upload.");
        if (file.size === 0) throw new Error(`“${file.name}” is empty: choose a file that holds the source text.`);
        id = (await memoApi.importFile(file, title)).memo.id;
      } else if (mode === "paste") {
        id = (await memoApi.create({ from: "source", title, source: String(form.get("source") ?? "") })).memo.id;
      } else {
        id = (await memoApi.create({ from: "blank", title })).memo.id;
      }
      router.push(`/memos/${id}`);
    } catch (failure) {
      setError((failure as Error).message);
      setPending(false);
    }
  }

  return (
    <Modal open={open} onClose={onClose} labelledBy="new-memo-title">
      <form onSubmit={onSubmit}>
        <div className="modal-body">
          <h2 id="new-memo-title">New memo</h2>
          <p>Start from scratch, or turn a source text into a structured draft: short lines become headings.</p>
          <div className="tabs" role="tablist" aria-label="How to start">
            {MODES.map((option) => (
              <button
                key={option.id}
                type="button"
                role="tab"
                className="tab"
                aria-selected={mode === option.id}
                onClick={() => {
                  setMode(option.id);
                  setError(null);
                }}
              >
                {option.label}
              </button>
            ))}
          </div>
          {error && (
            <p className="alert alert-error" role="alert">
              {error}
            </p>
          )}
          <div className="field">
            <label htmlFor="new-memo-title-input">
              Title {mode !== "blank" && <span className="field-hint">(optional: defaults to the first heading)</span>}
            </label>
            <input id="new-memo-title-input" name="title" maxLength={200} placeholder="Untitled memo" autoFocus />
          </div>
          {mode === "paste" && (
            <div className="field">
              <label htmlFor="new-memo-source">Source text</label>
              <textarea
                id="new-memo-source"
                name="source"
                required
                placeholder="Paste an op-ed, a cable or your notes…"
              />
              <span className="field-hint">
                Plain text, up to {maxSourceLabel}. Blank lines are ignored; “- ” and “1. ” lines become lists.
              </span>
            </div>
          )}
          {mode === "upload" && (
            <div className="field">
              <label htmlFor="new-memo-file">Text file</label>
              <input id="new-memo-file" name="file" type="file" accept=".txt,.md,text/plain" required />
              <span className="field-hint">A UTF-8 text file, up to {maxSourceLabel}.</span>
            </div>
          )}
        </div>
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose} disabled={pending}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? "Creating…" : "Create memo"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
