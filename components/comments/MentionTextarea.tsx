"use client";

import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { insertMention, mentionCandidates, mentionQueryAt, type Mentionable, type MentionQuery } from "./mentionQuery";
import styles from "./comments.module.css";

/**
 * A comment field that offers the memo's people after "@" (a combobox: arrow keys, Enter or Tab
 * to pick, Escape to close). Ctrl/Cmd+Enter submits and Escape cancels when no list is open.
 */
export function MentionTextarea({
  label,
  value,
  onChange,
  people,
  onSubmit,
  onCancel,
  placeholder,
  autoFocus,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  people: Mentionable[];
  onSubmit: () => void;
  onCancel?: () => void;
  placeholder?: string;
  autoFocus?: boolean;
}) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [highlighted, setHighlighted] = useState(0);
  const nextCaret = useRef<number | null>(null);
  const candidates = mention ? mentionCandidates(people, mention.query) : [];
  const open = candidates.length > 0;

  useLayoutEffect(() => {
    if (nextCaret.current === null || !textarea.current) return;
    textarea.current.setSelectionRange(nextCaret.current, nextCaret.current);
    nextCaret.current = null;
  });

  function follow(element: HTMLTextAreaElement) {
    const found = mentionQueryAt(element.value, element.selectionStart);
    setMention(found);
    if (found?.query !== mention?.query) setHighlighted(0);
  }

  function pick(person: Mentionable) {
    const element = textarea.current;
    if (!mention || !element) return;
    const result = insertMention(value, mention, element.selectionStart, person);
    nextCaret.current = result.caret;
    setMention(null);
    onChange(result.text);
    element.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (open) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setHighlighted((index) => (index + step + candidates.length) % candidates.length);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        pick(candidates[Math.min(highlighted, candidates.length - 1)]);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        setMention(null);
        return;
      }
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSubmit();
    } else if (event.key === "Escape" && onCancel) {
      event.preventDefault();
      onCancel();
    }
  }

  const activeOption = open ? `${listId}-${Math.min(highlighted, candidates.length - 1)}` : undefined;
  return (
    <div className={styles.mentionField}>
      <textarea
        ref={textarea}
        className={styles.textarea}
        aria-label={label}
        value={value}
        placeholder={placeholder}
        autoFocus={autoFocus}
        rows={2}
        maxLength={5000}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={activeOption}
        onChange={(event) => {
          onChange(event.target.value);
          follow(event.target);
        }}
        onSelect={(event) => follow(event.currentTarget)}
        onKeyDown={onKeyDown}
        onBlur={() => setMention(null)}
      />
      {open && (
        <ul className={styles.mentionList} id={listId} role="listbox" aria-label="People to mention">
          {candidates.map((person, index) => (
            <li
              key={person.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === highlighted}
              className={styles.mentionOption}
              // Picking with the mouse must not blur the field first (which closes the list).
              onMouseDown={(event) => {
                event.preventDefault();
                pick(person);
              }}
            >
              {person.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
