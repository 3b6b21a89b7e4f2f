#!/usr/bin/env node
// Runs the Playwright suite: finds (or installs) a Chromium and poppler's pdftoppm (to render
// exported PDFs), then `playwright test`, which starts
// the app itself (see playwright.config.ts). Extra arguments go to Playwright.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureChromium } from "./ensure-chromium.mjs";
import { ensurePoppler } from "./ensure-poppler.mjs";

const chromium = ensureChromium();
const pdftoppm = ensurePoppler();
const dataDir = mkdtempSync(path.join(os.tmpdir(), "demarche-e2e-"));
chmodSync(dataDir, 0o755);
const result = spawnSync(process.execPath, ["node_modules/@playwright/test/cli.js", "test", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: {
    ...process.env,
    CHROMIUM_PATH: chromium,
    PDFTOPPM_PATH: pdftoppm,
    E2E_DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
  },
});
rmSync(dataDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
