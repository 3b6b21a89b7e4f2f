"use client";

import { useEditorState, type Editor } from "@tiptap/react";
import { useEffect, useRef, type FormEvent, type ReactNode } from "react";
import { BulletListIcon, CommentIcon, LinkIcon, NumberedListIcon, QuoteIcon, RedoIcon, UndoIcon } from "./ToolIcons";

const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const shortcut = (keys: string) =>
  isMac() ? keys.replace("Mod", "⌘").replace("Alt", "⌥") : keys.replace("Mod", "Ctrl");

function Tool({
  label,
  keys,
  active,
  disabled,
  onClick,
  children,
}: {
  label: string;
  keys?: string;
  active?: boolean;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  const title = keys ? `${label} (${shortcut(keys)})` : label;
  return (
    <button
      type="button"
      className="tool"
      title={title}
      aria-label={label}
      aria-pressed={active === undefined ? undefined : active}
      disabled={disabled}
      // Keep the selection in the editor when clicking a tool.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/** Formatting controls. Every one has a keyboard shortcut too (shown in its tooltip). */
/**
 * Publishes where the sticky toolbar ends once it is stuck (`--toolbar-bottom`, in px), for what
 * sticks below it (the marking banner). It changes with the screen: the header is sticky on wide
 * screens only, and the toolbar wraps onto two rows on narrow ones.
 */
function useStuckBottom(bar: { current: HTMLDivElement | null }): void {
  useEffect(() => {
    const element = bar.current;
    if (!element) return;
    const root = document.documentElement;
    const publish = () =>
      root.style.setProperty(
        "--toolbar-bottom",
        `${(parseFloat(getComputedStyle(element).top) || 0) + element.offsetHeight}px`,
      );
    const observer = new ResizeObserver(publish);
    observer.observe(element);
    window.addEventListener("resize", publish);
    publish();
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", publish);
      root.style.removeProperty("--toolbar-bottom");
    };
  }, [bar]);
}

export function Toolbar({
  editor,
  editable,
  linkOpen,
  setLinkOpen,
  canComment,
  onComment,
  suggesting = false,
  canEdit = editable,
  onModeChange,
}: {
  editor: Editor;
  editable: boolean;
  /** Whether edits are suggestions: formatting, headings and lists cannot be suggested yet. */
  suggesting?: boolean;
  /** Whether the user may choose between Editing and Suggesting (editors and the owner). */
  canEdit?: boolean;
  onModeChange?: (suggesting: boolean) => void;
  linkOpen: boolean;
  setLinkOpen: (open: boolean | ((open: boolean) => boolean)) => void;
  /** Whether the user may comment (commenters too, whose editor is read-only). */
  canComment?: boolean;
  onComment?: () => void;
}) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      underline: e.isActive("underline"),
      h1: e.isActive("heading", { level: 1 }),
      h2: e.isActive("heading", { level: 2 }),
      h3: e.isActive("heading", { level: 3 }),
      bulletList: e.isActive("bulletList"),
      orderedList: e.isActive("orderedList"),
      blockquote: e.isActive("blockquote"),
      link: e.isActive("link"),
      href: (e.getAttributes("link").href as string | undefined) ?? "",
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
      hasSelection: !e.state.selection.empty,
    }),
  });
  const chain = () => editor.chain().focus();
  // Formatting, headings, lists and quotes are not suggested yet: in Suggesting they are off.
  const formats = editable && !suggesting;

  function applyLink(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const href = String(new FormData(event.currentTarget).get("href") ?? "").trim();
    if (href === "") chain().extendMarkRange("link").unsetLink().run();
    else chain().extendMarkRange("link").setLink({ href }).run();
    setLinkOpen(false);
  }

  const bar = useRef<HTMLDivElement>(null);
  useStuckBottom(bar);

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting" ref={bar}>
      {editable && (
        <div className="toolbar-group mode-switch" role="group" aria-label="Mode">
          <button
            type="button"
            className="tool tool-wide"
            aria-pressed={!suggesting}
            disabled={!canEdit}
            title={canEdit ? `Edit the memo directly (${shortcut("Mod+Alt+Shift+Z")})` : "Your role can only suggest"}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onModeChange?.(false)}
          >
            Editing
          </button>
          <button
            type="button"
            className="tool tool-wide"
            aria-pressed={suggesting}
            title={`Edits become suggestions others accept or reject (${shortcut("Mod+Alt+Shift+X")})`}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onModeChange?.(true)}
          >
            Suggesting
          </button>
        </div>
      )}
      <div className="toolbar-group">
        <Tool label="Undo" keys="Mod+Z" disabled={!editable || !state.canUndo} onClick={() => chain().undo().run()}>
          <UndoIcon />
        </Tool>
        <Tool
          label="Redo"
          keys="Mod+Shift+Z"
          disabled={!editable || !state.canRedo}
          onClick={() => chain().redo().run()}
        >
          <RedoIcon />
        </Tool>
      </div>
      <div className="toolbar-group">
        <Tool
          label="Heading 1"
          keys="Mod+Alt+1"
          active={state.h1}
          disabled={!formats}
          onClick={() => chain().toggleHeading({ level: 1 }).run()}
        >
          H1
        </Tool>
        <Tool
          label="Heading 2"
          keys="Mod+Alt+2"
          active={state.h2}
          disabled={!formats}
          onClick={() => chain().toggleHeading({ level: 2 }).run()}
        >
          H2
        </Tool>
        <Tool
          label="Heading 3"
          keys="Mod+Alt+3"
          active={state.h3}
          disabled={!formats}
          onClick={() => chain().toggleHeading({ level: 3 }).run()}
        >
          H3
        </Tool>
      </div>
      <div className="toolbar-group">
        <Tool
          label="Bold"
          keys="Mod+B"
          active={state.bold}
          disabled={!formats}
          onClick={() => chain().toggleBold().run()}
        >
          <b>B</b>
        </Tool>
        <Tool
          label="Italic"
          keys="Mod+I"
          active={state.italic}
          disabled={!formats}
          onClick={() => chain().toggleItalic().run()}
        >
          <i>I</i>
        </Tool>
        <Tool
          label="Underline"
          keys="Mod+U"
          active={state.underline}
          disabled={!formats}
          onClick={() => chain().toggleUnderline().run()}
        >
          <u>U</u>
        </Tool>
        <Tool
          label="Link"
          keys="Mod+K"
          active={state.link}
          disabled={!formats}
          onClick={() => setLinkOpen((open) => !open)}
        >
          <LinkIcon />
        </Tool>
      </div>
      <div className="toolbar-group">
        <Tool
          label="Bulleted list"
          keys="Mod+Shift+8"
          active={state.bulletList}
          disabled={!formats}
          onClick={() => chain().toggleBulletList().run()}
        >
          <BulletListIcon />
        </Tool>
        <Tool
          label="Numbered list"
          keys="Mod+Shift+7"
          active={state.orderedList}
          disabled={!formats}
          onClick={() => chain().toggleOrderedList().run()}
        >
          <NumberedListIcon />
        </Tool>
        <Tool
          label="Quote"
          keys="Mod+Shift+B"
          active={state.blockquote}
          disabled={!formats}
          onClick={() => chain().toggleBlockquote().run()}
        >
          <QuoteIcon />
        </Tool>
      </div>
      {onComment && (
        <div className="toolbar-group">
          <Tool label="Comment" keys="Mod+Alt+M" disabled={!canComment || !state.hasSelection} onClick={onComment}>
            <CommentIcon />
          </Tool>
        </div>
      )}
      {linkOpen && (
        <form
          className="rename-form"
          onSubmit={applyLink}
          onKeyDown={(event) => event.key === "Escape" && setLinkOpen(false)}
        >
          <label className="visually-hidden" htmlFor="link-href">
            Link address
          </label>
          <input
            id="link-href"
            name="href"
            type="url"
            defaultValue={state.href}
            placeholder="https://…  (empty removes the link)"
            autoFocus
          />
          <button className="button button-primary button-small" type="submit">
            Apply
          </button>
        </form>
      )}
    </div>
  );
}
