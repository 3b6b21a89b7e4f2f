import { beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../testing/testDatabase";
import { collabTestbed } from "../testing/collabTestbed";
import { createTestMemo, failureOf, type TestUser } from "../testing/fixtures";
import { waitFor } from "../testing/collabHarness";
import { acceptAllChanges, readDocx, rejectAllChanges, trackedParagraphTexts } from "../testing/docxContent";
import { inviteToMemo } from "../sharing/sharingCommands";
import { saveNamedVersion } from "./versionCommands";
import { listVersions } from "./versionQueries";
import { exportRedline } from "./versionRedline";

// The redline of two versions, as Word receives it: accepting every tracked change gives the
// newer version's text, rejecting every one the older version's, and each addition is in the
// name of who typed it.

const bed = collabTestbed({ people: ["Olga Owner", "Eddie Editor"] });
let database: TestDatabase;
let owner: TestUser;
let editor: TestUser;
beforeAll(() => {
  ({ database } = bed);
  [owner, editor] = bed.people;
});

const MARKINGS = ["UNCLASSIFIED"];
const textOf = (xml: string) => trackedParagraphTexts(xml).join("\n");
const acceptAll = acceptAllChanges;
const rejectAll = rejectAllChanges;

describe("redline of two versions", () => {
  it("writes Word tracked changes that rebuild either version, with who wrote each addition", async () => {
    const memoId = await createTestMemo(database.prisma, owner.id, "The outlook is sobering.");
    await inviteToMemo(database.prisma, owner.id, memoId, { email: editor.email, role: "editor" });
    const first = await saveNamedVersion(database.prisma, owner.id, memoId, { name: "Draft" });
    const client = await bed.connect(memoId, editor);
    client.typeAt("The outlook is ".length, "stark, not ");
    client.appendParagraph("Talks resume on Monday.");
    await waitFor(() => client.isSaved(), 5000, "the editor's edits stored");
    const second = await saveNamedVersion(database.prisma, owner.id, memoId, { name: "Reviewed" });
    const versions = (await listVersions(database.prisma, owner.id, memoId, { limit: 10 })).versions;
    const idOf = (number: number) => versions.find((version) => version.number === number)!.id;

    const file = await exportRedline(
      database.prisma,
      owner.id,
      memoId,
      { from: idOf(first.number), to: idOf(second.number), format: "docx" },
      { markings: MARKINGS },
    );
    const { document } = await readDocx(file.bytes);
    const body = (xml: string) =>
      textOf(xml)
        .split("\n")
        .filter((line) => /outlook|Talks/u.test(line))
        .join("\n");
    expect(body(acceptAll(document))).toBe("The outlook is stark, not sobering.\nTalks resume on Monday.");
    expect(body(rejectAll(document))).toBe("The outlook is sobering.");
    expect(document).toMatch(/<w:ins w:id="\d+" w:author="Eddie Editor" w:date="[^"]+">/u);
    expect(file.contentDisposition).toContain("redline");

    const pdf = await exportRedline(
      database.prisma,
      owner.id,
      memoId,
      { from: idOf(first.number), to: idOf(second.number), format: "pdf" },
      { markings: MARKINGS },
    );
    expect(Buffer.from(pdf.bytes).subarray(0, 5).toString()).toBe("%PDF-");
    expect(
      await failureOf(() =>
        exportRedline(
          database.prisma,
          owner.id,
          memoId,
          { from: idOf(1), to: idOf(2), format: "md" },
          { markings: MARKINGS },
        ),
      ),
    ).toMatchObject({ code: "invalid_input" });
  });
});
