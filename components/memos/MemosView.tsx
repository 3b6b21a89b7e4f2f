"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { memoApi } from "./api";
import { filterChoices, filterMemos, filtering, NO_FILTERS, type MemoFilters } from "./memoFilters";
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
  const [filters, setFilters] = useState<MemoFilters>(NO_FILTERS);
  const choices = useMemo(() => filterChoices(memos), [memos]);
  const shown = useMemo(() => filterMemos(memos, filters), [memos, filters]);

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
        <>
          <FilterBar filters={filters} choices={choices} onChange={setFilters} />
          <p className="visually-hidden" role="status">
            {filtering(filters) ? `${shown.length} of ${memos.length} memos shown` : ""}
          </p>
          {shown.length === 0 ? (
            <section className="empty-state empty-state-small" aria-labelledby="no-match-title">
              <h2 id="no-match-title">No memo matches these filters</h2>
              <button className="button" type="button" onClick={() => setFilters(NO_FILTERS)}>
                Clear filters
              </button>
            </section>
          ) : (
            <ul className="memo-list" aria-label="Memos">
              {shown.map((memo) => (
                <MemoRow
                  key={memo.id}
                  memo={memo}
                  onRename={rename}
                  onDelete={(target) => setDialog({ kind: "delete", memo: target })}
                />
              ))}
            </ul>
          )}
        </>
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

/** The filters above the list: whose, marking, last edited, person; each a labelled control. */
function FilterBar({
  filters,
  choices,
  onChange,
}: {
  filters: MemoFilters;
  choices: { markings: string[]; people: string[] };
  onChange: (filters: MemoFilters) => void;
}) {
  return (
    <div className="memo-filters" role="group" aria-label="Filter memos">
      <div className="segmented" role="group" aria-label="Whose memos">
        {(
          [
            ["all", "All"],
            ["mine", "Mine"],
            ["shared", "Shared with me"],
          ] as const
        ).map(([value, label]) => (
          <button
            key={value}
            type="button"
            aria-pressed={filters.whose === value}
            className={filters.whose === value ? "segment segment-on" : "segment"}
            onClick={() => onChange({ ...filters, whose: value })}
          >
            {label}
          </button>
        ))}
      </div>
      <FilterSelect
        label="Marking"
        value={filters.marking ?? ""}
        options={[["", "Any"], ...choices.markings.map((marking): [string, string] => [marking, marking])]}
        onChange={(value) => onChange({ ...filters, marking: value || null })}
      />
      <FilterSelect
        label="Last edited"
        value={filters.edited}
        options={[
          ["any", "Any time"],
          ["day", "Past 24 hours"],
          ["week", "Past 7 days"],
          ["month", "Past 30 days"],
        ]}
        onChange={(value) => onChange({ ...filters, edited: value as MemoFilters["edited"] })}
      />
      <FilterSelect
        label="Person"
        value={filters.person ?? ""}
        options={[["", "Anyone"], ...choices.people.map((person): [string, string] => [person, person])]}
        onChange={(value) => onChange({ ...filters, person: value || null })}
      />
      {filtering(filters) && (
        <button className="button button-quiet button-small" type="button" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </div>
  );
}

/** One labelled filter: a select of [value, label] options. */
function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: [string, string][];
  onChange: (value: string) => void;
}) {
  return (
    <label className="memo-filter">
      <span>{label}</span>
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </label>
  );
}
