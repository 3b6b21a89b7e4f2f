import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { findFreePort } from "../net/findFreePort";
import { ensureRedisServer } from "../../scripts/ensure-redis.mjs";

/** A real redis-server on a loopback port, for multi-instance tests; it can be stopped and restarted. */
export type TestRedis = {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
};

export async function startTestRedis(): Promise<TestRedis> {
  const binary = ensureRedisServer();
  const port = await findFreePort();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "demarche-redis-"));
  let child: ChildProcess | undefined;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const next = spawn(
        binary,
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      child = next;
      let output = "";
      next.stdout!.on("data", (chunk: Buffer) => {
        output += chunk;
        if (output.includes("Ready to accept connections")) resolve();
      });
      next.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
  const stop = async () => {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGTERM");
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async dispose() {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
