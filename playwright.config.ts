import { chmodSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET } from "./server/testing/testOidcClient";

// The e2e run starts the real app (`npm start` path: production build, embedded PostgreSQL) on
// its own port with its own data folder. Values are put in the environment once, in the main
// process, so that the workers (which inherit it) agree on them.
// The ports are chosen below the kernel's ephemeral range: a port inside it can be taken at any
// moment as the local end of some outgoing connection (a database client, the browser), and a
// server started later on it fails with EADDRINUSE (seen in CI for lifecycle.spec's E2E_PORT + 1).
process.env.E2E_PORT ??= String(portBelowEphemeralRange());
if (!process.env.E2E_DATA_DIR) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "demarche-e2e-"));
  chmodSync(dir, 0o755); // PostgreSQL runs as the postgres user when we are root
  process.env.E2E_DATA_DIR = dir;
}
const baseURL = `http://localhost:${process.env.E2E_PORT}`;
// The identity providers of e2e/singleSignOn.spec.ts (e2e/identityProviders.ts).
// (E2E_PORT + 1 is lifecycle.spec.ts's own server.)
process.env.E2E_OIDC_PORT ??= String(Number(process.env.E2E_PORT) + 3);
process.env.E2E_OIDC_OTHER_PORT ??= String(Number(process.env.E2E_PORT) + 4);

function portBelowEphemeralRange(): number {
  let ephemeralLow = 32768; // Linux's default
  try {
    ephemeralLow =
      Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || ephemeralLow;
  } catch {
    // not Linux: keep the default
  }
  const low = Math.max(1024, Math.min(20000, ephemeralLow - 2000));
  const span = Math.max(16, ephemeralLow - 16 - low); // room for E2E_PORT + 1 … + 4
  return low + Math.floor(Math.random() * span);
}

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // scripts/e2e.mjs finds or installs a Chromium and passes its path; empty means Playwright's own.
      executablePath: process.env.CHROMIUM_PATH || undefined,
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium", viewport: { width: 1280, height: 900 } } }],
  webServer: [
    {
      command: "node --import tsx e2e/identityProviders.ts",
      url: `http://127.0.0.1:${process.env.E2E_OIDC_PORT}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
    {
      command: "node --import tsx server/main.ts start",
      url: `${baseURL}/healthz`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
      // No APP_URL: the default configuration, which serves any address of the machine
      // (anyAddress.spec.ts opens memos at 127.0.0.1 as well as at localhost).
      env: {
        PORT: process.env.E2E_PORT,
        DATA_DIR: process.env.E2E_DATA_DIR,
        LOG_LEVEL: "warn",
        // Single sign-on beside passwords, through e2e/identityProviders.ts.
        OIDC_ISSUER: `http://127.0.0.1:${process.env.E2E_OIDC_PORT}`,
        OIDC_CLIENT_ID: TEST_CLIENT_ID,
        OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
        OIDC_DISPLAY_NAME: "Test IdP",
      },
    },
  ],
});
