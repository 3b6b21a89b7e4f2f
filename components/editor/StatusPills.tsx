"use client";

import { useSyncExternalStore } from "react";
import type { MemoConnection, SaveIndicatorState } from "./memoConnection";

const CONNECTION = {
  connecting: { label: "Connecting…", tone: "busy" },
  connected: { label: "Live", tone: "ok" },
  reconnecting: { label: "Reconnecting…", tone: "warn" },
  offline: { label: "Offline", tone: "error" },
} as const;

type Pill = { label: string; tone: string; title: string };

/**
 * What the save indicator says. "Saved" only ever follows the server's acknowledgement, and "kept
 * on this device" only follows IndexedDB committing the edits.
 */
export function saveStatus(state: SaveIndicatorState): Pill {
  // Before the first connection, nothing is known to be stored: a memo that never loads is not "Saved".
  if (state.saved && state.connection === "connecting")
    return { label: "Not connected yet", tone: "busy", title: "Opening the memo on the server." };
  if (state.saved) return { label: "Saved", tone: "ok", title: "Every change is stored on the server." };
  if (state.connection === "offline") {
    if (!state.keptLocally)
      return {
        label: "Offline — keeping changes on this device…",
        tone: "busy",
        title: "Writing your latest changes to this browser's storage.",
      };
    return {
      label: "Offline — changes kept on this device",
      tone: "warn",
      title: "Your changes are saved in this browser and sent when you are back online.",
    };
  }
  if (state.storageFailing) {
    return {
      label: "Not saved yet — server storage unavailable",
      tone: "error",
      title:
        "Your changes reach your colleagues but the server cannot store them yet; they are kept on this device meanwhile.",
    };
  }
  if (state.connection === "connected")
    return { label: "Saving…", tone: "busy", title: "Sending your latest changes." };
  if (!state.keptLocally)
    return {
      label: "Not saved yet — keeping on this device…",
      tone: "busy",
      title: "Reconnecting; writing your latest changes to this browser's storage.",
    };
  return {
    label: "Not saved yet — kept on this device",
    tone: "warn",
    title: "Reconnecting; your changes are kept in this browser meanwhile.",
  };
}

/**
 * Connection and save state, announced politely to screen readers when they change. It follows
 * the connection by itself: the rest of the page does not re-render as each keystroke is saved.
 */
export function StatusPills({ connection }: { connection: MemoConnection }) {
  const state = useSyncExternalStore(
    connection.subscribe,
    connection.getSaveSnapshot,
    connection.getServerSaveSnapshot,
  );
  const link = CONNECTION[state.connection];
  const save = saveStatus(state);
  return (
    <div className="status-group" aria-live="polite">
      <span className="status-pill" data-tone={link.tone} data-testid="connection-status">
        {link.label}
      </span>
      <span className="status-pill" data-tone={save.tone} data-testid="save-status" title={save.title}>
        {save.label}
      </span>
    </div>
  );
}
