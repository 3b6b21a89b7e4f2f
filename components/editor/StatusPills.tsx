"use client";

import type { ConnectionState } from "./memoConnection";

const CONNECTION: Record<ConnectionState, { label: string; tone: string }> = {
  connecting: { label: "Connecting…", tone: "busy" },
  connected: { label: "Live", tone: "ok" },
  reconnecting: { label: "Reconnecting…", tone: "warn" },
  offline: { label: "Offline", tone: "error" },
};

/** Connection and save state, announced politely to screen readers when they change. */
export function StatusPills({ connection, saved }: { connection: ConnectionState; saved: boolean }) {
  const link = CONNECTION[connection];
  const save = saved
    ? { label: "Saved", tone: "ok" }
    : connection === "connected"
      ? { label: "Saving…", tone: "busy" }
      : { label: "Not saved yet", tone: "warn" };
  return (
    <div className="status-group" aria-live="polite">
      <span className="status-pill" data-tone={link.tone} data-testid="connection-status">
        {link.label}
      </span>
      <span
        className="status-pill"
        data-tone={save.tone}
        data-testid="save-status"
        title={saved ? "Every change is stored on the server." : "Your latest changes are not on the server yet; they are kept in this tab."}
      >
        {save.label}
      </span>
    </div>
  );
}
