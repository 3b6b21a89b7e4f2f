import crypto from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

// `npm start` serves a production build and rebuilds when the sources changed since the last
// build (after a git pull, say), so it never serves stale pages.

const SOURCE_ROOTS = [
  "app",
  "components",
  "common",
  "server",
  "types",
  "prisma/schema.prisma",
  "next.config.ts",
  "package-lock.json",
  "tsconfig.json",
];
const SKIPPED = new Set(["node_modules", ".next", "generated"]);

function collectFiles(entry: string, files: string[]): void {
  if (!existsSync(entry)) return;
  if (statSync(entry).isFile()) {
    files.push(entry);
    return;
  }
  for (const child of readdirSync(entry).sort()) {
    if (!SKIPPED.has(child) && !child.endsWith(".test.ts")) collectFiles(path.join(entry, child), files);
  }
}

/** A hash of every source file that goes into the Next.js build. */
export function sourceFingerprint(projectDir: string): string {
  const files: string[] = [];
  for (const root of SOURCE_ROOTS) collectFiles(path.join(projectDir, root), files);
  const hash = crypto.createHash("sha256");
  for (const file of files) hash.update(path.relative(projectDir, file)).update("\0").update(readFileSync(file));
  return hash.digest("hex");
}

const fingerprintFile = (projectDir: string) => path.join(projectDir, ".next", "demarche-source-fingerprint");

/** Whether .next holds a build of the current sources. */
export function buildIsCurrent(projectDir: string): boolean {
  const file = fingerprintFile(projectDir);
  if (!existsSync(path.join(projectDir, ".next", "BUILD_ID")) || !existsSync(file)) return false;
  return readFileSync(file, "utf8").trim() === sourceFingerprint(projectDir);
}

/** Path of the file that records which sources the build was made from. */
export { fingerprintFile };
