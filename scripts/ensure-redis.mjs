#!/usr/bin/env node
// Finds redis-server for the multi-instance tests (REDIS_SERVER_PATH, then the PATH), installing
// Debian's redis-server with apt-get when running as root, like ensure-chromium.mjs.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const which = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).stdout.trim();

export function ensureRedisServer() {
  if (process.env.REDIS_SERVER_PATH) {
    if (!existsSync(process.env.REDIS_SERVER_PATH))
      throw new Error(`REDIS_SERVER_PATH=${process.env.REDIS_SERVER_PATH} does not exist`);
    return process.env.REDIS_SERVER_PATH;
  }
  const found = which("redis-server");
  if (found) return found;
  if (process.getuid?.() === 0 && which("apt-get")) {
    process.stderr.write("[redis] installing Debian's redis-server with apt-get (once per machine)…\n");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = () =>
      spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "redis-server"], {
        stdio: ["ignore", process.stderr, "inherit"],
        env,
      });
    if (install().status !== 0) {
      spawnSync("apt-get", ["update"], { stdio: ["ignore", process.stderr, "inherit"], env });
      install();
    }
    const installed = which("redis-server");
    if (installed) return installed;
  }
  throw new Error(
    "redis-server is needed for the multi-instance tests: install it (apt-get install redis-server) or set REDIS_SERVER_PATH",
  );
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${ensureRedisServer()}\n`);
