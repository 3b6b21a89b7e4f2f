"use client";

import { useState, type RefObject } from "react";
import { saveMemoDetails, type MemoDetails, type MemoDetailsChange } from "./memoDetailsApi";
import styles from "./memoDetails.module.css";
import { MEMO_LANGUAGES } from "@/common/memos/memoLanguages";

type TextField = "to" | "from" | "subject";

const TEXT_FIELDS: { field: TextField; label: string; placeholder: string }[] = [
  { field: "to", label: "To", placeholder: "Recipient, e.g. The Ambassador" },
  { field: "from", label: "From", placeholder: "Author or office" },
];

const linesOf = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/** The memo's title-block facts (To, From, Date, Subject, distribution, marking), each saved when
 * it is changed, and the language it is written in. The facts print at the top of every export. */
export function MemoDetailsPanel({
  memoId,
  title,
  details,
  markings,
  editable,
  onSaved,
  savesRef,
}: {
  memoId: string;
  title: string;
  details: MemoDetails;
  markings: string[];
  editable: boolean;
  onSaved: (details: MemoDetails) => void;
  /** The chain of pending saves, shared with the export menu so an export waits for them. */
  savesRef: RefObject<Promise<void>>;
}) {
  const [draft, setDraft] = useState({
    ...details,
    date: details.date ?? "",
    distribution: details.distribution.join("\n"),
  });
  const [saved, setSaved] = useState(details);
  const [status, setStatus] = useState<{ tone: "idle" | "busy" | "ok" | "error"; text: string }>({
    tone: "idle",
    text: "",
  });

  // Saves go one at a time: each answer holds every field, and an answer overtaken by a later
  // change would otherwise show stale values (a blur and a marking choice can fire together).

  function save(change: MemoDetailsChange) {
    setStatus({ tone: "busy", text: "Saving…" });
    savesRef.current = savesRef.current.then(async () => {
      try {
        const next = await saveMemoDetails(memoId, change);
        setSaved(next);
        onSaved(next);
        setStatus({ tone: "ok", text: "Details saved" });
      } catch (failure) {
        setStatus({ tone: "error", text: (failure as Error).message });
      }
    });
  }

  function saveText(field: TextField) {
    const value = draft[field].trim();
    if (value !== saved[field]) save({ [field]: value });
  }

  function saveDistribution() {
    const entries = linesOf(draft.distribution);
    if (entries.join("\n") !== saved.distribution.join("\n")) save({ distribution: entries });
  }

  // A marking no longer configured stays selectable until another is chosen.
  const options = markings.includes(draft.marking) ? markings : [draft.marking, ...markings];

  return (
    <section className={styles.details} aria-label="Memo details">
      {TEXT_FIELDS.map(({ field, label, placeholder }) => (
        <div className={styles.row} key={field}>
          <label htmlFor={`memo-${field}`}>{label}</label>
          <input
            id={`memo-${field}`}
            dir="auto"
            value={draft[field]}
            maxLength={200}
            placeholder={placeholder}
            readOnly={!editable}
            onChange={(event) => setDraft({ ...draft, [field]: event.target.value })}
            onBlur={() => saveText(field)}
          />
        </div>
      ))}
      <div className={styles.row}>
        <label htmlFor="memo-date">Date</label>
        <input
          id="memo-date"
          type="date"
          value={draft.date}
          readOnly={!editable}
          onChange={(event) => {
            setDraft({ ...draft, date: event.target.value });
            if (event.target.value !== (saved.date ?? "")) save({ date: event.target.value });
          }}
        />
      </div>
      <div className={styles.row}>
        <label htmlFor="memo-subject">Subject</label>
        <input
          id="memo-subject"
          dir="auto"
          value={draft.subject}
          maxLength={300}
          placeholder={title}
          readOnly={!editable}
          onChange={(event) => setDraft({ ...draft, subject: event.target.value })}
          onBlur={() => saveText("subject")}
        />
      </div>
      <div className={styles.row}>
        <label htmlFor="memo-distribution">Distribution</label>
        <textarea
          id="memo-distribution"
          dir="auto"
          rows={Math.max(2, linesOf(draft.distribution).length + 1)}
          value={draft.distribution}
          placeholder="One recipient per line"
          readOnly={!editable}
          onChange={(event) => setDraft({ ...draft, distribution: event.target.value })}
          onBlur={saveDistribution}
        />
      </div>
      <div className={styles.row}>
        <label htmlFor="memo-marking">Marking</label>
        <select
          id="memo-marking"
          value={draft.marking}
          disabled={!editable}
          onChange={(event) => {
            setDraft({ ...draft, marking: event.target.value });
            save({ marking: event.target.value });
          }}
        >
          {options.map((marking) => (
            <option key={marking} value={marking}>
              {marking}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.row}>
        <label htmlFor="memo-language">Language</label>
        <select
          id="memo-language"
          value={draft.language ?? ""}
          disabled={!editable}
          title="Search finds the forms of a word in this language (“policies” finds “policy”)"
          onChange={(event) => {
            const language = (event.target.value || null) as MemoDetails["language"];
            setDraft({ ...draft, language });
            save({ language });
          }}
        >
          <option value="">Not set (searched as English)</option>
          {MEMO_LANGUAGES.map((language) => (
            <option key={language.code} value={language.code} lang={language.code}>
              {language.label}
            </option>
          ))}
        </select>
      </div>
      <p
        className={styles.status}
        data-tone={status.tone}
        role={status.tone === "error" ? "alert" : "status"}
        data-testid="details-status"
      >
        {status.text}
      </p>
    </section>
  );
}
