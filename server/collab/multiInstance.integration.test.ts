import { spawn, type ChildProcess } from "node:child_process";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../net/findFreePort";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, type TestUser } from "../testing/fixtures";
import {
  connectTestClient,
  sessionCookie,
  startTestCollabServer,
  waitFor,
  type TestClient,
  type TestCollabServer,
} from "../testing/collabHarness";
import { startTestRedis, type TestRedis } from "../testing/redisServer";
import { startTcpBalancer } from "../testing/tcpBalancer";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { memoJsonFromYdoc, plainTextFromMemoJson } from "../../common/editor/memoDocument";
import { loadMemoDocument } from "../memos/memoStore";

// Several instances behind one address, coordinated through a real Redis.

const SECRET = "multi-instance-secret-0123456789abcdef";
let database: TestDatabase;
let redis: TestRedis;
let user: TestUser;
let cookie: string;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = await startTestRedis();
  user = await createTestUser(database.prisma, "Multi Analyst");
  cookie = await sessionCookie(user, SECRET);
}, 60_000);
afterAll(async () => {
  await redis.dispose();
  await database.drop();
});

const storedText = async (memoId: string) =>
  plainTextFromMemoJson(memoJsonFromYdoc((await loadMemoDocument(database.prisma, memoId))!.doc));

/** A client typing numbered words into its own paragraph; returns what it typed. */
function typist(client: TestClient, name: string, everyMs = 20) {
  const typed: string[] = [];
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText("")]);
  client.doc.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
  let n = 0;
  const timer = setInterval(() => {
    const text = paragraph.get(0) as Y.XmlText;
    const word = `${name}${n++}`;
    text.insert(text.length, `${word} `);
    typed.push(word);
  }, everyMs);
  return { typed, stop: () => clearInterval(timer) };
}

async function instances(count: number): Promise<TestCollabServer[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      startTestCollabServer(database.prisma, database.url, { secret: SECRET, redisUrl: redis.url }),
    ),
  );
}

const converged = (clients: TestClient[]) => clients.every((client) => client.text() === clients[0].text());

describe("several instances through Redis", () => {
  it("clients spread over three instances converge, and PostgreSQL holds the union", async () => {
    const servers = await instances(3);
    await waitFor(
      () => servers.every((server) => server.collab.redis?.connected),
      5000,
      "instances connected to redis",
    );
    const memoId = await createTestMemo(database.prisma, user.id, "Spread.");
    const clients = [0, 0, 1, 1, 2].map((i) => connectTestClient(servers[i].url, memoId, cookie));
    await Promise.all(clients.map((client) => client.synced()));
    const typists = clients.map((client, i) => typist(client, `i${i}w`));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const t of typists) t.stop();
    await waitFor(
      () => converged(clients) && clients.every((client) => client.isSaved()),
      10_000,
      "convergence across instances",
    );
    const words = new Set((await storedText(memoId)).split(/\s+/));
    expect(typists.flatMap((t) => t.typed).filter((word) => !words.has(word))).toEqual([]);
    expect(await storedText(memoId)).toBe(clients[0].text());
    for (const client of clients) client.destroy();
    await Promise.all(servers.map((server) => server.stop()));
  });

  it("presence of a user on instance A is seen on instance B, bound to that user", async () => {
    const [a, b] = await instances(2);
    await waitFor(() => !!a.collab.redis?.connected && !!b.collab.redis?.connected, 5000, "connected");
    const memoId = await createTestMemo(database.prisma, user.id);
    const onA = connectTestClient(a.url, memoId, cookie);
    const onB = connectTestClient(b.url, memoId, cookie);
    await Promise.all([onA.synced(), onB.synced()]);
    onA.provider.awareness.setLocalStateField("activity", "active");
    onA.provider.awareness.setLocalStateField("user", { name: "Not my name" });
    await waitFor(
      () => onB.provider.awareness.getStates().get(onA.doc.clientID)?.activity === "active",
      5000,
      "presence across instances",
    );
    expect(onB.provider.awareness.getStates().get(onA.doc.clientID)?.user).toMatchObject({ name: "Multi Analyst" });
    onA.destroy();
    await waitFor(
      () => !onB.provider.awareness.getStates().has(onA.doc.clientID),
      5000,
      "presence removed across instances",
    );
    onB.destroy();
    await Promise.all([a.stop(), b.stop()]);
  });

  it("an instance killed with SIGKILL loses nothing: its clients move to another through the shared address", async () => {
    const ports = [await findFreePort(), await findFreePort()];
    const live = new Set(ports);
    const start = (port: number) =>
      new Promise<ChildProcess>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "server/testing/collabServerProcess.ts"], {
          env: {
            ...process.env,
            DATABASE_URL: database.url,
            SESSION_SECRET: SECRET,
            PORT: String(port),
            REDIS_URL: redis.url,
          },
          stdio: ["ignore", "pipe", "inherit"],
        });
        child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve(child));
        child.once("exit", (code) => reject(new Error(`instance exited early with ${code}`)));
      });
    const [first, second] = await Promise.all(ports.map(start));
    const balancer = await startTcpBalancer(() => ports.filter((port) => live.has(port)));
    const memoId = await createTestMemo(database.prisma, user.id, "Failover.");
    const url = `ws://127.0.0.1:${balancer.port}/collab`;
    const clients = Array.from({ length: 4 }, () => connectTestClient(url, memoId, cookie));
    await Promise.all(clients.map((client) => client.synced()));
    const typists = clients.map((client, i) => typist(client, `k${i}w`));
    await new Promise((resolve) => setTimeout(resolve, 800));
    first.kill("SIGKILL");
    live.delete(ports[0]);
    await new Promise((resolve) => setTimeout(resolve, 800));
    for (const t of typists) t.stop();
    await waitFor(
      () => clients.every((client) => client.provider.wsconnected && client.isSaved()) && converged(clients),
      10_000,
      "everyone on the surviving instance, saved",
    );
    const words = new Set((await storedText(memoId)).split(/\s+/));
    expect(typists.flatMap((t) => t.typed).filter((word) => !words.has(word))).toEqual([]);
    for (const client of clients) client.destroy();
    second.kill("SIGTERM");
    await new Promise((resolve) => second.once("exit", resolve));
    await balancer.close();
  });

  it("keeps serving while Redis restarts, says so, and converges when it is back", async () => {
    const [a, b] = await instances(2);
    await waitFor(() => !!a.collab.redis?.connected && !!b.collab.redis?.connected, 5000, "connected");
    const memoId = await createTestMemo(database.prisma, user.id, "Redis restart.");
    const onA = connectTestClient(a.url, memoId, cookie);
    const onB = connectTestClient(b.url, memoId, cookie);
    await Promise.all([onA.synced(), onB.synced()]);
    const typists = [typist(onA, "ra", 40), typist(onB, "rb", 40)];
    await new Promise((resolve) => setTimeout(resolve, 400));
    await redis.stop();
    await waitFor(
      () => !a.collab.redis?.connected && !b.collab.redis?.connected,
      5000,
      "instances notice redis is gone",
    );
    await new Promise((resolve) => setTimeout(resolve, 800));
    // Each instance still serves and stores its own clients, and says Redis is down.
    expect(onA.provider.wsconnected && onB.provider.wsconnected).toBe(true);
    expect(await a.collab.metrics.registry.getSingleMetricAsString("demarche_redis_connected")).toMatch(
      /demarche_redis_connected 0$/m,
    );
    await redis.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    for (const t of typists) t.stop();
    await waitFor(
      () => converged([onA, onB]) && onA.isSaved() && onB.isSaved(),
      15_000,
      "convergence after redis returns",
    );
    expect(await a.collab.metrics.registry.getSingleMetricAsString("demarche_redis_connected")).toMatch(
      /demarche_redis_connected 1$/m,
    );
    const words = new Set((await storedText(memoId)).split(/\s+/));
    expect(typists.flatMap((t) => t.typed).filter((word) => !words.has(word))).toEqual([]);
    onA.destroy();
    onB.destroy();
    await Promise.all([a.stop(), b.stop()]);
  });
});
