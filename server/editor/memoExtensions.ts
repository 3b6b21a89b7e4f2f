import type { AnyExtension } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";

// The one definition of what a memo can contain, shared by the browser editor and the server
// (import, validation of stored content, export), so both sides agree on the schema.

/** Link protocols a memo may contain; anything else (javascript:, data:) is refused by the Link mark. */
export const ALLOWED_LINK_PROTOCOLS = ["http", "https", "mailto"] as const;

/** Whether a link target uses an allowed protocol (links without one get https). */
export function isAllowedLink(url: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  return scheme === undefined || (ALLOWED_LINK_PROTOCOLS as readonly string[]).includes(scheme);
}

/** Extensions that define the memo schema. The browser adds collaboration and UI-only ones. */
export function memoExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      heading: { levels: [1, 2, 3] },
      code: false,
      codeBlock: false,
      strike: false,
      horizontalRule: false,
      // Yjs brings its own undo manager that only undoes this user's edits.
      undoRedo: false,
      // Each client would append its own trailing paragraph to a shared document.
      trailingNode: false,
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: "https",
        // http, https and mailto are linkify's built-ins; everything else (javascript:, data:) is refused.
        isAllowedUri: (url, context) => context.defaultValidate(url) && isAllowedLink(url),
        HTMLAttributes: { rel: "noopener noreferrer nofollow", target: "_blank" },
      },
    }),
  ];
}

/** The Y.XmlFragment name that holds the memo body in its Y.Doc (Tiptap's default). */
export const MEMO_FRAGMENT = "default";
