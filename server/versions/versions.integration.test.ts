import * as Y from "yjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../testing/testDatabase";
import { collabTestbed } from "../testing/collabTestbed";
import { createTestMemo, createTestUser, type TestUser } from "../testing/fixtures";
import { waitFor, type TestClient } from "../testing/collabHarness";
import { inviteToMemo } from "../sharing/sharingCommands";
import { isAppError } from "../errors";
import { recordVersion } from "./recordVersion";
import { listInbox } from "../inbox/inboxQueries";
import { labelVersion, restoreVersion, saveNamedVersion } from "./versionCommands";
import { compareVersions, getVersion, listVersions } from "./versionQueries";

const SETTLE_MS = 400;
const MAX_BURST_MS = 1_500;

const bed = collabTestbed({
  people: ["Olga Owner", "Eddie Editor"],
  server: { versionSettleMs: SETTLE_MS, versionMaxBurstMs: MAX_BURST_MS },
});
let database: TestDatabase;
let owner: TestUser;
let editor: TestUser;
beforeAll(() => {
  ({ database } = bed);
  [owner, editor] = bed.people;
});

async function sharedMemo(text: string): Promise<string> {
  const memoId = await createTestMemo(database.prisma, owner.id, text);
  await inviteToMemo(database.prisma, owner.id, memoId, { email: editor.email, role: "editor" });
  return memoId;
}

const connect = (memoId: string, user: TestUser): Promise<TestClient> => bed.connect(memoId, user);

const versionsOf = async (memoId: string) =>
  (await listVersions(database.prisma, owner.id, memoId, { limit: 200 })).versions;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("automatic versions", () => {
  it("takes one version when a burst settles, with everyone who edited, and none when nothing changed", async () => {
    const memoId = await sharedMemo("Start.");
    expect((await versionsOf(memoId)).map((v) => [v.number, v.kind, v.note])).toEqual([[1, "automatic", "Created"]]);
    const [a, b] = [await connect(memoId, owner), await connect(memoId, editor)];
    for (let i = 0; i < 5; i++) {
      a.appendParagraph(`Owner line ${i}.`);
      b.appendParagraph(`Editor line ${i}.`);
      await sleep(40);
    }
    await waitFor(async () => (await versionsOf(memoId)).length === 2, 5000, "a version after the burst settles");
    const [latest] = await versionsOf(memoId);
    expect(latest).toMatchObject({ number: 2, kind: "automatic" });
    expect(latest.editorNames.sort()).toEqual(["Eddie Editor", "Olga Owner"]);

    // Nothing typed: no version. Typed and undone: the text is unchanged, no version either.
    await sleep(SETTLE_MS * 2);
    const paragraph = a.doc.getXmlFragment("default").get(0) as Y.XmlElement;
    (paragraph.get(0) as Y.XmlText).insert(0, "Temporary ");
    await sleep(50);
    (paragraph.get(0) as Y.XmlText).delete(0, "Temporary ".length);
    await waitFor(() => a.isSaved(), 5000, "stored");
    await sleep(SETTLE_MS * 2);
    expect(await versionsOf(memoId)).toHaveLength(2);
  });

  it("takes versions regularly during continuous editing", async () => {
    const memoId = await sharedMemo("Continuous.");
    const client = await connect(memoId, owner);
    const started = Date.now();
    while (Date.now() - started < MAX_BURST_MS * 3) {
      client.appendParagraph(`Typing at ${Date.now() - started} ms.`);
      await sleep(SETTLE_MS / 4);
    }
    const during = (await versionsOf(memoId)).length - 1;
    expect(during).toBeGreaterThanOrEqual(2);
    expect(during).toBeLessThanOrEqual(3);
  });
});

describe("named versions", () => {
  it("two people saving at the same moment get two versions and no error", async () => {
    const memoId = await sharedMemo("Named.");
    const [first, second] = await Promise.all([
      saveNamedVersion(database.prisma, owner.id, memoId, { name: "Sent to the ambassador", note: "Final" }),
      saveNamedVersion(database.prisma, editor.id, memoId, { name: "Copy for the desk" }),
    ]);
    expect(new Set([first.number, second.number])).toEqual(new Set([2, 3]));
    const names = (await versionsOf(memoId)).filter((v) => v.kind === "named").map((v) => v.name);
    expect(names.sort()).toEqual(["Copy for the desk", "Sent to the ambassador"]);
  });

  it("any version can be named later; viewers may browse but not name", async () => {
    const memoId = await sharedMemo("Later.");
    const viewer = await createTestUser(database.prisma, "Vera Viewer");
    await inviteToMemo(database.prisma, owner.id, memoId, { email: viewer.email, role: "viewer" });
    const [created] = await versionsOf(memoId);
    await labelVersion(database.prisma, editor.id, memoId, created.id, { name: "First draft", note: "Before review" });
    expect((await listVersions(database.prisma, viewer.id, memoId)).versions[0]).toMatchObject({
      name: "First draft",
      note: "Before review",
    });
    const failure = await labelVersion(database.prisma, viewer.id, memoId, created.id, { name: "Mine" }).catch(
      (error: unknown) => error,
    );
    expect(isAppError(failure, "forbidden")).toBe(true);
    const other = await sharedMemo("Other memo.");
    const idor = await getVersion(database.prisma, owner.id, other, created.id).catch((error: unknown) => error);
    expect(isAppError(idor, "not_found")).toBe(true);
  });
});

describe("malformed requests", () => {
  it("tell someone without the right nothing: they are refused as if well-formed", async () => {
    const memoId = await sharedMemo("Guarded.");
    const viewer = await createTestUser(database.prisma, "Vic Viewer");
    const stranger = await createTestUser(database.prisma, "Sam Stranger");
    await inviteToMemo(database.prisma, owner.id, memoId, { email: viewer.email, role: "viewer" });
    const [created] = await versionsOf(memoId);
    const codeOf = (run: () => Promise<unknown>) =>
      run().then(
        () => "ok",
        (error: unknown) => (isAppError(error) ? error.code : error),
      );
    const writes = (userId: string) => [
      () => saveNamedVersion(database.prisma, userId, memoId, { name: "   " }),
      () => saveNamedVersion(database.prisma, userId, memoId, { name: "x".repeat(121) }),
      () => labelVersion(database.prisma, userId, memoId, created.id, { note: 42 }),
    ];
    const reads = (userId: string) => [
      () => listVersions(database.prisma, userId, memoId, { before: "abc", limit: "0" }),
      () => compareVersions(database.prisma, userId, memoId, null, ""),
    ];
    for (const [user, write, read] of [
      [stranger, "not_found", "not_found"],
      [viewer, "forbidden", "invalid_input"],
      [editor, "invalid_input", "invalid_input"],
    ] as const) {
      for (const [index, run] of writes(user.id).entries())
        expect(await codeOf(run), `${user.name}, write ${index}`).toBe(write);
      for (const [index, run] of reads(user.id).entries())
        expect(await codeOf(run), `${user.name}, read ${index}`).toBe(read);
    }
    expect((await versionsOf(memoId)).map((version) => version.name)).toEqual([null]);
  });
});

describe("restore", () => {
  it("saves the current state, replaces the live memo for three connected clients at once, and can be undone", async () => {
    const memoId = await sharedMemo("Original wording.");
    const clientsNow = [await connect(memoId, owner), await connect(memoId, editor), await connect(memoId, owner)];
    clientsNow[0].appendParagraph("Added after version one.");
    clientsNow[1].typeAt(0, "Revised: ");
    await waitFor(
      () => clientsNow.every((c) => c.isSaved() && c.text() === clientsNow[0].text()),
      5000,
      "edits stored",
    );
    const before = clientsNow[0].text();
    const versionOne = (await versionsOf(memoId)).find((v) => v.number === 1)!;

    const result = await restoreVersion(database.prisma, editor.id, memoId, versionOne.id);
    expect(result.savedCurrent).not.toBeNull();
    await waitFor(
      () => clientsNow.every((c) => c.text() === "Original wording."),
      5000,
      "every client shows the restored text",
    );
    const history = await versionsOf(memoId);
    expect(history[0]).toMatchObject({ kind: "restore", restoredFrom: 1 });
    // The owner hears of it in the inbox; the editor who restored does not.
    expect((await listInbox(database.prisma, owner.id)).items[0]).toMatchObject({
      kind: "restored",
      memoId,
      actorName: "Eddie Editor",
      restoredFrom: 1,
    });
    const editorsItems = (await listInbox(database.prisma, editor.id)).items;
    expect(editorsItems.filter((item) => item.memoId === memoId).map((item) => item.kind)).toEqual(["shared"]);
    expect(history[1]).toMatchObject({ kind: "automatic", note: "Saved before restoring version 1" });
    expect((await getVersion(database.prisma, owner.id, memoId, history[1].id)).json).toBeTruthy();

    // Restoring the saved state undoes the restore.
    await restoreVersion(database.prisma, owner.id, memoId, history[1].id);
    await waitFor(() => clientsNow.every((c) => c.text() === before), 5000, "undo reaches every client");
    clientsNow[2].appendParagraph("Still editable after two restores.");
    await waitFor(() => clientsNow.every((c) => c.isSaved() && c.text() === clientsNow[2].text()), 5000, "converged");
  });
});

describe("compare", () => {
  it("diffs any two versions word by word, with sections changed and who wrote the new words", async () => {
    const memoId = await sharedMemo("The minister will attend.");
    const [a, b] = [await connect(memoId, owner), await connect(memoId, editor)];
    a.typeAt("The minister".length, " and her deputy");
    await waitFor(() => a.isSaved(), 5000, "owner's edit stored");
    b.appendParagraph("Eddie adds a paragraph.");
    await waitFor(() => b.isSaved() && a.text() === b.text(), 5000, "editor's edit stored");
    const named = await saveNamedVersion(database.prisma, owner.id, memoId, { name: "Reviewed" });
    const history = await versionsOf(memoId);
    const first = history.find((v) => v.number === 1)!;
    const comparison = await compareVersions(
      database.prisma,
      owner.id,
      memoId,
      history.find((v) => v.number === named.number)!.id,
      first.id,
    );
    expect(comparison.from.number).toBe(1);
    expect(comparison.to.number).toBe(named.number);
    const added = comparison.parts.filter((part) => part.kind === "added");
    expect(added.map((part) => part.text.trim()).join(" | ")).toContain("and her deputy");
    expect(added.find((part) => part.text.includes("her deputy"))?.authors).toEqual(["Olga Owner"]);
    expect(added.find((part) => part.text.includes("Eddie adds"))?.authors).toEqual(["Eddie Editor"]);
    expect(comparison.wordsAdded).toBe(7);
    expect(comparison.wordsRemoved).toBe(0);
    expect(comparison.sectionsChanged).toEqual(["Opening"]);
  });
});

describe("long histories", () => {
  it("pages through 1,000 versions, newest first, without gaps", async () => {
    const memoId = await sharedMemo("Many versions.");
    const first = await database.prisma.memoVersion.findFirstOrThrow({ where: { memoId } });
    await database.prisma.memoVersion.createMany({
      data: Array.from({ length: 999 }, (_, i) => ({
        memoId,
        number: i + 2,
        kind: "automatic" as const,
        snapshot: first.snapshot,
        contentHash: first.contentHash,
      })),
    });
    const seen: number[] = [];
    let before: number | undefined;
    do {
      const page = await listVersions(database.prisma, owner.id, memoId, { before, limit: 100 });
      seen.push(...page.versions.map((v) => v.number));
      before = page.nextBefore ?? undefined;
    } while (before);
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => 1000 - i));
    // Each version costs its snapshot; the text is stored once for all versions that share it.
    expect(await database.prisma.memoVersionContent.count({ where: { memoId } })).toBe(1);
  });

  it("records a version without gaps when recorded directly", async () => {
    const memoId = await sharedMemo("Direct.");
    const version = await database.prisma.$transaction((tx) =>
      recordVersion(tx, memoId, { kind: "named", name: "Direct" }),
    );
    expect(version?.number).toBe(2);
  });
});
