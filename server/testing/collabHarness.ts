import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { encodeSessionToken, sessionCookieName } from "../accounts/sessionToken";
import { createCollabServer, type CollabServer } from "../collab/collabServer";
import { collabLimitsFrom, type CollabLimits } from "../collab/limits";
import {
  COLLAB_PATH,
  INBOX_STREAM_PATH,
  MessageType,
  readSaved,
  readStorageStatus,
} from "../../common/protocol/protocol";
import type { PrismaClient } from "../db";
import { originPolicy } from "../http/originPolicy";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { memoJsonFromYdoc, plainTextFromMemoJson } from "../../common/editor/memoDocument";
import { SaveTracker } from "../../common/protocol/saveAck";
import { DEFAULT_COLLAB_ENV } from "./collabEnv";

// A real collaboration server on a real port, and real y-websocket clients, for integration tests.

/** The origin test servers treat as their own app. */
export const TEST_APP_ORIGIN = "http://app.demarche.test";

/** The production defaults (env.ts), with a smaller frame limit so tests of it stay cheap. */
export const testLimits: CollabLimits = {
  ...collabLimitsFrom({ ...DEFAULT_COLLAB_ENV, COLLAB_MAX_FRAME_BYTES: 1024 * 1024 }),
};

export type TestCollabServer = {
  port: number;
  /** ws://127.0.0.1:<port>/collab */
  url: string;
  /** http://127.0.0.1:<port>/api/inbox/stream */
  inboxStreamUrl: string;
  secret: string;
  collab: CollabServer;
  /** Graceful stop: flushes, closes clients with 1001, frees the port. */
  stop(): Promise<void>;
};

/** Starts the collaboration server (without Next.js) on `port` (0: any free port). */
export async function startTestCollabServer(
  prisma: PrismaClient,
  databaseUrl: string,
  options: {
    port?: number;
    secret?: string;
    batchMs?: number;
    unloadGraceMs?: number;
    limits?: Partial<CollabLimits>;
    versionSettleMs?: number;
    versionMaxBurstMs?: number;
    redisUrl?: string;
    presenceRenewalMs?: number;
    /** Receives the server's JSON log lines (default: silent). */
    logLines?: string[];
    /** Told after a memo's edits were stored (as the search indexer is in production). */
    onStored?: (memoId: string) => void;
  } = {},
): Promise<TestCollabServer> {
  const secret = options.secret ?? crypto.randomBytes(32).toString("hex");
  const collab = createCollabServer({
    db: prisma,
    databaseUrl,
    origins: originPolicy(TEST_APP_ORIGIN, true),
    redisUrl: options.redisUrl,
    log: options.logLines
      ? pino({ level: "info" }, { write: (line: string) => void options.logLines!.push(line) })
      : pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    sessionSecret: secret,
    secureCookies: false,
    timing: {
      batchMs: options.batchMs ?? 20,
      compactAfterRows: 50,
      compactIdleMs: 200,
      unloadGraceMs: options.unloadGraceMs ?? 200,
      versionSettleMs: options.versionSettleMs ?? 60_000,
      versionMaxBurstMs: options.versionMaxBurstMs ?? 600_000,
      presenceRenewalMs: options.presenceRenewalMs,
    },
    limits: { ...testLimits, ...options.limits },
    onStored: options.onStored,
  });
  // The inbox's event stream is the collaboration server's too (server/http/appServer.ts routes it).
  const server = http.createServer((req, res) =>
    req.url?.split("?")[0] === INBOX_STREAM_PATH ? void collab.handleInboxStream(req, res) : res.writeHead(404).end(),
  );
  server.on("upgrade", (req, socket, head) => void collab.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `ws://127.0.0.1:${port}${COLLAB_PATH}`,
    inboxStreamUrl: `http://127.0.0.1:${port}${INBOX_STREAM_PATH}`,
    secret,
    collab,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await collab.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A Cookie header carrying `user`'s recorded session (createTestUser records one). */
export async function sessionCookie(
  user: { id: string; email: string; name: string; sessionId: string },
  secret: string,
): Promise<string> {
  return `${sessionCookieName(false)}=${await encodeSessionToken(user, secret)}`;
}

/** The headers a page of the app sends with its WebSocket: its cookie and its Origin. */
function browserHeaders(cookie: string | null): { headers?: Record<string, string> } {
  return cookie ? { headers: { cookie, origin: TEST_APP_ORIGIN } } : {};
}

/** A Node WebSocket class that sends the given Cookie header (and our Origin), for WebsocketProvider. */
function webSocketWithCookie(cookie: string | null) {
  return class extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, browserHeaders(cookie));
    }
  };
}

/** A y-websocket client in Node, as a browser tab would be. */
export type TestClient = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  tracker: SaveTracker;
  /** Resolves on the first completed sync. */
  synced(): Promise<void>;
  /** The memo as plain text. */
  text(): string;
  /** Appends a paragraph, as typing a new line would. */
  appendParagraph(text: string): void;
  /** Inserts text into the first paragraph. */
  typeAt(index: number, text: string): void;
  /** Whether every local edit was acknowledged as stored. */
  isSaved(): boolean;
  /** Whether the server said it cannot store updates right now. */
  storageFailing(): boolean;
  destroy(): void;
};

export function connectTestClient(serverUrl: string, memoId: string, cookie: string | null): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(serverUrl, memoId, doc, {
    // Without this, clients in one process sync through BroadcastChannel and tests pass with the server down.
    disableBc: true,
    WebSocketPolyfill: webSocketWithCookie(cookie) as unknown as typeof globalThis.WebSocket,
    maxBackoffTime: 300,
  });
  const tracker = new SaveTracker();
  // Read as the editor reads them (protocol.ts); a malformed one fails the test.
  provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
    tracker.acknowledge(readSaved(decoder));
  };
  let storageFailing = false;
  provider.messageHandlers[MessageType.StorageStatus] = (_encoder, decoder) => {
    storageFailing = readStorageStatus(decoder);
  };
  // Read by the tests that need them (they replace these); ignored quietly by the others.
  provider.messageHandlers[MessageType.Access] = () => {};
  provider.messageHandlers[MessageType.CommentsChanged] = () => {};
  doc.on("update", (update: Uint8Array, origin: unknown) => {
    if (origin !== provider) tracker.recordLocalUpdate(update);
  });
  const fragment = doc.getXmlFragment(MEMO_FRAGMENT);
  return {
    doc,
    provider,
    tracker,
    synced: () =>
      provider.synced ? Promise.resolve() : new Promise((resolve) => provider.once("sync", () => resolve())),
    text: () => plainTextFromMemoJson(memoJsonFromYdoc(doc)),
    appendParagraph(text) {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText(text)]);
      fragment.push([paragraph]);
    },
    typeAt(index, text) {
      const paragraph = fragment.get(0) as Y.XmlElement;
      (paragraph.get(0) as Y.XmlText).insert(index, text);
    },
    isSaved: () => tracker.isSaved(),
    storageFailing: () => storageFailing,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * Opens a raw WebSocket to a memo (for protocol-level tests), with a cookie as our pages send it
 * (with their Origin); resolves once open or rejects with
 * the HTTP status and body. `received` collects every frame from the first one on.
 */
export function openRawSocket(
  serverUrl: string,
  memoId: string,
  cookie: string | null,
  received?: Uint8Array[],
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${serverUrl}/${memoId}`, browserHeaders(cookie));
    socket.binaryType = "arraybuffer";
    if (received) socket.on("message", (data: ArrayBuffer) => received.push(new Uint8Array(data)));
    socket.once("open", () => resolve(socket));
    socket.once("unexpected-response", (_req, res) => {
      let body = "";
      const refused = () =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body }));
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", refused);
      res.on("error", refused);
    });
    socket.once("error", reject);
  });
}
