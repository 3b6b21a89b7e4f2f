#!/usr/bin/env node
// Finds a Chromium for the Playwright tests and prints its path (empty: use Playwright's own):
//   1. CHROMIUM_PATH, if set;
//   2. Debian's /usr/bin/chromium;
//   3. as root with apt-get: `apt-get install -y chromium`, then /usr/bin/chromium;
//   4. Playwright's own download (`npx playwright install chromium`), where the network allows.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";
const say = (message) => process.stderr.write(`[chromium] ${message}\n`);

function found() {
  if (process.env.CHROMIUM_PATH) {
    if (!existsSync(process.env.CHROMIUM_PATH))
      throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`);
    return process.env.CHROMIUM_PATH;
  }
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : null;
}

export function ensureChromium() {
  const existing = found();
  if (existing) return existing;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (process.getuid?.() === 0 && hasApt) {
    say("installing Debian's chromium with apt-get (once per machine)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    let install = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
      stdio: ["ignore", process.stderr, "inherit"],
      env,
    });
    if (install.status !== 0) {
      spawnSync("apt-get", ["update"], { stdio: ["ignore", process.stderr, "inherit"], env });
      install = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
        stdio: ["ignore", process.stderr, "inherit"],
        env,
      });
    }
    if (install.status === 0 && existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
    say("apt-get could not install chromium; trying Playwright's own browser");
  }
  execFileSync(process.execPath, ["node_modules/@playwright/test/cli.js", "install", "chromium"], {
    stdio: ["ignore", process.stderr, "inherit"],
  });
  return "";
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${ensureChromium()}\n`);
