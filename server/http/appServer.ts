import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import type { Logger } from "pino";
import type { CollabServer } from "../collab/collabServer";
import type { EmbeddedPostgresStatus } from "../database/embeddedPostgresSupervisor";
import { COLLAB_PATH, INBOX_STREAM_PATH } from "../../common/protocol/protocol";
import { hasMalformedPath, refuseMalformedPath } from "./malformedAddress";
import { attachPeerAddress } from "./clientAddress";
import { serveOperations } from "./operationsEndpoints";

/** The HTTP server: Next.js pages and routes, the collaboration WebSocket and health checks. */
export type AppServer = { port: number; close(): Promise<void> };

export type AppServerOptions = {
  dev: boolean;
  projectDir: string;
  host: string;
  port: number;
  collab: CollabServer;
  log: Logger;
  /** Resolves when the database answers (for /readyz). */
  pingDatabase: () => Promise<void>;
  /** Bearer token for /metrics, if configured. */
  metricsToken?: string;
  /** The embedded PostgreSQL's supervisor state, shown in /readyz. */
  embeddedPostgres?: () => EmbeddedPostgresStatus;
};

/** Starts Next.js and the collaboration endpoint on one port (same origin, so cookies just work). */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  // Next.js attaches an 'upgrade' listener to the server it is given (for hot reload in dev). We
  // give it a relay instead of the real server, so collaboration sockets never pass through it.
  const nextUpgrades = new EventEmitter();
  const app = next({
    dev: options.dev,
    dir: options.projectDir,
    hostname: options.host,
    port: options.port,
    httpServer: nextUpgrades as unknown as http.Server,
  });
  await app.prepare();
  const handle = app.getRequestHandler();

  const server = http.createServer((req, res) => {
    const path = req.url?.split("?")[0];
    if (path === "/healthz" || path === "/readyz" || path === "/metrics") {
      void serveOperations(path, req, res, options);
      return;
    }
    if (hasMalformedPath(req.url)) return refuseMalformedPath(res);
    // A stream that lasts as long as the page: served beside the WebSocket, which hears of new items.
    if (path === INBOX_STREAM_PATH) return void options.collab.handleInboxStream(req, res);
    // Next.js does not tell route handlers the socket's address; the sign-in throttle needs it.
    attachPeerAddress(req);
    handle(req, res).catch((error: unknown) => {
      options.log.error({ err: error, url: req.url }, "request failed");
      if (!res.headersSent) res.writeHead(500).end("Internal Server Error");
    });
  });
  server.on("upgrade", (req, socket, head) => {
    if (req.url?.startsWith(`${COLLAB_PATH}/`)) void options.collab.handleUpgrade(req, socket, head);
    else nextUpgrades.emit("upgrade", req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await options.collab.close();
      server.closeAllConnections();
      await closed;
      await app.close();
    },
  };
}
