import type { IncomingMessage, ServerResponse } from "node:http";

// The inbox's live channel: a server-sent event stream per open page (GET /api/inbox/stream,
// served beside the collaboration WebSocket, which shares the LISTEN connection that hears of new
// items). An event says only "your inbox changed": the page asks /api/inbox for what, with its
// own permission checks, so nothing that travels here can show someone what they may not see.

/** Streams one person may hold (tabs); a further one ends their oldest. */
export const STREAMS_PER_USER = 8;
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
  const keepalive = setInterval(() => {
    for (const streams of byUser.values()) for (const stream of streams) send(stream, ": keepalive\n\n");
  }, KEEPALIVE_MS);
  keepalive.unref();

  return {
    open(req, res, user) {
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "private, no-store",
        connection: "keep-alive",
        // nginx would otherwise hold the events in its buffer.
        "x-accel-buffering": "no",
      });
      res.write("retry: 5000\n\n");
      const stream: Stream = { res, sessionId: user.sessionId };
      let streams = byUser.get(user.id);
      if (!streams) byUser.set(user.id, (streams = new Set()));
      if (streams.size >= STREAMS_PER_USER) {
        const oldest = streams.values().next().value!;
        remove(user.id, oldest);
        oldest.res.end();
      }
      streams.add(stream);
      size++;
      const done = () => remove(user.id, stream);
      req.on("close", done);
      res.on("close", done);
      res.on("error", done);
    },
    changed(userIds) {
      for (const userId of userIds) {
        for (const stream of byUser.get(userId) ?? []) send(stream, "event: inbox\ndata: {}\n\n");
      }
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
      for (const [userId, streams] of [...byUser]) {
        for (const stream of [...streams]) {
          remove(userId, stream);
          stream.res.end();
        }
      }
    },
  };
}
