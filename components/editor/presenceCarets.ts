import { Extension } from "@tiptap/core";
import { yCursorPlugin } from "@tiptap/y-tiptap";
import type { Awareness } from "y-protocols/awareness";

// Other people's carets and selections, in their colour and with their name, from the memo's
// awareness. (Tiptap's collaboration-caret package trails our Tiptap version; the plugin it wraps
// is y-tiptap's, which we use directly.)

type PresenceUser = { name?: string; color?: string };

function caret(user: PresenceUser): HTMLElement {
  const color = user.color ?? "#64748b";
  const element = document.createElement("span");
  element.className = "presence-caret";
  element.style.borderColor = color;
  const label = document.createElement("span");
  label.className = "presence-caret-label";
  label.style.backgroundColor = color;
  label.textContent = user.name ?? "Someone";
  element.append(label);
  return element;
}

/** Shows remote carets and selections; the local one is shared through the same awareness. */
export function PresenceCarets(awareness: Awareness) {
  return Extension.create({
    name: "presenceCarets",
    addProseMirrorPlugins() {
      return [
        yCursorPlugin(awareness, {
          cursorBuilder: (user: PresenceUser) => caret(user),
          selectionBuilder: (user: PresenceUser) => ({ style: `background-color: ${user.color ?? "#64748b"}33`, class: "presence-selection" }),
        }),
      ];
    },
  });
}
