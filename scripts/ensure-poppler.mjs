#!/usr/bin/env node
// Finds poppler's pdftoppm, which the export e2e test uses to render a downloaded PDF to PNG, and
// prints its path:
//   1. PDFTOPPM_PATH, if set;
//   2. pdftoppm on the PATH;
//   3. as root with apt-get: `apt-get install -y poppler-utils` (Debian's package), then pdftoppm.
// Anything else fails with a message saying what to install.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const say = (message) => process.stderr.write(`[poppler] ${message}\n`);

function onPath() {
  const found = spawnSync("sh", ["-c", "command -v pdftoppm"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : null;
}

export function ensurePoppler() {
  if (process.env.PDFTOPPM_PATH) {
    if (!existsSync(process.env.PDFTOPPM_PATH))
      throw new Error(`PDFTOPPM_PATH=${process.env.PDFTOPPM_PATH} does not exist`);
    return process.env.PDFTOPPM_PATH;
  }
  const existing = onPath();
  if (existing) return existing;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (process.getuid?.() === 0 && hasApt) {
    say("installing Debian's poppler-utils with apt-get (once per machine)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = () =>
      spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "poppler-utils"], {
        stdio: ["ignore", process.stderr, "inherit"],
        env,
      });
    if (install().status !== 0) {
      spawnSync("apt-get", ["update"], { stdio: ["ignore", process.stderr, "inherit"], env });
      install();
    }
    const installed = onPath();
    if (installed) return installed;
  }
  throw new Error(
    "pdftoppm (poppler-utils) is needed to render exported PDFs in the e2e tests. Install it (Debian/Ubuntu: `apt-get install poppler-utils`, macOS: `brew install poppler`) or set PDFTOPPM_PATH.",
  );
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${ensurePoppler()}\n`);
