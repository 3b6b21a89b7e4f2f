"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { memoApi } from "./api";
import { MemoRow, type MemoRowData } from "./MemoRow";
import { Modal } from "./Modal";
import { NewMemoDialog } from "./NewMemoDialog";

type Dialog = { kind: "new"; mode: "blank" | "paste" | "upload" } | { kind: "delete"; memo: MemoRowData } | null;

/** The memos page: the list, its empty state, and the create / rename / delete flows. */
export function MemosView({ memos, maxSourceLabel }: { memos: MemoRowData[]; maxSourceLabel: string }) {
  const router = useRouter();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function rename(id: string, title: string) {
    await memoApi.rename(id, title);
    router.refresh();
  }

  async function confirmDelete(memo: MemoRowData) {
    setPending(true);
    setError(null);
    try {
      await memoApi.remove(memo.id);
      setDialog(null);
      router.refresh();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setPending(false);
    }
  }

  async function startFromSample() {
    setPending(true);
    setError(null);
    try {
      const { memo } = await memoApi.create({ from: "sample" });
      router.push(`/memos/${memo.id}`);
    } catch (failure) {
      setError((failure as Error).message);
      setPending(false);
    }
  }

  return (
    <>
      <div className="page-title-row">
        <h1>My memos</h1>
        {memos.length > 0 && (
          <button
            className="button button-primary"
            type="button"
            onClick={() => setDialog({ kind: "new", mode: "blank" })}
          >
            New memo
          </button>
        )}
      </div>
      {error && dialog?.kind !== "delete" && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {memos.length === 0 ? (
        <section className="empty-state" aria-labelledby="empty-title">
          <h2 id="empty-title">No memos yet</h2>
          <p>
            Start a briefing memo from scratch, paste a source text to turn it into a structured draft, or try the
            sample op-ed on Pakistan–U.S. relations.
          </p>
          <div className="empty-actions">
            <button
              className="button button-primary"
              type="button"
              onClick={() => setDialog({ kind: "new", mode: "blank" })}
            >
              Start a blank memo
            </button>
            <button className="button" type="button" onClick={() => setDialog({ kind: "new", mode: "paste" })}>
              Paste a source text
            </button>
            <button className="button" type="button" onClick={() => void startFromSample()} disabled={pending}>
              {pending ? "Creating…" : "Try the sample memo"}
            </button>
          </div>
        </section>
      ) : (
        <ul className="memo-list" aria-label="Memos">
          {memos.map((memo) => (
            <MemoRow
              key={memo.id}
              memo={memo}
              onRename={rename}
              onDelete={(target) => setDialog({ kind: "delete", memo: target })}
            />
          ))}
        </ul>
      )}

      <NewMemoDialog
        key={dialog?.kind === "new" ? dialog.mode : "closed"}
        open={dialog?.kind === "new"}
        initialMode={dialog?.kind === "new" ? dialog.mode : "blank"}
        onClose={() => setDialog(null)}
        maxSourceLabel={maxSourceLabel}
      />
      <Modal open={dialog?.kind === "delete"} onClose={() => setDialog(null)} labelledBy="delete-title">
        {dialog?.kind === "delete" && (
          <>
            <div className="modal-body">
              <h2 id="delete-title">Delete “{dialog.memo.title}”?</h2>
              <p>The memo and its whole history are deleted for good. Anyone editing it is disconnected.</p>
              {error && (
                <p className="alert alert-error" role="alert">
                  {error}
                </p>
              )}
            </div>
            <div className="modal-actions">
              <button className="button" type="button" onClick={() => setDialog(null)} disabled={pending} autoFocus>
                Cancel
              </button>
              <button
                className="button button-danger"
                type="button"
                onClick={() => void confirmDelete(dialog.memo)}
                disabled={pending}
              >
                {pending ? "Deleting…" : "Delete memo"}
              </button>
            </div>
          </>
        )}
      </Modal>
    </>
  );
}
