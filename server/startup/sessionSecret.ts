import crypto from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";

/** The configured session secret, or one generated on first start and kept in the data folder. */
export async function resolveSessionSecret(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  await fs.mkdir(dataDir, { recursive: true });
  const secret = crypto.randomBytes(48).toString("base64url");
  await fs.writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
