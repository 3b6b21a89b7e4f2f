import type { IncomingMessage, ServerResponse } from "node:http";

// The inbox's live channel: a server-sent event stream per open page (GET /api/inbox/stream,
// served beside the collaboration WebSocket, which shares the LISTEN connection that hears of new
// items). An event says only "your inbox changed": the page asks /api/inbox for what, with its
// own permission checks, so nothing that travels here can show someone what they may not see.

/**
 * Streams one person may hold: a browser holds one, whatever its tabs (components/inbox/
 * inboxEvents.ts), so this is their browsers and devices. A further one is answered 204, which
 * tells EventSource not to reconnect (that page still refreshes when it comes to the foreground).
 */
export const STREAMS_PER_USER = 8;
/** Events for one person within this window go out as one (a burst of replies is one fetch per page). */
const COALESCE_MS = 500;
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

type Stream = { res: ServerResponse; sessionId: string };

export type InboxStreams = {
  /** Starts a stream for a signed-in user; it lasts until the browser goes or the session ends. */
  open(req: IncomingMessage, res: ServerResponse, user: { id: string; sessionId: string }): void;
  /** Tells these users' open pages that their inbox changed. */
  changed(userIds: Iterable<string>): void;
  /** Tells everyone (after the listener missed notifications). */
  changedForAll(): void;
  /** Ends the streams of sessions that ended. */
  closeSessions(userId: string, sessionIds: Set<string>): void;
  /** How many streams are open. */
  readonly size: number;
  close(): void;
};

export function createInboxStreams(): InboxStreams {
  const byUser = new Map<string, Set<Stream>>();
  let size = 0;

  const remove = (userId: string, stream: Stream) => {
    const streams = byUser.get(userId);
    if (!streams?.delete(stream)) return;
    size--;
    if (streams.size === 0) byUser.delete(userId);
  };
  const send = (stream: Stream, chunk: string) => {
    if (!stream.res.writableEnded) stream.res.write(chunk);
  };
  const pending = new Set<string>();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    flushTimer = undefined;
    for (const userId of pending) {
      for (const stream of byUser.get(userId) ?? []) send(stream, "event: inbox\ndata: {}\n\n");
    }
    pending.clear();
  };
  const keepalive = setInterval(() => {
    for (const streams of byUser.values()) for (const stream of streams) send(stream, ": keepalive\n\n");
  }, KEEPALIVE_MS);
  keepalive.unref();

  return {
    open(req, res, user) {
      let streams = byUser.get(user.id);
      if (streams && streams.size >= STREAMS_PER_USER) {
        res.writeHead(204, { "cache-control": "no-store" }).end();
        return;
      }
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "private, no-store",
        connection: "keep-alive",
        // nginx would otherwise hold the events in its buffer.
        "x-accel-buffering": "no",
      });
      res.write("retry: 5000\n\n");
      const stream: Stream = { res, sessionId: user.sessionId };
      if (!streams) byUser.set(user.id, (streams = new Set()));
      streams.add(stream);
      size++;
      const done = () => remove(user.id, stream);
      req.on("close", done);
      res.on("close", done);
      res.on("error", done);
    },
    changed(userIds) {
      for (const userId of userIds) if (byUser.has(userId)) pending.add(userId);
      if (pending.size > 0 && !flushTimer) flushTimer = setTimeout(flush, COALESCE_MS);
    },
    changedForAll() {
      this.changed([...byUser.keys()]);
    },
    closeSessions(userId, sessionIds) {
      for (const stream of [...(byUser.get(userId) ?? [])]) {
        if (!sessionIds.has(stream.sessionId)) continue;
        remove(userId, stream);
        stream.res.end();
      }
    },
    get size() {
      return size;
    },
    close() {
      clearInterval(keepalive);
      if (flushTimer) clearTimeout(flushTimer);
      pending.clear();
      for (const [userId, streams] of [...byUser]) {
        for (const stream of [...streams]) {
          remove(userId, stream);
          stream.res.end();
        }
      }
    },
  };
}
