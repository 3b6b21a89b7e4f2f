"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { ExportCopy, ExportFormat } from "@/common/export/exportFormats";
import { downloadExport } from "./memoDetailsApi";
import styles from "./memoDetails.module.css";

type Choice = { format: ExportFormat; copy: ExportCopy; label: string; noun: string };

// A clean copy prints pending suggestions accepted; a review copy shows them, in each format's
// own way (Word's tracked changes, marks on the PDF, CriticMarkup in Markdown).
const CHOICES: Choice[] = [
  { format: "pdf", copy: "clean", label: "PDF", noun: "PDF" },
  { format: "docx", copy: "clean", label: "Word (.docx)", noun: "Word document" },
  { format: "md", copy: "clean", label: "Markdown (.md)", noun: "Markdown file" },
  { format: "docx", copy: "review", label: "Word with tracked changes", noun: "Word review copy" },
  { format: "pdf", copy: "review", label: "PDF with suggestions marked", noun: "PDF review copy" },
  { format: "md", copy: "review", label: "Markdown with CriticMarkup", noun: "Markdown review copy" },
];

/** The "Export" menu button: a WAI-ARIA menu button (arrow keys, Home/End, Escape, Tab). */
export function ExportMenu({
  memoId,
  beforeExport,
}: {
  memoId: string;
  /** Resolves when edits that must be in the export are stored (the details saved on blur). */
  beforeExport: () => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<Choice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const close = (event: PointerEvent) => {
      if (!wrapperRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", close);
    return () => document.removeEventListener("pointerdown", close);
  }, [open]);

  function openMenu(focusIndex: number) {
    setOpen(true);
    // Focus moves into the menu once it is rendered.
    requestAnimationFrame(() => itemRefs.current.at(focusIndex)?.focus());
  }

  function closeMenu() {
    setOpen(false);
    buttonRef.current?.focus();
  }

  function onButtonKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (busy) return;
    if (event.key === "ArrowDown" || event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      openMenu(0);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      openMenu(-1);
    }
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const items = itemRefs.current.filter((item): item is HTMLButtonElement => item !== null);
    const current = items.indexOf(document.activeElement as HTMLButtonElement);
    const focus = (index: number) => items[(index + items.length) % items.length]?.focus();
    if (event.key === "ArrowDown") focus(current + 1);
    else if (event.key === "ArrowUp") focus(current - 1);
    else if (event.key === "Home") focus(0);
    else if (event.key === "End") focus(items.length - 1);
    else if (event.key === "Escape") closeMenu();
    else if (event.key === "Tab") setOpen(false);
    else return;
    if (event.key !== "Tab") event.preventDefault();
  }

  async function choose(choice: Choice) {
    closeMenu();
    setBusy(choice);
    setError(null);
    try {
      await beforeExport();
      await downloadExport(memoId, choice.format, choice.copy);
    } catch (failure) {
      setError(`Could not export the ${choice.noun}: ${(failure as Error).message}`);
    } finally {
      setBusy(null);
    }
  }

  const busyNoun = busy?.noun;
  return (
    <div className={styles.exportMenu} ref={wrapperRef}>
      <button
        ref={buttonRef}
        type="button"
        className="button button-small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        // aria-disabled rather than disabled: a disabled button drops keyboard focus.
        aria-disabled={busy !== null}
        onClick={() => {
          if (busy) return;
          if (open) setOpen(false);
          else openMenu(0);
        }}
        onKeyDown={onButtonKeyDown}
      >
        {busy ? `Preparing ${busyNoun}…` : "Export"}
        <span aria-hidden="true" className={styles.caret}>
          ▾
        </span>
      </button>
      {open && (
        <div id={menuId} role="menu" aria-label="Export as" className={styles.menu} onKeyDown={onMenuKeyDown}>
          {CHOICES.map((choice, index) => (
            <button
              key={`${choice.format}-${choice.copy}`}
              ref={(element) => {
                itemRefs.current[index] = element;
              }}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={styles.menuItem}
              onClick={() => void choose(choice)}
            >
              {choice.label}
            </button>
          ))}
        </div>
      )}
      <span className="visually-hidden" aria-live="polite">
        {busy ? `Preparing the ${busyNoun}…` : ""}
      </span>
      {error && (
        <div role="alert" className={styles.exportError}>
          {error}
          <button type="button" className="button button-quiet button-small" onClick={() => setError(null)}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
