"use client";

import { useState, type FormEvent } from "react";
import { Modal } from "@/components/memos/Modal";

/** Asks for a version's name and note: to save the memo as a named version, or to name an old one. */
export function VersionLabelDialog({
  open,
  title,
  intro,
  submitLabel,
  initial,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  intro: string;
  submitLabel: string;
  initial?: { name: string | null; note: string | null };
  onSubmit: (name: string, note: string) => Promise<void>;
  onClose: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await onSubmit(String(form.get("name") ?? "").trim(), String(form.get("note") ?? "").trim());
      onClose();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <Modal open={open} onClose={onClose} labelledBy="version-label-title">
      <form onSubmit={submit}>
        <div className="modal-body">
          <h2 id="version-label-title">{title}</h2>
          <p>{intro}</p>
          {error && (
            <p className="alert alert-error" role="alert">
              {error}
            </p>
          )}
          <div className="field">
            <label htmlFor="version-name">Name</label>
            <input
              id="version-name"
              name="name"
              required
              maxLength={120}
              defaultValue={initial?.name ?? ""}
              placeholder="Sent to the ambassador"
              autoFocus
            />
          </div>
          <div className="field">
            <label htmlFor="version-note">Note (optional)</label>
            <input
              id="version-note"
              name="note"
              maxLength={2000}
              defaultValue={initial?.note ?? ""}
              placeholder="What this version is for"
            />
          </div>
        </div>
        <div className="modal-actions">
          <button className="button" type="button" onClick={onClose} disabled={pending}>
            Cancel
          </button>
          <button className="button button-primary" type="submit" disabled={pending}>
            {pending ? "Saving…" : submitLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
