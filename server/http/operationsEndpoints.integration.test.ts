import http from "node:http";
import type { AddressInfo } from "node:net";
import * as encoding from "lib0/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser } from "../testing/fixtures";
import {
  connectTestClient,
  openRawSocket,
  sessionCookie,
  startTestCollabServer,
  waitFor,
  type TestCollabServer,
} from "../testing/collabHarness";
import { CloseCode } from "../../common/protocol/protocol";
import { serveOperations } from "./operationsEndpoints";

let database: TestDatabase;
let collab: TestCollabServer;
let databaseUp = true;
let http_: http.Server;
let base: string;

beforeAll(async () => {
  database = await createTestDatabase();
  collab = await startTestCollabServer(database.prisma, database.url);
  http_ = http.createServer((req, res) => {
    void serveOperations(req.url!, req, res, {
      collab: collab.collab,
      pingDatabase: async () => {
        if (!databaseUp) throw new Error("down");
        await database.prisma.$queryRaw`SELECT 1`;
      },
      metricsToken: "metrics-token-0123456789",
    });
  });
  await new Promise<void>((resolve) => http_.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(http_.address() as AddressInfo).port}`;
});

afterAll(async () => {
  const closed = new Promise((resolve) => http_.close(resolve));
  http_.closeAllConnections();
  await closed;
  await collab.stop().catch(() => undefined);
  await database.drop();
});

describe("operations endpoints", () => {
  it("/healthz answers while the process is up", async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
  });

  it("/readyz reports the database and the automatic versions not stored yet", async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", versionsWaiting: 0, versionsRetrying: 0 });
    databaseUp = false;
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: "not ready", database: "unreachable" });
    databaseUp = true;
  });

  it("/metrics needs the token and counts updates, bytes and rejected frames", async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const user = await createTestUser(database.prisma);
    const memoId = await createTestMemo(database.prisma, user.id);
    const cookie = await sessionCookie(user, collab.secret);
    const client = connectTestClient(collab.url, memoId, cookie);
    await client.synced();
    client.appendParagraph("Counted.");
    await waitFor(() => client.isSaved(), 5000, "stored");
    const offender = await openRawSocket(collab.url, memoId, cookie);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 99);
    offender.send(encoding.toUint8Array(encoder));
    await new Promise((resolve) => offender.once("close", resolve));

    const response = await fetch(`${base}/metrics`, { headers: { authorization: "Bearer metrics-token-0123456789" } });
    expect(response.status).toBe(200);
    const text = await response.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
    expect(value("demarche_open_memos")).toBeGreaterThanOrEqual(1);
    expect(value("demarche_connections")).toBeGreaterThanOrEqual(1);
    expect(value("demarche_updates_total")).toBeGreaterThanOrEqual(1);
    expect(value("demarche_ws_bytes_in_total")).toBeGreaterThan(0);
    expect(value("demarche_ws_bytes_out_total")).toBeGreaterThan(0);
    expect(value("demarche_persistence_lag_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(text).toContain('demarche_rejected_frames_total{reason="unknown message type"} 1');
    expect(value("demarche_versions_waiting")).toBe(0);
    expect(value("demarche_versions_retrying")).toBe(0);
    client.destroy();
  });

  it("shutdown closes clients with 1001, stops accepting and says so in /readyz", async () => {
    const user = await createTestUser(database.prisma);
    const memoId = await createTestMemo(database.prisma, user.id);
    const cookie = await sessionCookie(user, collab.secret);
    const socket = await openRawSocket(collab.url, memoId, cookie);
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    const stopping = collab.stop();
    expect(await closed).toBe(CloseCode.GoingAway);
    await stopping;
    const readiness = await fetch(`${base}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ accepting: false });
  });
});
