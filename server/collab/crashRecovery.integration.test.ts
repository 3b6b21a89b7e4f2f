import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../net/findFreePort";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser } from "../testing/fixtures";
import { connectTestClient, sessionCookie, waitFor, type TestClient } from "../testing/collabHarness";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { memoJsonFromYdoc, plainTextFromMemoJson } from "../../common/editor/memoDocument";
import { loadMemoDocument } from "../memos/memoStore";
import * as Y from "yjs";

// SIGKILL the collaboration server while five clients type; restart it; the clients reconnect by
// themselves and, within 5 s, every client and PostgreSQL hold the same memo with every
// character anyone typed.

const SECRET = "crash-recovery-secret-0123456789abcdef";
let database: TestDatabase;
let port: number;

function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/testing/collabServerProcess.ts"], {
    env: { ...process.env, DATABASE_URL: database.url, SESSION_SECRET: SECRET, PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`server exited early with ${code}`)));
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  port = await findFreePort();
});
afterAll(async () => {
  await database.drop();
});

/** A client that types its own numbered words into its own paragraph, and remembers them. */
function typist(client: TestClient, name: string) {
  const typed: string[] = [];
  const fragment = client.doc.getXmlFragment(MEMO_FRAGMENT);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText("")]);
  fragment.push([paragraph]);
  let n = 0;
  const timer = setInterval(() => {
    const word = `${name}${n++} `;
    const text = paragraph.get(0) as Y.XmlText;
    text.insert(text.length, word);
    typed.push(word.trim());
  }, 15);
  return { typed, stop: () => clearInterval(timer) };
}

describe("crash recovery", () => {
  it("loses nothing when the server is killed with SIGKILL mid-typing", async () => {
    const user = await createTestUser(database.prisma);
    const memoId = await createTestMemo(database.prisma, user.id, "Crash test.");
    const cookie = await sessionCookie(user, SECRET);
    let server = await startServer();
    const url = `ws://127.0.0.1:${port}/collab`;
    const clients = Array.from({ length: 5 }, () => connectTestClient(url, memoId, cookie));
    await Promise.all(clients.map((client) => client.synced()));
    const typists = clients.map((client, i) => typist(client, `c${i}w`));

    await new Promise((resolve) => setTimeout(resolve, 700));
    server.kill("SIGKILL");
    await new Promise((resolve) => server.once("exit", resolve));
    // Typing goes on while the server is gone.
    await new Promise((resolve) => setTimeout(resolve, 400));
    server = await startServer();
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const t of typists) t.stop();
    const stoppedAt = Date.now();

    const everyWord = typists.flatMap((t) => t.typed);
    expect(everyWord.length).toBeGreaterThan(5 * 50);
    await waitFor(
      () =>
        clients.every((client) => client.provider.synced && client.isSaved() && client.text() === clients[0].text()),
      5_000,
      "all clients reconnected, converged and saved",
    );
    const stored = await loadMemoDocument(database.prisma, memoId);
    const storedText = plainTextFromMemoJson(memoJsonFromYdoc(stored!.doc));
    expect(storedText).toBe(clients[0].text());
    const storedWords = new Set(storedText.split(/\s+/));
    expect(everyWord.filter((word) => !storedWords.has(word))).toEqual([]);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);

    for (const client of clients) client.destroy();
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  });
});
