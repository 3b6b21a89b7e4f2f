import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSampleSource } from "../import/sampleSource";
import { isAppError } from "../errors";
import { loadMemoDocument, appendMemoUpdates } from "./memoStore";
import { memoJsonFromYdoc } from "../../common/editor/memoDocument";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestUser, type TestUser, failureOf } from "../testing/fixtures";
import { authorizeMemo } from "./memoAccess";
import { createMemo, createMemoFromSource, deleteMemo, renameMemo } from "./memoCommands";
import { updateMemoMetadata } from "./memoMetadata";
import { getMemoForEditor, listMemos } from "./memoQueries";
import * as Y from "yjs";

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

describe("memos", () => {
  it("creates a memo from the sample source with its structure in the stored Y.Doc", async () => {
    const id = await createMemoFromSource(database.prisma, {
      ownerId: owner.id,
      source: await readSampleSource(),
      maxBytes: 512 * 1024,
    });
    const loaded = await loadMemoDocument(database.prisma, id);
    const json = memoJsonFromYdoc(loaded!.doc);
    expect(json.content?.filter((block) => block.type === "heading")).toHaveLength(4);
    expect(json.content?.filter((block) => block.type === "paragraph")).toHaveLength(11);
    const memo = await database.prisma.memo.findUniqueOrThrow({ where: { id } });
    expect(memo.title).toBe("From the Shadows of Conflict to Diplomatic Engagement");
    expect(memo.contentText).toContain("Pakistan’s renewed quest for resilience");
  });

  it("makes a source's first line its title without repeating it as the first heading", async () => {
    const id = await createMemoFromSource(database.prisma, {
      ownerId: owner.id,
      source: "Field report\nThe delegation arrived.",
      maxBytes: 1000,
    });
    const memo = await database.prisma.memo.findUniqueOrThrow({ where: { id } });
    expect(memo.title).toBe("Field report");
    expect(memoJsonFromYdoc((await loadMemoDocument(database.prisma, id))!.doc).content).toEqual([
      { type: "paragraph", content: [{ type: "text", text: "The delegation arrived." }] },
    ]);
    expect(memo.contentText).toBe("The delegation arrived.");
  });

  it("refuses an oversized or binary source and creates nothing", async () => {
    const before = await database.prisma.memo.count();
    expect(
      isAppError(
        await failureOf(() =>
          createMemoFromSource(database.prisma, { ownerId: owner.id, source: "x".repeat(2000), maxBytes: 1000 }),
        ),
        "too_large",
      ),
    ).toBe(true);
    expect(
      isAppError(
        await failureOf(() =>
          createMemoFromSource(database.prisma, { ownerId: owner.id, source: "PK\u0003\u0004binary", maxBytes: 1000 }),
        ),
        "unsupported_media_type",
      ),
    ).toBe(true);
    expect(await database.prisma.memo.count()).toBe(before);
  });

  it("lists only the user's memos, most recently edited first, with the last editor", async () => {
    const user = await createTestUser(database.prisma, "Lister");
    const older = await createMemo(database.prisma, { ownerId: user.id, title: "Older" });
    const newer = await createMemo(database.prisma, { ownerId: user.id, title: "Newer" });
    await createMemo(database.prisma, { ownerId: stranger.id, title: "Not mine" });
    // An edit to the older memo makes it the most recent.
    const doc = new Y.Doc();
    doc.getXmlFragment("default").push([new Y.XmlElement("paragraph")]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await appendMemoUpdates(database.prisma, older, [{ data: Y.encodeStateAsUpdate(doc), userId: user.id }]);
    const memos = await listMemos(database.prisma, user.id);
    expect(memos.map((memo) => memo.title)).toEqual(["Older", "Newer"]);
    expect(memos[0].lastEditorName).toBe("Lister");
    expect(memos.map((memo) => memo.id)).toContain(newer);
  });

  it("renames with validation", async () => {
    const id = await createMemo(database.prisma, { ownerId: owner.id, title: "Draft" });
    await renameMemo(database.prisma, owner.id, id, "  Cable to Washington  ");
    expect((await getMemoForEditor(database.prisma, owner.id, id)).title).toBe("Cable to Washington");
    expect(isAppError(await failureOf(() => renameMemo(database.prisma, owner.id, id, "   ")), "invalid_input")).toBe(
      true,
    );
    expect(
      isAppError(await failureOf(() => renameMemo(database.prisma, owner.id, id, "x".repeat(201))), "invalid_input"),
    ).toBe(true);
  });

  it("tells someone without a role nothing: the memo is not found", async () => {
    const id = await createMemo(database.prisma, { ownerId: owner.id, title: "Private" });
    for (const action of ["open", "edit", "rename", "delete"] as const) {
      expect(
        isAppError(await failureOf(() => authorizeMemo(database.prisma, stranger.id, id, action)), "not_found"),
      ).toBe(true);
    }
    expect(
      isAppError(await failureOf(() => renameMemo(database.prisma, stranger.id, id, "Hijacked")), "not_found"),
    ).toBe(true);
    expect(isAppError(await failureOf(() => deleteMemo(database.prisma, stranger.id, id)), "not_found")).toBe(true);
    expect((await getMemoForEditor(database.prisma, owner.id, id)).title).toBe("Private");
  });

  it("tells someone without the right nothing about a malformed request either: it is refused as if well-formed", async () => {
    const id = await createMemo(database.prisma, { ownerId: owner.id, title: "Private" });
    const viewer = await createTestUser(database.prisma, "Viewer");
    await database.prisma.memoMember.create({
      data: { memoId: id, userId: viewer.id, role: "viewer", invitedById: owner.id },
    });
    const codeOf = async (run: () => Promise<unknown>) => ((await failureOf(run)) as { code?: string }).code;
    const titles: unknown[] = ["   ", "x".repeat(201), 42, null, "Nul\u0000"];
    const changes: unknown[] = [{ marking: "TOP SECRET" }, { classification: "x" }, { date: 5 }, null];
    for (const [caller, refusal] of [
      [stranger, "not_found"],
      [viewer, "forbidden"],
    ] as const) {
      for (const title of titles)
        expect(
          await codeOf(() => renameMemo(database.prisma, caller.id, id, title)),
          `${caller.name} ${String(title)}`,
        ).toBe(refusal);
      for (const change of changes) {
        expect(
          await codeOf(() => updateMemoMetadata(database.prisma, caller.id, id, change, ["UNCLASSIFIED"])),
          `${caller.name} ${JSON.stringify(change)}`,
        ).toBe(refusal);
      }
    }
    // Someone who may rename is told what is wrong.
    expect(await codeOf(() => renameMemo(database.prisma, owner.id, id, "   "))).toBe("invalid_input");
    expect((await getMemoForEditor(database.prisma, owner.id, id)).title).toBe("Private");
  });

  it("answers not_found for unknown and malformed ids", async () => {
    expect(
      isAppError(
        await failureOf(() => authorizeMemo(database.prisma, owner.id, "11111111-1111-4111-8111-111111111111", "open")),
        "not_found",
      ),
    ).toBe(true);
    expect(
      isAppError(await failureOf(() => authorizeMemo(database.prisma, owner.id, "'; drop table", "open")), "not_found"),
    ).toBe(true);
  });

  it("deletes a memo with its update log", async () => {
    const id = await createMemo(database.prisma, { ownerId: owner.id, title: "Doomed" });
    await appendMemoUpdates(database.prisma, id, [{ data: Y.encodeStateAsUpdate(new Y.Doc()), userId: owner.id }]);
    await deleteMemo(database.prisma, owner.id, id);
    expect(await database.prisma.memo.findUnique({ where: { id } })).toBeNull();
    expect(await database.prisma.memoUpdate.count({ where: { memoId: id } })).toBe(0);
  });
});
