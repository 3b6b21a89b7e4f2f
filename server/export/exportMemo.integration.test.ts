import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendMemoUpdates, loadMemoDocument } from "../memos/memoStore";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { isAppError } from "../errors";
import { readSampleSource } from "../import/sampleSource";
import { createMemoFromSource } from "../memos/memoCommands";
import { updateMemoMetadata } from "../memos/memoMetadata";
import { paragraphTexts, readDocx } from "../testing/docxContent";
import { createTestDatabase, type TestDatabase } from "../testing/testDatabase";
import { createTestUser, type TestUser, failureOf } from "../testing/fixtures";
import { firstOutOfOrder, joinText, readPdf, splitPage } from "../testing/pdfContent";
import { exportMemo } from "./exportMemo";
import { DEFAULT_MEMO_MARKINGS } from "../env";

const MARKINGS = DEFAULT_MEMO_MARKINGS;
const NOW = new Date("2025-11-27T08:00:00Z");

let database: TestDatabase;
let owner: TestUser;
let stranger: TestUser;
let memoId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  owner = await createTestUser(database.prisma, "Owner");
  stranger = await createTestUser(database.prisma, "Stranger");
  memoId = await createMemoFromSource(database.prisma, {
    ownerId: owner.id,
    source: await readSampleSource(),
    title: "Pakistan–U.S. Relations",
    maxBytes: 512 * 1024,
  });
});
afterAll(async () => {
  await database.drop();
});

/** Appends a paragraph the way an editor's update reaches the database: as a log row. */
async function appendParagraph(text: string) {
  const loaded = await loadMemoDocument(database.prisma, memoId);
  const doc = loaded!.doc;
  const before = Y.encodeStateVector(doc);
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(MEMO_FRAGMENT).push([paragraph]);
  await appendMemoUpdates(database.prisma, memoId, [{ data: Y.encodeStateAsUpdate(doc, before), userId: owner.id }]);
  doc.destroy();
}

describe("exportMemo", () => {
  it("exports the stored current state with the memo's metadata, named after its title and date", async () => {
    await updateMemoMetadata(
      database.prisma,
      owner.id,
      memoId,
      { to: "The Ambassador", date: "2025-11-26", marking: "CONFIDENTIAL" },
      MARKINGS,
    );
    await appendParagraph("A paragraph typed after the memo was created.");

    const pdf = await exportMemo(database.prisma, owner.id, memoId, "pdf", { markings: MARKINGS, now: NOW });
    expect(pdf.contentType).toBe("application/pdf");
    expect(pdf.contentDisposition).toBe(
      `attachment; filename="Pakistan-US-Relations-2025-11-26.pdf"; filename*=UTF-8''Pakistan-US-Relations-2025-11-26.pdf`,
    );
    const pages = await readPdf(pdf.bytes);
    expect(joinText(splitPage(pages[0], 70, 78).header)).toBe("CONFIDENTIAL");
    const text = pages.map((page) => joinText(splitPage(page, 70, 78).body)).join(" ");
    expect(
      firstOutOfOrder(text, [
        "TO The Ambassador",
        "DATE 26 November 2025",
        "SUBJECT Pakistan–U.S. Relations",
        "From the Shadows of Conflict",
        "A paragraph typed after the memo was created.",
      ]),
    ).toBeNull();

    const docx = await exportMemo(database.prisma, owner.id, memoId, "docx", { markings: MARKINGS, now: NOW });
    expect(docx.contentDisposition).toContain('filename="Pakistan-US-Relations-2025-11-26.docx"');
    expect(paragraphTexts((await readDocx(docx.bytes)).document)).toContain(
      "A paragraph typed after the memo was created.",
    );

    const markdown = await exportMemo(database.prisma, owner.id, memoId, "md", { markings: MARKINGS, now: NOW });
    expect(markdown.contentType).toBe("text/markdown; charset=utf-8");
    const source = new TextDecoder().decode(markdown.bytes);
    expect(source.startsWith("**CONFIDENTIAL**\n")).toBe(true);
    expect(source).toContain("\nA paragraph typed after the memo was created.\n");
  });

  it("dates the file with the export day when the memo has no date", async () => {
    const other = await createMemoFromSource(database.prisma, {
      ownerId: owner.id,
      source: "Background\nShort note.",
      title: "Short note",
      maxBytes: 1024,
    });
    const file = await exportMemo(database.prisma, owner.id, other, "md", { markings: MARKINGS, now: NOW });
    expect(file.contentDisposition).toContain('filename="Short-note-2025-11-27.md"');
    expect(new TextDecoder().decode(file.bytes)).toContain("**Date:** 27 November 2025");
  });

  it("refuses other users and unknown memos", async () => {
    expect(
      isAppError(
        await failureOf(() => exportMemo(database.prisma, stranger.id, memoId, "pdf", { markings: MARKINGS })),
        "not_found",
      ),
    ).toBe(true);
    expect(
      isAppError(
        await failureOf(() =>
          exportMemo(database.prisma, owner.id, "11111111-1111-4111-8111-111111111111", "pdf", { markings: MARKINGS }),
        ),
        "not_found",
      ),
    ).toBe(true);
  });

  it("tells someone without access nothing about a malformed format either: not found, and the owner what is wrong", async () => {
    for (const format of ["exe", "", null, undefined, ["pdf"]]) {
      expect(
        isAppError(
          await failureOf(() => exportMemo(database.prisma, stranger.id, memoId, format, { markings: MARKINGS })),
          "not_found",
        ),
        String(format),
      ).toBe(true);
      const refusal = await failureOf(() =>
        exportMemo(database.prisma, owner.id, memoId, format, { markings: MARKINGS }),
      );
      expect(refusal, String(format)).toMatchObject({
        code: "invalid_input",
        message: "Choose an export format: pdf, docx, md.",
        details: { issues: [{ path: ["format"] }] },
      });
    }
  });
});
