#!/usr/bin/env node
// `npm test`: every check, in order, stopping at the first failure:
// lint → format (Prettier) → typecheck → unit → integration (real PostgreSQL, real WebSockets) → build → e2e (real
// Chromium against the production server). Needs nothing installed beyond `npm ci`.
import { spawnSync } from "node:child_process";

const node = process.execPath;
const steps = [
  ["lint", [node, "node_modules/eslint/bin/eslint.js", "."]],
  ["format", [node, "node_modules/prettier/bin/prettier.cjs", "--check", "."]],
  ["typecheck", [node, "node_modules/typescript/bin/tsc", "--noEmit"]],
  ["unit tests", [node, "node_modules/vitest/vitest.mjs", "run", "--project", "unit"]],
  ["integration tests", [node, "node_modules/vitest/vitest.mjs", "run", "--project", "integration"]],
  ["production build", [node, "--import", "tsx", "server/main.ts", "build"]],
  ["end-to-end tests", [node, "scripts/e2e.mjs"]],
];

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const timings = [];
for (const [name, [command, ...args]] of steps) {
  process.stdout.write(`\n━━ ${name} ━━\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env });
  timings.push(`${name.padEnd(20)} ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`);
  if (result.status !== 0) {
    process.stdout.write(`\n✗ ${name} failed\n${timings.join("\n")}\n`);
    process.exit(result.status ?? 1);
  }
}
process.stdout.write(`\n✓ all checks passed\n${timings.join("\n")}\n`);
