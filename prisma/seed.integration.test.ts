import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignIn } from "../server/accounts/signIn";
import { createTestDatabase, type TestDatabase } from "../server/testing/testDatabase";
import { seedDemoData } from "./seed";

let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "demarche-seed-"));
});
afterAll(async () => {
  await database.drop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe("demo seed", () => {
  it("creates three analysts with generated passwords and the sample memo, once", async () => {
    const accounts = await seedDemoData(database.prisma, dataDir, 512 * 1024);
    expect(accounts).toHaveLength(3);
    expect(new Set(accounts.map((account) => account.password)).size).toBe(3);
    for (const account of accounts) {
      await expect(
        verifySignIn(database.prisma, { email: account.email, password: account.password, ip: null }),
      ).resolves.toMatchObject({ email: account.email });
    }
    const memos = await database.prisma.memo.findMany({ include: { owner: true } });
    expect(memos).toHaveLength(1);
    expect(memos[0].owner.email).toBe(accounts[0].email);
    expect(memos[0].title).toBe("Pakistan–U.S. Relations in 2025: A Strategic Realignment");

    const again = await seedDemoData(database.prisma, dataDir, 512 * 1024);
    expect(again).toEqual(accounts);
    expect(await database.prisma.user.count()).toBe(3);
    expect(await database.prisma.memo.count()).toBe(1);
    const stat = await fs.stat(path.join(dataDir, "demo-accounts.json"));
    expect(stat.mode & 0o077).toBe(0);
  });
});
