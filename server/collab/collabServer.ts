import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { Logger } from "pino";
import type { PrismaClient } from "../db";
import { listenForMemoEvents } from "./memoEventListener";
import { createRedisBridge, type RedisBridge } from "./redisBridge";
import { authenticateUpgrade } from "./authenticateUpgrade";
import { COLLAB_SUBPROTOCOL } from "./collabTicket";
import { CollabConnection, type CollabUser } from "./collabConnection";
import { createCollabMetrics, type CollabMetrics } from "./collabMetrics";
import type { CollabLimits } from "./limits";
import { TokenBucket } from "./tokenBucket";
import type { MemoRoom, RoomStorage, RoomTiming } from "./memoRoom";
import type { VersionTiming } from "./versionScheduler";
import { handleMessage } from "./messageHandlers";
import { CloseCode, COLLAB_PATH, writeCommentsChanged, writeRestored } from "../../common/protocol/protocol";
import {
  MEMO_DELETED,
  MemoMissingError,
  policyViolation,
  ProtocolViolation,
  refuseUpgrade,
  unsupportedData,
} from "./collabRefusals";
import { AppError, forbidden, notFound } from "../errors";
import { roomPeerHandlers } from "./roomPeerHandlers";
import { RoomRegistry } from "./roomRegistry";
import { memoRoleOf } from "../memos/memoAccess";
import { createInboxStreams, type InboxStreams } from "../inbox/inboxStreams";
import { originAllowed, type OriginPolicy } from "../http/originPolicy";
import { createSqlPool } from "../database/sqlQuery";
import type { MemoRole } from "../../common/sharing/memoPermissions";
import { liveSessionIds } from "../accounts/userSessions";

export type { CollabLimits } from "./limits";

// The collaboration server, wired together: upgrade → authenticate → authorize → join the memo's
// room → one handler per message type. It reads like a table of contents on purpose; each step
// lives in its own module.

export type CollabServerOptions = {
  db: PrismaClient;
  /** The same database, for a LISTEN connection that hears memo events (access, deletion, updates, comments). */
  databaseUrl: string;
  log: Logger;
  sessionSecret: string;
  /** Which pages may open a connection with the user's cookie (see originPolicy.ts); a cookie upgrade must name one. */
  origins: OriginPolicy;
  /** Redis to share memos with other instances; unset for a single instance. */
  redisUrl?: string;
  /** Whether the session cookie is the __Secure- one (the app is served over HTTPS). */
  secureCookies: boolean;
  timing: RoomTiming & VersionTiming & { unloadGraceMs: number };
  limits: CollabLimits;
  /** Storage of memo updates; defaults to PostgreSQL. Only the benchmark's memory-only mode sets it. */
  storage?: RoomStorage;
  /** Told after a memo's edits were stored: the search index follows them (server/search/searchIndexer.ts). */
  onStored?: (memoId: string) => void;
  /** Told when someone's inbox changed, on any instance (or may have, after a reconnect): the mailer sweeps. */
  onInboxChanged?: () => void;
};

export type CollabServer = {
  /** Handles an HTTP upgrade under COLLAB_PATH. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  /** Serves GET /api/inbox/stream, the inbox's live events. */
  handleInboxStream(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The open inbox streams. */
  inboxStreams: InboxStreams;
  /** Closes a deleted memo's connections. */
  memoDeleted(memoId: string): Promise<void>;
  /** Stops accepting, stores everything, closes clients with 1001. */
  close(): Promise<void>;
  /** Whether the server accepts connections (false while shutting down). */
  readonly accepting: boolean;
  registry: RoomRegistry;
  metrics: CollabMetrics;
  /** Redis status when several instances share memos (undefined for a single instance). */
  redis: RedisBridge | undefined;
};

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Extracts the memo id from `/collab/<memoId>`; null for any other path. */
export function memoIdFromPath(url: string | undefined): string | null {
  const pathname = new URL(url ?? "/", "http://localhost").pathname;
  const match = new RegExp(`^${COLLAB_PATH}/([^/]+)$`).exec(pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

export function createCollabServer(options: CollabServerOptions): CollabServer {
  const { db, log } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.limits.maxFrameBytes,
    perMessageDeflate: false,
    // Clients that carry a ticket offer our subprotocol; the server must name it back.
    handleProtocols: (protocols) => (protocols.has(COLLAB_SUBPROTOCOL) ? COLLAB_SUBPROTOCOL : false),
  });
  // Its own pg pool, not Prisma's: memo loads, batches and upgrade lookups are the hot path.
  const sqlPool = createSqlPool(options.databaseUrl, log);
  // The registry is given the metrics and the Redis bridge, and both read its rooms in turn: they
  // do so only when called (a scrape, a message from another instance), once the registry exists.
  const redis: RedisBridge | undefined = options.redisUrl
    ? createRedisBridge(
        options.redisUrl,
        log.child({ component: "redis" }),
        roomPeerHandlers((memoId) => registry.loadedRoom(memoId)),
      )
    : undefined;
  const metrics = createCollabMetrics(() => ({ ...registry.stats(), redis: redis ? (redis.connected ? 1 : 0) : -1 }));
  const registry: RoomRegistry = new RoomRegistry({
    db,
    sql: sqlPool.query,
    log,
    timing: options.timing,
    storage: options.storage,
    metrics,
    peers: redis,
    onStored: options.onStored,
  });
  const closeEndedSessions = async () => {
    const rooms = registry.loadedRooms();
    const open = [...new Set(rooms.flatMap((room) => [...room.openSessions()]))];
    const live = await liveSessionIds(options.db, open);
    for (const room of rooms) room.closeEndedSessions(live);
  };
  const inboxStreams = createInboxStreams();
  const memoEventListener = listenForMemoEvents(
    options.databaseUrl,
    log,
    (event) => {
      if (event.kind === "sessionsEnded") {
        const ended = new Set(event.sessionIds);
        for (const room of registry.loadedRooms()) room.closeSessions(event.userId, ended);
        inboxStreams.closeSessions(event.userId, ended);
        return;
      }
      if (event.kind === "inbox") {
        inboxStreams.changed(event.userIds);
        return options.onInboxChanged?.();
      }
      if (event.kind === "comments")
        return registry.loadedRoom(event.memoId)?.broadcast(writeCommentsChanged(event.threadId));
      if (event.kind === "restored")
        return registry.loadedRoom(event.memoId)?.broadcast(writeRestored(event.announcement));
      const handled =
        event.kind === "updated"
          ? registry.applyStoredUpdate(event.memoId, BigInt(event.seq))
          : registry.refreshAccess(event.memoId);
      handled.catch((error: unknown) => log.error({ err: error, event }, "handling a memo event failed"));
    },
    () => {
      // Events sent while the listener was down are lost: every open client refetches its comments,
      // and every open inbox its items.
      for (const room of registry.loadedRooms()) room.broadcast(writeCommentsChanged());
      inboxStreams.changedForAll();
      options.onInboxChanged?.();
      // …and sessions that ended meanwhile close their connections now.
      void closeEndedSessions().catch((error: unknown) => log.error({ err: error }, "checking open sessions failed"));
      void registry.refreshAllAccess().catch((error: unknown) => log.error({ err: error }, "refreshing access failed"));
    },
  );
  const { limits } = options;
  let closing = false;
  let nextConnectionId = 1;

  /** Drops a refused frame, or closes its connection, as the violation says; logged and counted either way. */
  function refuseFrame(connection: CollabConnection, violation: ProtocolViolation): void {
    const { closeCode: code, reason } = violation;
    const facts = { memoId: connection.memoId, userId: connection.user.id, connectionId: connection.id };
    metrics.rejectedFrames.inc({ reason });
    if (!violation.closes) return log.warn({ ...facts, reason }, "frame dropped");
    log.warn({ ...facts, code, reason }, "frame rejected");
    connection.close(code, reason);
  }

  function handleFrame(frame: Uint8Array, connection: CollabConnection, room: MemoRoom): void {
    if (connection.isClosed) return;
    try {
      handleMessage(frame, { connection, room, limits });
    } catch (error) {
      if (error instanceof ProtocolViolation) return refuseFrame(connection, error);
      log.error({ err: error, memoId: connection.memoId }, "unexpected error handling a frame");
      connection.close(CloseCode.InternalError, "internal error");
    }
  }

  function accept(socket: WebSocket, user: CollabUser, memoId: string, role: MemoRole): void {
    const connection = new CollabConnection(socket, user, memoId, nextConnectionId++, role, metrics);
    const messageRate = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    // Bytes as well as messages: a few large frames a second cost more than many small ones.
    const byteRate = new TokenBucket(limits.bytesPerSecond, limits.byteBurst);
    const early: Uint8Array[] = [];
    let earlyBytes = 0;
    let room: MemoRoom | undefined;

    socket.on("message", (data, isBinary) => {
      if (connection.isClosed) return;
      const frame = toBytes(data);
      metrics.bytesIn.inc(frame.byteLength);
      if (!isBinary) return refuseFrame(connection, unsupportedData("text frames are not supported"));
      if (!messageRate.take()) return refuseFrame(connection, policyViolation("too many messages"));
      if (!byteRate.take(frame.byteLength)) return refuseFrame(connection, policyViolation("too many bytes"));
      if (room) return handleFrame(frame, connection, room);
      earlyBytes += frame.byteLength;
      if (early.length >= limits.maxEarlyFrames || earlyBytes > limits.maxEarlyBytes) {
        return refuseFrame(connection, policyViolation("too many messages before the memo loaded"));
      }
      early.push(frame);
    });
    // ws closes frames over maxPayload with 1009 itself; count and log them like our own refusals.
    socket.on("error", (error: Error & { code?: string }) => {
      if (error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") {
        log.warn({ memoId, userId: user.id, connectionId: connection.id }, "frame rejected: frame too large");
        metrics.rejectedFrames.inc({ reason: "frame too large" });
      } else {
        log.debug({ err: error, memoId }, "socket error");
      }
    });
    socket.on("close", () => {
      if (!room) return;
      room.leave(connection);
      registry.release(room);
    });

    registry.open(memoId).then(
      (opened) => {
        if (connection.isClosed) return registry.release(opened);
        room = opened;
        opened.join(connection);
        for (const frame of early.splice(0)) {
          if (connection.isClosed) break;
          handleFrame(frame, connection, opened);
        }
      },
      (error) => {
        // Deleted between authorization and load: retrying cannot help.
        if (error instanceof MemoMissingError) return connection.close(MEMO_DELETED.code, MEMO_DELETED.reason);
        log.error({ err: error, memoId }, "memo could not be loaded");
        connection.close(CloseCode.TryAgainLater, "the memo could not be loaded; retrying");
      },
    );
  }

  /** GET /api/inbox/stream: the signed-in user's inbox events (server/inbox/inboxStreams.ts). */
  async function handleInboxStream(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refuse = (status: number, code: string, message: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
      res.end(JSON.stringify({ error: { code, message } }));
    };
    if (req.method !== "GET") return refuse(405, "invalid_input", "Open the inbox stream with GET.", { allow: "GET" });
    if (closing) return refuse(503, "busy", "The server is restarting.", { "retry-after": "5" });
    // Only our pages: another site's page must not hold (and use up) the user's streams.
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, req.headers.host, options.origins)) {
      return refuse(403, "forbidden", "Cross-site streams are not allowed.");
    }
    try {
      const auth = await authenticateUpgrade(sqlPool.query, req, options.sessionSecret, options.secureCookies);
      // A browser's cookie only: tickets are for a memo's WebSocket.
      if (auth.kind !== "session" || !auth.user.sessionId) {
        return refuse(401, "unauthenticated", "Sign in to see your inbox.");
      }
      if (res.destroyed) return;
      if (closing) return refuse(503, "busy", "The server is restarting.", { "retry-after": "5" });
      inboxStreams.open(req, res, { id: auth.user.id, sessionId: auth.user.sessionId });
    } catch (error) {
      log.error({ err: error }, "opening an inbox stream failed");
      if (!res.headersSent) refuse(503, "busy", "The inbox cannot be followed right now.", { "retry-after": "5" });
    }
  }

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on("error", () => socket.destroy());
    const memoId = memoIdFromPath(req.url);
    if (!memoId) return refuseUpgrade(socket, new AppError("not_found", "Unknown collaboration path."));
    if (closing) return refuseUpgrade(socket, new AppError("busy", "The server is restarting."));
    // Cross-site WebSocket hijacking: a page on another site must not ride the user's cookie.
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, req.headers.host, options.origins)) {
      log.warn({ origin, host: req.headers.host, memoId }, "cross-origin WebSocket refused");
      return refuseUpgrade(socket, forbidden("Cross-site connections are not allowed."));
    }
    try {
      // Through the collaboration pool, as every memo load: one prepared statement each.
      const auth = await authenticateUpgrade(sqlPool.query, req, options.sessionSecret, options.secureCookies);
      if (auth.kind === "unauthenticated") return refuseUpgrade(socket, new AppError("unauthenticated", auth.reason));
      // A cookie rides along with any page's WebSocket, and a browser always says which site the page
      // is on. A cookie without an Origin is not one of our pages (a script outside a browser, or a
      // client that strips the header), so it gets no session. Non-browser clients use a ticket.
      if (auth.kind === "session" && origin === undefined) {
        log.warn({ memoId }, "cookie WebSocket without Origin refused");
        return refuseUpgrade(socket, forbidden("A browser connection must say where it comes from (Origin)."));
      }
      if (auth.kind === "ticket" && auth.memoId !== memoId)
        return refuseUpgrade(socket, forbidden("This ticket is for another memo."));
      const access = await memoRoleOf(sqlPool.query, auth.user.id, memoId);
      // A memo the caller is not a member of is answered as one that does not exist, as the pages
      // and API routes answer it (memoAccess.ts): a 403 would tell a stranger that the id is taken.
      if (!access) return refuseUpgrade(socket, notFound());
      if (socket.destroyed) return;
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, auth.user, memoId, access.role));
    } catch (error) {
      log.error({ err: error, memoId }, "upgrade failed");
      refuseUpgrade(socket, new AppError("busy", "The memo cannot be opened right now."));
    }
  }

  return {
    handleUpgrade,
    handleInboxStream,
    inboxStreams,
    memoDeleted: (memoId) => registry.memoDeleted(memoId),
    registry,
    metrics,
    redis,
    get accepting() {
      return !closing;
    },
    async close() {
      if (closing) return;
      closing = true;
      inboxStreams.close();
      await memoEventListener.close();
      await registry.shutdown(CloseCode.GoingAway, "The server is restarting.");
      await redis?.close();
      await sqlPool.end();
      // Give clients a moment to complete the close handshake, so they see 1001 and reconnect.
      const deadline = Date.now() + 1_000;
      while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
