import { beforeAll, describe, expect, it } from "vitest";
import type { JSONContent } from "../../../common/editor/memoDocument";
import { importSourceText } from "../../import/importSourceText";
import { readSampleSource } from "../../import/sampleSource";
import { paragraphTexts, readDocx, type DocxParts } from "../../testing/docxContent";
import {
  BIDI_BODY,
  BIDI_TEXTS,
  FORMATTED_BODY,
  FULL_METADATA,
  HOSTILE_BODY,
  HOSTILE_TEXTS,
  sourceOf,
} from "../../testing/exportSamples";
import { exportBlocksFromJson, textOfRuns } from "../exportModel";
import { renderMemoDocx } from "./renderMemoDocx";

let sample: JSONContent;
let docx: DocxParts;

beforeAll(async () => {
  sample = importSourceText(await readSampleSource());
  docx = await readDocx(
    await renderMemoDocx(sourceOf(sample, { title: "Pakistan–U.S. Relations in 2025: A Strategic Realignment" })),
  );
});

describe("renderMemoDocx", () => {
  it("holds the title block, then every heading and paragraph of the sample memo in order, then the distribution", () => {
    const body = exportBlocksFromJson(sample).map((block) =>
      block.kind === "heading" || block.kind === "paragraph" ? textOfRuns(block.runs) : "",
    );
    expect(paragraphTexts(docx.document).filter(Boolean)).toEqual([
      "MEMORANDUM",
      "TO\tThe Ambassador",
      "FROM\tAmina Qureshi, Political Section",
      "DATE\t26 November 2025",
      "SUBJECT\tPakistan–U.S. realignment after May 2025",
      ...body,
      "DISTRIBUTION",
      "Deputy Chief of Mission",
      "Desk Officer, South Asia",
    ]);
    expect(docx.document).toContain('<w:pStyle w:val="Heading2"/>');
    // Runs leave bold to the heading style instead of switching it off.
    expect(docx.document).not.toContain('<w:b w:val="false"/>');
  });

  it("puts the marking in the page header and footer, with Word's PAGE and NUMPAGES fields", () => {
    expect(docx.headers.map(paragraphTexts)).toEqual([[FULL_METADATA.marking]]);
    const [footer] = docx.footers;
    expect(paragraphTexts(footer)).toEqual(["Page  of ", FULL_METADATA.marking]);
    expect(footer).toMatch(/<w:fldChar w:fldCharType="begin"\/>[\s\S]*?<w:instrText[^>]*>PAGE<\/w:instrText>/u);
    expect(footer).toMatch(/<w:instrText[^>]*>NUMPAGES<\/w:instrText>/u);
    expect(docx.core).toContain("<dc:title>Pakistan–U.S. Relations in 2025: A Strategic Realignment</dc:title>");
  });

  it("keeps marks, lists with their start numbers, quotes, links and line breaks", async () => {
    const parts = await readDocx(
      await renderMemoDocx(
        sourceOf(FORMATTED_BODY, { endnotes: [{ author: "Daniel Okafor", text: "Check the date." }] }),
      ),
    );
    const texts = paragraphTexts(parts.document).filter(Boolean);
    expect(texts.slice(5)).toEqual([
      "Key judgements",
      "Plain, bold, italic and underlined words.",
      "First bullet",
      "Second bullet",
      "Third step",
      "Nested point",
      "Fourth step",
      "Sources",
      "A quoted assessment.",
      "See the embassy statement.\nAfter a line break.",
      "Outlook",
      "Last paragraph.",
      "NOTES",
      "1.\tDaniel Okafor: Check the date.",
      "DISTRIBUTION",
      "Deputy Chief of Mission",
      "Desk Officer, South Asia",
    ]);
    expect(parts.document).toMatch(/<w:b\/>[\s\S]*?<w:t[^>]*>bold<\/w:t>/u);
    expect(parts.document).toMatch(/<w:i\/>[\s\S]*?<w:t[^>]*>italic<\/w:t>/u);
    expect(parts.document).toMatch(/<w:u w:val="single"\/>[\s\S]*?<w:t[^>]*>underlined<\/w:t>/u);
    expect(parts.document).toMatch(/<w:hyperlink [^>]*r:id="[^"]+"[^>]*>[\s\S]*?embassy statement/u);
    expect(parts.relationships).toContain('Target="https://example.org/statement?a=1&amp;b=2" TargetMode="External"');
    expect(parts.numbering).toMatch(/<w:start w:val="3"\/>/u);
    expect(parts.numbering).toMatch(/<w:numFmt w:val="bullet"\/>/u);
  });

  it("writes hostile text as escaped literal text and leaves out characters XML cannot hold", async () => {
    const parts = await readDocx(await renderMemoDocx(sourceOf(HOSTILE_BODY)));
    const texts = paragraphTexts(parts.document);
    for (const text of [
      HOSTILE_TEXTS.html,
      HOSTILE_TEXTS.markdown,
      HOSTILE_TEXTS.longWord,
      HOSTILE_TEXTS.emoji,
      HOSTILE_TEXTS.arabic,
      HOSTILE_TEXTS.mixed,
    ]) {
      expect(texts.includes(text), text.slice(0, 40)).toBe(true);
    }
    expect(texts).toContain("controlcharsand a lone  surrogate");
    expect(parts.document).not.toContain("<script>");
    expect(parts.document).toContain("&lt;script&gt;");
    expect(parts.document).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/u);
    // The Arabic paragraph reads right to left in Word.
    expect(parts.document).toMatch(/<w:bidi\/>[\s\S]*?<w:rtl\/>[\s\S]*?هذا نص عربي/u);
  });

  it("marks the paragraph of a mixed line right to left by its first letter, and only its Arabic runs as right-to-left text", async () => {
    const { document } = await readDocx(await renderMemoDocx(sourceOf(BIDI_BODY)));
    const paragraphs = [...document.matchAll(/<w:p>[\s\S]*?<\/w:p>/gu)].map(([xml]) => xml);
    const rtl = paragraphs.find((xml) => paragraphTexts(xml)[0] === BIDI_TEXTS.rtl)!;
    const ltr = paragraphs.find((xml) => paragraphTexts(xml)[0] === BIDI_TEXTS.ltr)!;
    expect(rtl).toMatch(/<w:pPr>[\s\S]*?<w:bidi\/>[\s\S]*?<\/w:pPr>/u);
    expect(ltr).not.toContain("<w:bidi/>");
    /** Each run's text and whether it is marked right to left. */
    const runsOf = (xml: string) =>
      [...xml.matchAll(/<w:r>([\s\S]*?)<\/w:r>/gu)].map(([, run]) => [
        paragraphTexts(`<w:p>${run}</w:p>`)[0],
        run.includes("<w:rtl/>"),
      ]);
    // Between Arabic and English, spaces and the emoji take the paragraph's direction (bidi rule N2).
    expect(runsOf(rtl)).toEqual([
      ["قالت الوزارة ", true],
      ["The ministry said", false],
      [" مرحبا بالعالم 🎉 ", true],
      ["today", false],
    ]);
    expect(runsOf(ltr)).toEqual([
      ["The ministry said ", false],
      ["مرحبا بالعالم", true],
      [" 🎉 today", false],
    ]);
  });

  it("exports an empty memo as the title block alone", async () => {
    const parts = await readDocx(
      await renderMemoDocx(
        sourceOf(
          { type: "doc", content: [{ type: "paragraph" }] },
          { metadata: { ...FULL_METADATA, distribution: [] } },
        ),
      ),
    );
    expect(paragraphTexts(parts.document).filter(Boolean)).toEqual([
      "MEMORANDUM",
      "TO\tThe Ambassador",
      "FROM\tAmina Qureshi, Political Section",
      "DATE\t26 November 2025",
      "SUBJECT\tPakistan–U.S. realignment after May 2025",
    ]);
  });
});
