"use client";

import { INBOX_STREAM_PATH } from "@/common/protocol/protocol";

// One event stream per browser (GET /api/inbox/stream), however many tabs: a browser opens at most
// six HTTP/1.1 connections to a server, and a stream per tab would use them up. The tabs elect one
// holder with the Web Locks API; it keeps the stream and passes each event to the others over a
// BroadcastChannel; when it closes, another tab takes the lock and the stream. A browser without
// the two APIs keeps a stream per tab.
//
// An event says "your inbox changed": each listener asks /api/inbox for what, after a short random
// delay (a burst of tabs and people does not arrive at once). Listeners also hear when the stream
// (re)opens, since events were missed while it was down, and when the tab comes back to the
// foreground. A stream the server refused or that failed is opened again with a growing delay;
// the server's 204 (too many streams) is final.

type Listener = () => void;
const listeners = new Set<Listener>();
const LOCK = "demarche-inbox-stream";
const CHANNEL = "demarche-inbox";
let channel: BroadcastChannel | null = null;
let releaseLock: (() => void) | null = null;
let stopStream: (() => void) | null = null;
let jitter: ReturnType<typeof setTimeout> | undefined;
let stopping: ReturnType<typeof setTimeout> | undefined;
/** Which start() a lock grant belongs to: a grant for an earlier one lets go at once. */
let generation = 0;

const notifyHere = () => {
  if (jitter) return;
  jitter = setTimeout(
    () => {
      jitter = undefined;
      for (const listener of listeners) listener();
    },
    50 + Math.random() * 400,
  );
};
const onVisible = () => {
  if (document.visibilityState === "visible") notifyHere();
};

/** Keeps the stream open (reopening it after failures) until the returned stop is called. */
function keepStream(onEvent: () => void): () => void {
  let source: EventSource | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let delay = 2_000;
  let stopped = false;
  const open = () => {
    source = new EventSource(INBOX_STREAM_PATH);
    source.addEventListener("inbox", onEvent);
    source.onopen = () => {
      delay = 2_000;
      onEvent();
    };
    source.onerror = () => {
      // EventSource retries a dropped stream itself; a refused one (CLOSED) is ours to retry.
      if (source?.readyState !== EventSource.CLOSED || stopped) return;
      source = null;
      retry = setTimeout(open, delay * (0.75 + Math.random() / 2));
      delay = Math.min(delay * 2, 60_000);
    };
  };
  open();
  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    source?.close();
  };
}

function start() {
  document.addEventListener("visibilitychange", onVisible);
  if (typeof BroadcastChannel === "undefined" || !navigator.locks) {
    stopStream = keepStream(notifyHere);
    return;
  }
  channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = notifyHere;
  const broadcasting = channel;
  const mine = ++generation;
  void navigator.locks
    .request(
      LOCK,
      () =>
        new Promise<void>((release) => {
          if (mine !== generation || listeners.size === 0) return release();
          releaseLock = release;
          stopStream = keepStream(() => {
            broadcasting.postMessage("inbox");
            notifyHere();
          });
        }),
    )
    .catch(() => undefined);
}

function stop() {
  document.removeEventListener("visibilitychange", onVisible);
  stopStream?.();
  stopStream = null;
  releaseLock?.();
  releaseLock = null;
  channel?.close();
  channel = null;
}

/** Calls `listener` whenever the signed-in user's inbox may have changed; returns the unsubscribe. */
export function subscribeToInbox(listener: Listener): () => void {
  listeners.add(listener);
  if (stopping) {
    // Moving to another page: its header subscribes again before the stream is let go.
    clearTimeout(stopping);
    stopping = undefined;
  } else if (listeners.size === 1) {
    start();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      stopping = setTimeout(() => {
        stopping = undefined;
        if (listeners.size === 0) stop();
      }, 2_000);
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
