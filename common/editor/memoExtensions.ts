import type { AnyExtension, Attribute } from "@tiptap/core";
import Link from "@tiptap/extension-link";
import { OrderedList } from "@tiptap/extension-list";
import StarterKit from "@tiptap/starter-kit";
import { SuggestedDeletion, SuggestedInsertion } from "../suggestions/suggestionMarks";

// The one definition of what a memo can contain, shared by the browser editor and the server
// (import, validation of stored content, export), so both sides agree on the schema.

/** Link protocols a memo may contain; anything else (javascript:, data:) is refused by the Link mark. */
export const ALLOWED_LINK_PROTOCOLS = ["http", "https", "mailto"] as const;

/** Where a link without a scheme of its own resolves to, for checking only. */
const RELATIVE_BASE = "https://memo.invalid/";

/**
 * Whether a link target uses an allowed protocol (links without one get https). The protocol is
 * read as a browser reads it, by the WHATWG URL parser, which drops tabs and newlines anywhere and
 * control characters around it: "java\tscript:" is javascript:, whatever a regular expression says.
 */
export function isAllowedLink(url: string): boolean {
  let protocol: string;
  try {
    protocol = new URL(url, RELATIVE_BASE).protocol;
  } catch {
    return false;
  }
  return (ALLOWED_LINK_PROTOCOLS as readonly string[]).includes(protocol.slice(0, -1));
}

/** What every link in a memo renders with: the document decides, never the link's author. */
export const LINK_HTML_ATTRIBUTES = { rel: "noopener noreferrer nofollow", target: "_blank" } as const;

/**
 * A link is its href and its title. Tiptap's Link also stores `target`, `rel` and `class` per link,
 * rendered as sent: a crafted client stored rel="opener". Here they are not attributes at all, so
 * every link renders with LINK_HTML_ATTRIBUTES, and what old clients stored is ignored.
 */
const MemoLink = Link.extend({
  addAttributes() {
    const { href, title } = (this.parent?.() ?? {}) as Record<string, Attribute>;
    return { href, title };
  },
});

/** HTML's numbered-list styles (<ol type="…">), the only ones a memo keeps. */
export const ORDERED_LIST_TYPES = ["1", "a", "A", "i", "I"] as const;

/**
 * A numbered list whose start and style are always values the server accepts
 * (server/collab/memoAttributeValues.ts): pasted HTML can say <ol start="x"> (Tiptap read NaN) or
 * <ol type="disc">, and an update the server refuses would be refused again on every reconnect.
 */
const MemoOrderedList = OrderedList.extend({
  addAttributes() {
    const { start, type } = (this.parent?.() ?? {}) as Record<string, Attribute>;
    return {
      start: {
        ...start,
        parseHTML: (element: HTMLElement) => {
          const value = Number.parseInt(element.getAttribute("start") ?? "1", 10);
          return Number.isSafeInteger(value) ? value : 1;
        },
      },
      type: {
        ...type,
        parseHTML: (element: HTMLElement) => {
          const parsed = (type?.parseHTML?.(element) ?? null) as string | null;
          return parsed !== null && (ORDERED_LIST_TYPES as readonly string[]).includes(parsed) ? parsed : null;
        },
      },
    };
  },
});

/**
 * Every text block (paragraph, heading, and so the paragraphs of list items and quotes) reads in
 * the direction of its own first strong letter, as the exports do (common/export/textDirection.ts):
 * an Arabic paragraph right-aligned and right to left, the English one after it left to right.
 * It is rendering only, not a node attribute: Tiptap's TextDirection extension would store a `dir`
 * on every node, in every memo and every update the server checks, for what the text already says.
 * List items and quotes are left without one: HTML's `dir="auto"` skips descendants that carry their
 * own `dir`, so on an item it would never see its paragraph's text.
 */
const TEXT_BLOCK_HTML = { dir: "auto" } as const;

/** Extensions that define the memo schema. The browser adds collaboration and UI-only ones. */
export function memoExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      paragraph: { HTMLAttributes: TEXT_BLOCK_HTML },
      heading: { levels: [1, 2, 3], HTMLAttributes: TEXT_BLOCK_HTML },
      code: false,
      codeBlock: false,
      strike: false,
      horizontalRule: false,
      // Yjs brings its own undo manager that only undoes this user's edits.
      undoRedo: false,
      // Each client would append its own trailing paragraph to a shared document.
      trailingNode: false,
      link: false,
      orderedList: false,
    }),
    MemoOrderedList,
    SuggestedInsertion,
    SuggestedDeletion,
    MemoLink.configure({
      openOnClick: false,
      autolink: true,
      defaultProtocol: "https",
      // http, https and mailto are linkify's built-ins; everything else (javascript:, data:) is refused.
      isAllowedUri: (url, context) => context.defaultValidate(url) && isAllowedLink(url),
      HTMLAttributes: LINK_HTML_ATTRIBUTES,
    }),
  ];
}

/** The Y.XmlFragment name that holds the memo body in its Y.Doc (Tiptap's default). */
export const MEMO_FRAGMENT = "default";
