import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { editorOf, expect, signIn, test, type Analyst } from "./fixtures";

// The start command as a user runs it: a second server with its own data folder, stopped with
// SIGTERM and started again. Everything typed must survive, and no PostgreSQL may be left behind.

test.describe.configure({ mode: "serial", timeout: 180_000 });

const port = Number(process.env.E2E_PORT) + 1;
const baseURL = `http://localhost:${port}`;
let dataDir: string;

type Started = { child: ChildProcess; exited: Promise<number | null>; output: () => string };

function start(): Started {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "start"], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, APP_URL: baseURL, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Kept to tell why, should the server not come up (its start-up steps are logged with their time).
  const chunks: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve((exitCode = code))));
  return {
    child,
    exited,
    output: () => chunks.join("").slice(-6_000) + (exitCode !== undefined ? `\n[exited with code ${exitCode}]` : ""),
  };
}

async function waitUntilHealthy(server: Started): Promise<void> {
  let gone = false;
  void server.exited.then(() => (gone = true));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !gone) {
    try {
      if ((await fetch(`${baseURL}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `the lifecycle test's own server did not become healthy${gone ? " (it exited)" : " within 120 s"}. Its output:\n${server.output()}`,
  );
}

/** PIDs of PostgreSQL processes whose data folder is inside `dir`. */
function postgresProcessesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes("postgres") && cmdline.includes(dir)) pids.push(Number(entry));
    } catch {
      // process ended meanwhile
    }
  }
  return pids;
}

test.beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "demarche-lifecycle-"));
  chmodSync(dataDir, 0o755);
});

test.afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

test("SIGTERM stops everything cleanly, and a restart keeps every word", async ({ browser }) => {
  const first = start();
  await waitUntilHealthy(first);
  const [amina] = JSON.parse(readFileSync(path.join(dataDir, "demo-accounts.json"), "utf8")) as Analyst[];
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, amina);
  await page.getByRole("link", { name: /Pakistan–U\.S\. Relations in 2025/ }).click();
  await editorOf(page).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(" Survives a restart.");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  expect(postgresProcessesIn(dataDir).length).toBeGreaterThan(0);

  const stoppedAt = Date.now();
  first.child.kill("SIGTERM");
  expect(await first.exited).toBe(0);
  expect(Date.now() - stoppedAt).toBeLessThan(10_000);
  expect(postgresProcessesIn(dataDir)).toEqual([]);
  await expect(page.getByTestId("connection-status")).not.toHaveText("Live");

  const second = start();
  await waitUntilHealthy(second);
  // The open page reconnects by itself and still shows the text.
  await expect(page.getByTestId("connection-status")).toHaveText("Live", { timeout: 20_000 });
  await page.reload();
  await expect(editorOf(page)).toContainText("Survives a restart.");
  await context.close();
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);
  expect(postgresProcessesIn(dataDir)).toEqual([]);
});
