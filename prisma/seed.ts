import crypto from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "../server/db";
import { hashPassword } from "../server/accounts/passwords";
import { parseSourceMemo } from "../server/memos/memoCommands";
import { insertImportedMemo } from "../server/import/insertImportedMemo";
import { readSampleSource, SAMPLE_SOURCE } from "../server/import/sampleSource";

// Demo data for the embedded default only: three analysts and a first memo seeded from the sample
// source. Passwords are generated on first start and kept in the data folder, never hard-coded.

/** A demo account as printed at start-up. */
export type DemoAccount = { name: string; email: string; password: string };

const DEMO_ANALYSTS = [
  { name: "Amina Qureshi", email: "amina@demo.demarche.test" },
  { name: "Daniel Okafor", email: "daniel@demo.demarche.test" },
  { name: "Sofia Marin", email: "sofia@demo.demarche.test" },
] as const;

const SEEDED_FACT = "demo-data-seeded";
const SEED_WAIT_MS = 120_000;

/** Seeds the demo data once per database; returns the demo accounts (from the data folder later on). */
export async function seedDemoData(db: PrismaClient, dataDir: string, maxSourceBytes: number): Promise<DemoAccount[]> {
  const accountsFile = path.join(dataDir, "demo-accounts.json");
  const seeded = await db.installationFact.findUnique({ where: { key: SEEDED_FACT } });
  if (seeded) return existsSync(accountsFile) ? (JSON.parse(readFileSync(accountsFile, "utf8")) as DemoAccount[]) : [];

  const accounts = DEMO_ANALYSTS.map((analyst) => ({
    ...analyst,
    password: crypto.randomBytes(9).toString("base64url"),
  }));
  // The slow parts (hashing, parsing) come before the transaction, which only writes: on a
  // loaded machine they took over Prisma's 5 s interactive-transaction timeout and start-up failed.
  const passwordHashes = await Promise.all(accounts.map((account) => hashPassword(account.password)));
  const memo = await parseSourceMemo({
    title: SAMPLE_SOURCE.title,
    source: await readSampleSource(),
    maxBytes: maxSourceBytes,
  });
  await db.$transaction(
    async (tx) => {
      const users = [];
      for (const [index, account] of accounts.entries()) {
        users.push(
          await tx.user.create({
            data: { name: account.name, email: account.email, passwordHash: passwordHashes[index] },
          }),
        );
      }
      await insertImportedMemo(tx, { ownerId: users[0].id, ...memo });
      await tx.installationFact.create({ data: { key: SEEDED_FACT, value: new Date().toISOString() } });
    },
    // Start-up has no one waiting on it but the operator: a slow disk must not fail it.
    { maxWait: SEED_WAIT_MS, timeout: SEED_WAIT_MS },
  );
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(accountsFile, JSON.stringify(accounts, null, 2), { mode: 0o600 });
  return accounts;
}
