import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Logger } from "pino";
import { buildIsCurrent, fingerprintFile, sourceFingerprint } from "./buildFingerprint";

/** Runs `next build` when there is no build of the current sources. */
export async function ensureProductionBuild(projectDir: string, log: Logger): Promise<void> {
  if (buildIsCurrent(projectDir)) return;
  const fingerprint = sourceFingerprint(projectDir);
  log.info("building the app (first start, or the sources changed); this takes a minute or two");
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build"], {
      cwd: projectDir,
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code})`))));
  });
  writeFileSync(fingerprintFile(projectDir), `${fingerprint}\n`);
}
