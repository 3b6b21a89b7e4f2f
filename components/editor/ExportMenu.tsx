"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { ExportFormat } from "@/common/export/exportFormats";
import { downloadExport } from "./memoDetailsApi";
import styles from "./memoDetails.module.css";

const CHOICES: { format: ExportFormat; label: string; noun: string }[] = [
  { format: "pdf", label: "PDF", noun: "PDF" },
  { format: "docx", label: "Word (.docx)", noun: "Word document" },
  { format: "md", label: "Markdown (.md)", noun: "Markdown file" },
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
  const [busy, setBusy] = useState<ExportFormat | null>(null);
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

  async function choose(format: ExportFormat) {
    closeMenu();
    setBusy(format);
    setError(null);
    try {
      await beforeExport();
      await downloadExport(memoId, format);
    } catch (failure) {
      const noun = CHOICES.find((choice) => choice.format === format)?.noun ?? "file";
      setError(`Could not export the ${noun}: ${(failure as Error).message}`);
    } finally {
      setBusy(null);
    }
  }

  const busyNoun = CHOICES.find((choice) => choice.format === busy)?.noun;
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
              key={choice.format}
              ref={(element) => {
                itemRefs.current[index] = element;
              }}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={styles.menuItem}
              onClick={() => void choose(choice.format)}
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
