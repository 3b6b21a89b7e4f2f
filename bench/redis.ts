import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { findFreePort } from "../server/net/findFreePort";
import { ensureRedisServer } from "../scripts/ensure-redis.mjs";
import { onCleanup } from "./childProcesses";

// The Redis that several of our instances share in the multi-instance scenario (issue #9): Debian's
// redis-server, found or installed by scripts/ensure-redis.mjs as for the integration tests, on a
// free loopback port, without persistence. It is stopped (by pid) when the benchmark ends.

export type BenchRedis = { url: string; pid: number; stop(): Promise<void> };

export async function startBenchRedis(): Promise<BenchRedis> {
  const binary = ensureRedisServer();
  const port = await findFreePort();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "demarche-bench-redis-"));
  const child = spawn(
    binary,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
        await exited;
        clearTimeout(timer);
      }
      await fs.rm(dir, { recursive: true, force: true });
    })());
  onCleanup(stop);
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      if (output.includes("Ready to accept connections")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output.slice(-2_000)}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid ?? -1, stop };
}
