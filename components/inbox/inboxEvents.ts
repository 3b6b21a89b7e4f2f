"use client";

import { INBOX_STREAM_PATH } from "@/common/protocol/protocol";

// One event stream per tab (GET /api/inbox/stream), shared by everything that shows the inbox
// (the header's count, the inbox page): each listener hears "your inbox changed", and asks
// /api/inbox for what. The browser reconnects a dropped stream by itself (after "retry"); a
// listener also hears when the tab comes back to the foreground, since events may have been
// missed while it slept.

type Listener = () => void;
const listeners = new Set<Listener>();
let source: EventSource | null = null;

const notify = () => {
  for (const listener of listeners) listener();
};
const onVisible = () => {
  if (document.visibilityState === "visible") notify();
};

/** Calls `listener` whenever the signed-in user's inbox may have changed; returns the unsubscribe. */
export function subscribeToInbox(listener: Listener): () => void {
  listeners.add(listener);
  if (!source) {
    source = new EventSource(INBOX_STREAM_PATH);
    source.addEventListener("inbox", notify);
    document.addEventListener("visibilitychange", onVisible);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && source) {
      source.close();
      source = null;
      document.removeEventListener("visibilitychange", onVisible);
    }
  };
}

/** The unread count, as the header shows it; null when it could not be read. */
export async function fetchUnreadCount(): Promise<number | null> {
  try {
    const response = await fetch("/api/inbox?count=1", { cache: "no-store" });
    if (!response.ok) return null;
    const body = (await response.json()) as { unread?: unknown };
    return typeof body.unread === "number" ? body.unread : null;
  } catch {
    return null;
  }
}

/** Marks items read (all of them without ids); answers the unread count after, or null. */
export async function markRead(ids?: string[]): Promise<number | null> {
  try {
    const response = await fetch("/api/inbox/read", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ids ? { ids } : { all: true }),
      // A click that opens the memo leaves the page: the request must outlive it.
      keepalive: true,
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { unread?: unknown };
    return typeof body.unread === "number" ? body.unread : null;
  } catch {
    return null;
  }
}
