import { Extension } from "@tiptap/core";
import { Plugin, type StateField } from "@tiptap/pm/state";
import { DecorationSet } from "@tiptap/pm/view";
import { yCursorPlugin } from "@tiptap/y-tiptap";
import type { Awareness } from "y-protocols/awareness";
import { usableRemotePresence } from "@/common/protocol/presenceState";

// Other people's carets and selections, in their colour and with their name, from the memo's
// awareness. (Tiptap's collaboration-caret package trails our Tiptap version; the plugin it wraps
// is y-tiptap's, which we use directly.)
// A remote presence is someone else's data: a caret the plugin cannot decode made it throw inside
// every transaction, which froze the editor (remote edits stopped rendering) and then wrote a stale
// view back over other people's text. So only states in our shape reach the plugin, and should the
// plugin still throw, this editor shows no carets rather than stopping.

type PresenceUser = { name: string; color: string };

function caret(user: PresenceUser): HTMLElement {
  const element = document.createElement("span");
  element.className = "presence-caret";
  element.style.borderColor = user.color;
  const label = document.createElement("span");
  label.className = "presence-caret-label";
  label.style.backgroundColor = user.color;
  label.textContent = user.name;
  element.append(label);
  return element;
}

/** The plugin's state field, answering no carets instead of throwing. */
function neverThrowing(field: StateField<DecorationSet>): StateField<DecorationSet> {
  return {
    ...field,
    init(config, state) {
      try {
        return field.init.call(this, config, state);
      } catch (error) {
        console.warn("presence carets hidden: a remote caret could not be shown", error);
        return DecorationSet.empty;
      }
    },
    apply(tr, value, oldState, newState) {
      try {
        return field.apply.call(this, tr, value, oldState, newState);
      } catch (error) {
        console.warn("presence carets hidden: a remote caret could not be shown", error);
        return DecorationSet.empty;
      }
    },
  };
}

/** Shows remote carets and selections; the local one is shared through the same awareness. */
export function PresenceCarets(awareness: Awareness) {
  return Extension.create({
    name: "presenceCarets",
    addProseMirrorPlugins() {
      const plugin = yCursorPlugin(awareness, {
        // Ours is not shown as a remote caret; others' only when they are in our shape.
        awarenessStateFilter: (ownClientId: number, clientId: number, state: unknown) =>
          ownClientId !== clientId && usableRemotePresence(state) !== null,
        cursorBuilder: (user: PresenceUser) => caret(user),
        selectionBuilder: (user: PresenceUser) => ({
          style: `background-color: ${user.color}33`,
          class: "presence-selection",
        }),
      });
      return [new Plugin({ ...plugin.spec, state: neverThrowing(plugin.spec.state as StateField<DecorationSet>) })];
    },
  });
}
