import { beforeAll, describe, expect, it } from "vitest";
import type { JSONContent } from "../../../common/editor/memoDocument";
import { importSourceText } from "../../import/importSourceText";
import { readSampleSource } from "../../import/sampleSource";
import {
  BIDI_BODY,
  FORMATTED_BODY,
  FULL_METADATA,
  HOSTILE_BODY,
  HOSTILE_TEXTS,
  sourceOf,
} from "../../testing/exportSamples";
import {
  firstOutOfOrder,
  joinText,
  normalizeText,
  readPdf,
  readPdfInfo,
  splitPage,
  type PdfPage,
} from "../../testing/pdfContent";
import { textOfRuns, exportBlocksFromJson } from "../exportModel";
import { renderMemoPdf } from "./renderMemoPdf";

// Header: the top marking; footer: the page number and the bottom marking (see renderMemoPdf).
const HEADER_BOTTOM = 70;
const FOOTER_TOP = 78;

let sample: JSONContent;
let samplePages: PdfPage[];
let samplePdf: Buffer;

beforeAll(async () => {
  sample = importSourceText(await readSampleSource());
  samplePdf = await renderMemoPdf(
    sourceOf(sample, { title: "Pakistan–U.S. Relations in 2025: A Strategic Realignment" }),
  );
  samplePages = await readPdf(samplePdf);
});

const bodyText = (pages: PdfPage[]) =>
  pages.map((page) => joinText(splitPage(page, HEADER_BOTTOM, FOOTER_TOP).body)).join(" ");

describe("renderMemoPdf", () => {
  it("prints every heading and paragraph of the sample memo, in order", () => {
    const blocks = exportBlocksFromJson(sample);
    expect(blocks.length).toBe(15);
    const texts = blocks.map((block) =>
      block.kind === "heading" || block.kind === "paragraph" ? textOfRuns(block.runs) : "",
    );
    expect(firstOutOfOrder(bodyText(samplePages), texts)).toBeNull();
    expect(samplePages.length).toBeGreaterThanOrEqual(3);
  });

  it("puts the marking at the top and bottom of every page, and a correct “Page X of Y”", () => {
    samplePages.forEach((page, index) => {
      const { header, footer } = splitPage(page, HEADER_BOTTOM, FOOTER_TOP);
      expect(joinText(header)).toBe(FULL_METADATA.marking);
      expect(joinText(footer)).toBe(`Page ${index + 1} of ${samplePages.length} ${FULL_METADATA.marking}`);
    });
  });

  it("opens with the title block: MEMORANDUM, To, From, Date and Subject", () => {
    const first = bodyText(samplePages.slice(0, 1));
    expect(
      firstOutOfOrder(first, [
        "MEMORANDUM",
        "TO The Ambassador",
        "FROM Amina Qureshi, Political Section",
        "DATE 26 November 2025",
        "SUBJECT Pakistan–U.S. realignment after May 2025",
        "Pakistan-US bilateral relations",
      ]),
    ).toBeNull();
  });

  it("ends with the distribution list", () => {
    const text = bodyText(samplePages);
    expect(text.endsWith("DISTRIBUTION Deputy Chief of Mission Desk Officer, South Asia")).toBe(true);
  });

  it("embeds its own fonts and names the memo in the document info", async () => {
    const raw = samplePdf.toString("latin1");
    expect(raw.startsWith("%PDF-")).toBe(true);
    expect(raw).toMatch(/\/FontFile2/u);
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/u);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+SourceSerif4-Regular/u);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+Inter/u);
    expect(await readPdfInfo(samplePdf)).toEqual({
      title: "Pakistan–U.S. Relations in 2025: A Strategic Realignment",
      author: FULL_METADATA.from,
    });
  });

  it("sets headings, marks, lists, quotes and clickable links", async () => {
    const pdf = await renderMemoPdf(sourceOf(FORMATTED_BODY));
    const pages = await readPdf(pdf);
    const text = bodyText(pages);
    expect(
      firstOutOfOrder(text, [
        "Key judgements",
        "Plain, bold, italic and underlined words.",
        "• First bullet",
        "• Second bullet",
        "3. Third step",
        "– Nested point",
        "4. Fourth step",
        "Sources",
        "A quoted assessment.",
        "See the embassy statement.",
        "After a line break.",
        "Outlook",
        "Last paragraph.",
      ]),
    ).toBeNull();
    expect(pages[0].links).toEqual([{ url: "https://example.org/statement?a=1&b=2" }]);
    const raw = pdf.toString("latin1");
    for (const style of ["SourceSerif4-Bold", "SourceSerif4-Italic", "SourceSerif4-SemiBold"])
      expect(raw).toContain(`+${style}`);
  });

  it("prints numbered endnotes after the body and before the distribution list", async () => {
    const pages = await readPdf(
      await renderMemoPdf(
        sourceOf(FORMATTED_BODY, {
          endnotes: [
            { author: "Daniel Okafor", text: "Check the date.", quote: "Third step" },
            { author: "Sofia Marin", text: "Agreed." },
          ],
        }),
      ),
    );
    expect(
      firstOutOfOrder(bodyText(pages), [
        "Last paragraph.",
        "NOTES",
        "1. Daniel Okafor: “Third step” Check the date.",
        "2. Sofia Marin: Agreed.",
        "DISTRIBUTION",
      ]),
    ).toBeNull();
  });

  it("exports a memo with no metadata: subject from the title, date of the export, default marking", async () => {
    const metadata = {
      to: "",
      from: "",
      date: null,
      subject: "",
      distribution: [],
      marking: "UNCLASSIFIED",
      language: null,
    };
    const pages = await readPdf(await renderMemoPdf(sourceOf(FORMATTED_BODY, { metadata })));
    expect(
      firstOutOfOrder(bodyText(pages), ["MEMORANDUM DATE 27 November 2025 SUBJECT Test memo Key judgements"]),
    ).toBeNull();
    expect(joinText(splitPage(pages[0], HEADER_BOTTOM, FOOTER_TOP).header)).toBe("UNCLASSIFIED");
  });

  it("exports an empty memo as one page with its title block and markings", async () => {
    const pages = await readPdf(
      await renderMemoPdf(
        sourceOf(
          { type: "doc", content: [{ type: "paragraph" }] },
          { metadata: { ...FULL_METADATA, subject: "", distribution: [] } },
        ),
      ),
    );
    expect(pages).toHaveLength(1);
    expect(bodyText(pages)).toBe(
      "MEMORANDUM TO The Ambassador FROM Amina Qureshi, Political Section DATE 26 November 2025 SUBJECT Test memo",
    );
    expect(joinText(splitPage(pages[0], HEADER_BOTTOM, FOOTER_TOP).footer)).toBe(
      `Page 1 of 1 ${FULL_METADATA.marking}`,
    );
  });

  it("prints hostile text literally, wraps a 20,000-character word inside the margins, and survives emoji and right-to-left text", async () => {
    const pages = await readPdf(await renderMemoPdf(sourceOf(HOSTILE_BODY)));
    const text = bodyText(pages);
    const contains = (part: string) => expect(text.includes(part), part.slice(0, 80)).toBe(true);
    contains(normalizeText(HOSTILE_TEXTS.html));
    contains(normalizeText(HOSTILE_TEXTS.markdown));
    contains("<h1>Heading</h1> ## and *stars*");
    expect(text.replace(/\s/gu, "").includes(HOSTILE_TEXTS.longWord)).toBe(true);
    contains("Talks went well 👍");
    contains("🇵🇰🤝🇺🇸");
    contains("controlcharsand a lone surrogate");
    expect(pages.length).toBeGreaterThan(3);
    // No line runs past the right margin. (pdf.js misreports the width of shaped Arabic; those lines were
    // checked by eye on the rendered page.)
    for (const page of pages) {
      for (const item of splitPage(page, HEADER_BOTTOM, FOOTER_TOP).body.filter(
        (candidate) => !/[\u0590-\u06FF]/u.test(candidate.text),
      )) {
        expect(item.x + item.width, item.text.slice(0, 60)).toBeLessThanOrEqual(page.width - 72 + 0.5);
      }
    }
    // pdf.js reads right-to-left text back in logical order. Hebrew comes back word for word; Noto
    // Sans Arabic draws the dots of letters as separate glyphs, so copied Arabic loses its dots and
    // only its presence is checked.
    contains("וגם משפט בעברית.");
    expect(text).toMatch(/[\u0600-\u06FF]{3} [\u0600-\u06FF]{2}/u);
  });

  it("sets a line mixing Arabic, English and an emoji in bidi order, every run beside the next, in either paragraph direction", async () => {
    // Rendered after a memo whose Arabic starts with feh, which shares its glyph with the qaf below
    // (they differ by their dots): fonts are parsed once per thread, and the text layer must still
    // name this memo's own letters (pdfFontOf).
    await renderMemoPdf(
      sourceOf({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "فالت" }] }] }),
    );
    const [page] = await readPdf(
      await renderMemoPdf(sourceOf(BIDI_BODY, { metadata: { ...FULL_METADATA, distribution: [] } })),
    );
    // Items with a letter or an emoji (pdf.js also reports the dots of Arabic letters, drawn a little
    // higher or lower, as items of their own), by line: the line of each "today", left to right.
    const body = splitPage(page, HEADER_BOTTOM, FOOTER_TOP).body.filter((item) =>
      /[\p{L}\p{Extended_Pictographic}]/u.test(item.text),
    );
    const lines = body
      .filter((item) => item.text.includes("today"))
      .map((today) => body.filter((item) => Math.abs(item.y - today.y) < 4).sort((a, b) => a.x - b.x));
    expect(lines).toHaveLength(2);
    // What each drawn run is, told apart by text pdf.js can read back (it reads the dots of Arabic letters
    // as control characters).
    const nameOf = (text: string) => {
      const letters = text.replace(/[^\p{L}\p{Extended_Pictographic} ]/gu, "").trim();
      return /الور|قالت/u.test(letters) ? "قالت الوزارة" : /العالم|مرحب/u.test(letters) ? "مرحبا بالعالم" : letters;
    };
    // pdf.js may cut one Arabic run into several items where a dot is positioned on its own: side by
    // side items of one run are put back together.
    const [rtl, ltr] = lines.map((line) =>
      line.reduce<{ name: string; x: number; right: number }[]>((runs, item) => {
        const name = nameOf(item.text);
        const last = runs.at(-1);
        if (last?.name === name) last.right = Math.max(last.right, item.x + item.width);
        else runs.push({ name, x: item.x, right: item.x + item.width });
        return runs;
      }, []),
    );
    expect(rtl.map((run) => run.name)).toEqual(["today", "🎉", "مرحبا بالعالم", "The ministry said", "قالت الوزارة"]);
    expect(ltr.map((run) => run.name)).toEqual(["The ministry said", "مرحبا بالعالم", "🎉", "today"]);
    for (const line of [rtl, ltr]) {
      // pdf.js counts the width of the last mark glyph (a dot drawn with its own offset) of an Arabic run
      // past the run's end, up to about 1.5 pt: the tolerance. Overprinted runs overlapped by tens of points.
      for (let index = 1; index < line.length; index++)
        expect(line[index - 1].right, line[index].name).toBeLessThanOrEqual(line[index].x + 2);
    }
    // The right-to-left paragraph ends on the right margin, the left-to-right one starts on the left.
    expect(Math.abs(rtl.at(-1)!.right - (page.width - 72))).toBeLessThan(2);
    expect(ltr[0].x).toBeCloseTo(72, 0);
  });

  it("refuses a body that does not fit the memo schema", async () => {
    await expect(
      renderMemoPdf(
        sourceOf({ type: "doc", content: [{ type: "codeBlock", content: [{ type: "text", text: "x" }] }] }),
      ),
    ).rejects.toThrow();
  });
});

describe("right-to-left lists and quotes", () => {
  it("put an Arabic list's markers and an Arabic quote's text on the right, and an English list's on the left", async () => {
    const para = (value: string) => ({ type: "paragraph", content: [{ type: "text", text: value }] });
    const bullets = (...items: string[]) => ({
      type: "bulletList",
      content: items.map((item) => ({ type: "listItem", content: [para(item)] })),
    });
    const body = {
      type: "doc",
      content: [
        bullets("بند أول في القائمة", "بند ثان"),
        bullets("First English item", "Second English item"),
        { type: "blockquote", content: [para("اقتباس من البيان الرسمي")] },
      ],
    };
    const [page] = await readPdf(
      await renderMemoPdf(sourceOf(body, { metadata: { ...FULL_METADATA, distribution: [] } })),
    );
    const items = splitPage(page, HEADER_BOTTOM, FOOTER_TOP).body;
    const arabicLines = items.filter((item) => /[\u0600-\u06FF]/u.test(item.text)).sort((a, b) => a.y - b.y);
    const firstArabic = arabicLines[0];
    // The Arabic list's markers are right of its text; the English list's (drawn with its text) at the left margin.
    const arabicMarkers = items.filter((item) => item.text.trim() === "•");
    expect(arabicMarkers).toHaveLength(2);
    const arabicMarker = arabicMarkers.find((marker) => Math.abs(marker.y - firstArabic.y) < 4)!;
    expect(arabicMarker.x).toBeGreaterThan(firstArabic.x + firstArabic.width);
    expect(arabicMarker.x).toBeGreaterThan(page.width / 2);
    const english = items.filter((item) => item.text.startsWith("• ") && /English item/u.test(item.text));
    expect(english).toHaveLength(2);
    for (const item of english) expect(item.x).toBeLessThan(page.width / 4);
    // The Arabic quote is set against the right margin (indented from it), not from the left.
    const quote = arabicLines[arabicLines.length - 1];
    expect(quote.x).toBeGreaterThan(page.width / 2);
  });
});
