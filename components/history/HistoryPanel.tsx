"use client";

import type { JSONContent } from "@tiptap/core";
import { useCallback, useEffect, useState } from "react";
import { Modal } from "@/components/memos/Modal";
import { historyApi, type VersionComparison, type VersionKind, type VersionSummary } from "./historyApi";
import { VersionCompare } from "./VersionCompare";
import { downloadFrom } from "@/components/editor/memoDetailsApi";
import { VersionLabelDialog } from "./VersionLabelDialog";
import { VersionPreview } from "./VersionPreview";

const KIND_LABELS: Record<VersionKind, string> = {
  automatic: "Auto-saved",
  named: "Named",
  restore: "Restore",
  export: "Exported",
};

function dayLabel(iso: string): string {
  const date = new Date(iso);
  const today = new Date();
  const yesterday = new Date(today.getTime() - 86_400_000);
  if (date.toDateString() === today.toDateString()) return "Today";
  if (date.toDateString() === yesterday.toDateString()) return "Yesterday";
  return date.toLocaleDateString("en", { weekday: "long", day: "numeric", month: "long", year: "numeric" });
}

function groupByDay(versions: VersionSummary[]): [string, VersionSummary[]][] {
  const groups = new Map<string, VersionSummary[]>();
  for (const version of versions) {
    const label = dayLabel(version.createdAt);
    groups.set(label, [...(groups.get(label) ?? []), version]);
  }
  return [...groups];
}

type Dialog =
  | { kind: "save" }
  | { kind: "view"; version: VersionSummary; content: JSONContent | null }
  | { kind: "compare"; comparison: VersionComparison | null }
  | { kind: "label"; version: VersionSummary }
  | { kind: "restore"; version: VersionSummary }
  | null;

/** The memo's history: a timeline by day; view, compare any two, name and restore versions. */
export function HistoryPanel({
  memoId,
  canManage,
  open,
  onClose,
}: {
  memoId: string;
  canManage: boolean;
  open: boolean;
  onClose: () => void;
}) {
  const api = historyApi(memoId);
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => historyApi(memoId).list(), [memoId]);
  const reload = useCallback(
    () =>
      load().then(
        (page) => {
          setVersions(page.versions);
          setNextBefore(page.nextBefore);
        },
        (failure: Error) => setError(failure.message),
      ),
    [load],
  );

  useEffect(() => {
    if (!open) return;
    let current = true;
    load().then(
      (page) => {
        if (!current) return;
        setVersions(page.versions);
        setNextBefore(page.nextBefore);
      },
      (failure: Error) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [open, load]);

  async function loadMore() {
    if (!nextBefore) return;
    const page = await api.list(nextBefore).catch((failure: Error) => (setError(failure.message), null));
    if (!page) return;
    setVersions((shown) => [...(shown ?? []), ...page.versions]);
    setNextBefore(page.nextBefore);
  }

  function toggle(id: string) {
    setSelected((current) => (current.includes(id) ? current.filter((one) => one !== id) : [...current.slice(-1), id]));
  }

  async function view(version: VersionSummary) {
    setDialog({ kind: "view", version, content: null });
    try {
      const { json } = await api.get(version.id);
      setDialog({ kind: "view", version, content: json });
    } catch (failure) {
      setError((failure as Error).message);
      setDialog(null);
    }
  }

  const [redlining, setRedlining] = useState(false);
  const [redlineError, setRedlineError] = useState<string | null>(null);
  /** The two versions' redline: Word with tracked changes, or a PDF with the changes marked. */
  async function redline(format: "docx" | "pdf") {
    setRedlining(true);
    setRedlineError(null);
    try {
      const query = `from=${encodeURIComponent(selected[0])}&to=${encodeURIComponent(selected[1])}&format=${format}`;
      await downloadFrom(`/api/memos/${memoId}/versions/compare/export?${query}`, `redline.${format}`);
    } catch (failure) {
      setRedlineError(`Could not make the redline: ${(failure as Error).message}`);
    } finally {
      setRedlining(false);
    }
  }

  async function compare() {
    if (selected.length !== 2) return;
    setDialog({ kind: "compare", comparison: null });
    try {
      setDialog({ kind: "compare", comparison: await api.compare(selected[0], selected[1]) });
    } catch (failure) {
      setError((failure as Error).message);
      setDialog(null);
    }
  }

  async function restore(version: VersionSummary) {
    setBusy(true);
    setError(null);
    try {
      await api.restore(version.id);
      setDialog(null);
      await reload();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (!open) return null;
  return (
    <aside className="history" aria-labelledby="history-title">
      <div className="history-head">
        <h2 id="history-title">History</h2>
        <button className="button button-quiet button-small" type="button" onClick={onClose} aria-label="Close history">
          ✕
        </button>
      </div>
      <div className="history-actions">
        {canManage && (
          <button
            className="button button-primary button-small"
            type="button"
            onClick={() => setDialog({ kind: "save" })}
          >
            Save version…
          </button>
        )}
        <button
          className="button button-small"
          type="button"
          disabled={selected.length !== 2}
          onClick={() => void compare()}
        >
          Compare {selected.length === 2 ? "selected" : `(${selected.length}/2)`}
        </button>
      </div>
      {error && (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {!versions && !error && <p className="editor-loading">Loading…</p>}
      {versions?.length === 0 && <p className="memo-row-meta">No versions yet: one is taken when editing pauses.</p>}
      {versions &&
        groupByDay(versions).map(([day, group]) => (
          <section key={day} className="history-day">
            <h3>{day}</h3>
            <ol className="history-list">
              {group.map((version) => (
                <li key={version.id} className="history-item" data-version={version.number}>
                  <label className="history-select">
                    <input
                      type="checkbox"
                      checked={selected.includes(version.id)}
                      onChange={() => toggle(version.id)}
                      aria-label={`Select version ${version.number} to compare`}
                    />
                  </label>
                  <div className="history-main">
                    <div>
                      <strong>{version.name ?? `Version ${version.number}`}</strong>{" "}
                      <span className="kind-badge" data-kind={version.kind}>
                        {KIND_LABELS[version.kind]}
                      </span>
                    </div>
                    <div className="memo-row-meta">
                      #{version.number} ·{" "}
                      {new Date(version.createdAt).toLocaleTimeString("en", { hour: "2-digit", minute: "2-digit" })}
                      {version.restoredFrom && ` · restored version ${version.restoredFrom}`}
                      {version.editorNames.length > 0 && ` · ${version.editorNames.join(", ")}`}
                      {version.createdByName && version.editorNames.length === 0 && ` · ${version.createdByName}`}
                    </div>
                    {version.note && <div className="history-note">{version.note}</div>}
                    <div className="history-buttons">
                      <button
                        className="button button-quiet button-small"
                        type="button"
                        onClick={() => void view(version)}
                      >
                        View
                      </button>
                      {canManage && (
                        <>
                          <button
                            className="button button-quiet button-small"
                            type="button"
                            onClick={() => setDialog({ kind: "label", version })}
                          >
                            {version.name ? "Rename" : "Name"}
                          </button>
                          <button
                            className="button button-quiet button-small"
                            type="button"
                            onClick={() => setDialog({ kind: "restore", version })}
                          >
                            Restore
                          </button>
                        </>
                      )}
                    </div>
                  </div>
                </li>
              ))}
            </ol>
          </section>
        ))}
      {nextBefore && (
        <button className="button button-small" type="button" onClick={() => void loadMore()}>
          Show older versions
        </button>
      )}

      <Modal open={dialog?.kind === "view"} onClose={() => setDialog(null)} labelledBy="version-view-title">
        {dialog?.kind === "view" && (
          <>
            <div className="modal-body">
              <h2 id="version-view-title">
                {dialog.version.name ?? `Version ${dialog.version.number}`}{" "}
                <span className="kind-badge">{KIND_LABELS[dialog.version.kind]}</span>
              </h2>
              <p>{new Date(dialog.version.createdAt).toLocaleString("en")} · read-only</p>
              <div className="version-sheet">
                {dialog.content ? (
                  <VersionPreview content={dialog.content} />
                ) : (
                  <p className="editor-loading">Loading…</p>
                )}
              </div>
            </div>
            <div className="modal-actions">
              <button className="button" type="button" onClick={() => setDialog(null)}>
                Close
              </button>
            </div>
          </>
        )}
      </Modal>
      <Modal open={dialog?.kind === "compare"} onClose={() => setDialog(null)} labelledBy="compare-title">
        {dialog?.kind === "compare" && (
          <>
            <div className="modal-body">
              <h2 id="compare-title">Compare versions</h2>
              {dialog.comparison ? (
                <VersionCompare comparison={dialog.comparison} />
              ) : (
                <p className="editor-loading">Comparing…</p>
              )}
              {redlineError && (
                <p className="alert alert-error" role="alert">
                  {redlineError}
                </p>
              )}
            </div>
            <div className="modal-actions">
              {dialog.comparison && selected.length === 2 && (
                <>
                  <button className="button" type="button" disabled={redlining} onClick={() => void redline("docx")}>
                    Redline in Word
                  </button>
                  <button className="button" type="button" disabled={redlining} onClick={() => void redline("pdf")}>
                    Redline as PDF
                  </button>
                </>
              )}
              <button className="button" type="button" onClick={() => setDialog(null)}>
                Close
              </button>
            </div>
          </>
        )}
      </Modal>
      <Modal open={dialog?.kind === "restore"} onClose={() => setDialog(null)} labelledBy="restore-title">
        {dialog?.kind === "restore" && (
          <>
            <div className="modal-body">
              <h2 id="restore-title">
                Restore {dialog.version.name ? `“${dialog.version.name}”` : `version ${dialog.version.number}`}?
              </h2>
              <p>
                The memo as it is now is saved as a version first, so nothing is lost. Everyone editing sees the
                restored text at once, and you can undo this by restoring again.
              </p>
            </div>
            <div className="modal-actions">
              <button className="button" type="button" onClick={() => setDialog(null)} disabled={busy}>
                Cancel
              </button>
              <button
                className="button button-primary"
                type="button"
                onClick={() => void restore(dialog.version)}
                disabled={busy}
              >
                {busy ? "Restoring…" : "Restore this version"}
              </button>
            </div>
          </>
        )}
      </Modal>
      {dialog?.kind === "save" && (
        <VersionLabelDialog
          open
          title="Save version"
          intro="Saves the memo as it is now under a name, for example what was sent to whom."
          submitLabel="Save version"
          onSubmit={async (name, note) => {
            await api.save(name, note);
            await reload();
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === "label" && (
        <VersionLabelDialog
          open
          title={`Name version ${dialog.version.number}`}
          intro="Named versions are kept for good and easy to find."
          submitLabel="Save name"
          initial={{ name: dialog.version.name, note: dialog.version.note }}
          onSubmit={async (name, note) => {
            await api.label(dialog.version.id, name, note);
            await reload();
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </aside>
  );
}
