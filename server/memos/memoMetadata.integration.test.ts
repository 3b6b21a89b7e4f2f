import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError, type InvalidInputDetails } from "../errors";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestMemo, createTestUser, type TestUser, failureOf } from "../testing/fixtures";
import { deleteMemo } from "./memoCommands";
import { getMemoMetadata, updateMemoMetadata } from "./memoMetadata";
import { DEFAULT_MEMO_MARKINGS } from "../env";

const MARKINGS = DEFAULT_MEMO_MARKINGS;

let database: TestDatabase;
let owner: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createTestUser(database.prisma, "Owner");
  stranger = await createTestUser(database.prisma, "Stranger");
});
afterAll(async () => {
  await database.drop();
});

describe("memo metadata", () => {
  it("starts empty with the first configured marking", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    expect(await getMemoMetadata(database.prisma, owner.id, memoId, MARKINGS)).toEqual({
      to: "",
      from: "",
      date: null,
      subject: "",
      distribution: [],
      marking: "UNCLASSIFIED",
      language: null,
    });
  });

  it("saves partial changes, normalises whitespace and keeps fields left out", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    await updateMemoMetadata(
      database.prisma,
      owner.id,
      memoId,
      { to: "  The   Ambassador ", date: "2025-11-26", distribution: ["Desk officer", " ", "  Embassy  Islamabad "] },
      MARKINGS,
    );
    const after = await updateMemoMetadata(
      database.prisma,
      owner.id,
      memoId,
      { marking: "CONFIDENTIAL", subject: "Talks", language: "fr" },
      MARKINGS,
    );
    expect(after).toEqual({
      to: "The Ambassador",
      from: "",
      date: "2025-11-26",
      subject: "Talks",
      distribution: ["Desk officer", "Embassy Islamabad"],
      marking: "CONFIDENTIAL",
      language: "fr",
    });
    expect(await getMemoMetadata(database.prisma, owner.id, memoId, MARKINGS)).toEqual(after);
    const cleared = await updateMemoMetadata(database.prisma, owner.id, memoId, { date: "", language: null }, MARKINGS);
    expect(cleared.date).toBeNull();
    expect(cleared.language).toBeNull();
  });

  it("refuses markings outside the configured list, bad dates, long fields and unknown fields", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    const cases: [unknown, string][] = [
      [{ marking: "TOP SECRET" }, "marking"],
      [{ date: "2025-02-30" }, "date"],
      [{ date: "26/11/2025" }, "date"],
      [{ to: "x".repeat(201) }, "to"],
      [{ distribution: Array.from({ length: 51 }, (_, index) => `Desk ${index}`) }, "distribution"],
      [{ subject: 42 }, "subject"],
      [{ language: "klingon" }, "language"],
      [{ language: "EN" }, "language"],
    ];
    for (const [change, field] of cases) {
      const error = await failureOf(() => updateMemoMetadata(database.prisma, owner.id, memoId, change, MARKINGS));
      expect(isAppError(error, "invalid_input"), JSON.stringify(change)).toBe(true);
      expect((error as { details?: InvalidInputDetails }).details?.issues[0].path[0]).toBe(field);
    }
    expect(
      isAppError(
        await failureOf(() => updateMemoMetadata(database.prisma, owner.id, memoId, { classification: "x" }, MARKINGS)),
        "invalid_input",
      ),
    ).toBe(true);
    expect(
      isAppError(
        await failureOf(() => updateMemoMetadata(database.prisma, owner.id, memoId, null, MARKINGS)),
        "invalid_input",
      ),
    ).toBe(true);
    expect((await getMemoMetadata(database.prisma, owner.id, memoId, MARKINGS)).marking).toBe("UNCLASSIFIED");
  });

  it("shows a stored marking even after it left the configuration", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    await updateMemoMetadata(database.prisma, owner.id, memoId, { marking: "CONFIDENTIAL" }, MARKINGS);
    expect((await getMemoMetadata(database.prisma, owner.id, memoId, ["OFFICIAL"])).marking).toBe("CONFIDENTIAL");
  });

  it("refuses people without a role, and goes away with the memo", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id);
    await updateMemoMetadata(database.prisma, owner.id, memoId, { subject: "Eyes only" }, MARKINGS);
    expect(
      isAppError(await failureOf(() => getMemoMetadata(database.prisma, stranger.id, memoId, MARKINGS)), "not_found"),
    ).toBe(true);
    expect(
      isAppError(
        await failureOf(() => updateMemoMetadata(database.prisma, stranger.id, memoId, { subject: "Mine" }, MARKINGS)),
        "not_found",
      ),
    ).toBe(true);
    await deleteMemo(database.prisma, owner.id, memoId);
    expect(await database.prisma.memoMetadata.count({ where: { memoId } })).toBe(0);
  });
});
