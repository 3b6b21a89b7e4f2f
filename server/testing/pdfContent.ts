import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

// Reads a PDF back the way a reader's viewer would (Mozilla's pdf.js), for tests: the text of each
// page split into header, body and footer by position, and the link annotations.

/** A piece of text on a page, at (x, y) from the page's top-left corner, in points. */
export type PdfTextItem = { text: string; x: number; y: number; width: number; endOfLine: boolean; font: string };

/** One page as read back. */
export type PdfPage = { width: number; height: number; items: PdfTextItem[]; links: { url: string }[] };

/** Every page of a PDF, with its text items in reading order and its link annotations. */
export async function readPdf(bytes: Uint8Array): Promise<PdfPage[]> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: PdfPage[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const [, , width, height] = page.view;
    const content = await page.getTextContent();
    const items: PdfTextItem[] = [];
    for (const item of content.items) {
      if (!("str" in item)) continue;
      items.push({
        text: item.str,
        x: item.transform[4],
        y: height - item.transform[5],
        width: item.width,
        endOfLine: item.hasEOL,
        font: item.fontName,
      });
    }
    const annotations = (await page.getAnnotations()) as { subtype: string; url?: string }[];
    pages.push({
      width,
      height,
      items,
      links: annotations.filter((note) => note.subtype === "Link" && note.url).map((note) => ({ url: note.url! })),
    });
  }
  await pdf.destroy();
  return pages;
}

/** The document's Title and Author, as a viewer's "Properties" shows them. */
export async function readPdfInfo(bytes: Uint8Array): Promise<{ title?: string; author?: string }> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false }).promise;
  const { info } = (await pdf.getMetadata()) as { info: { Title?: string; Author?: string } };
  await pdf.destroy();
  return { title: info.Title, author: info.Author };
}

/** Text of items joined as a reader would copy it: a space at each line end, no zero-width spaces,
 * whitespace collapsed. */
export function joinText(items: PdfTextItem[]): string {
  return normalizeText(items.map((item) => item.text + (item.endOfLine ? " " : "")).join(""));
}

/** Whitespace collapsed and zero-width spaces removed, for comparing texts. */
export function normalizeText(text: string): string {
  return text
    .replace(/\u200B/gu, "")
    .replace(/\s+/gu, " ")
    .trim();
}

/** Items above `top` (the header), between (the body) and below `bottom` (the footer). */
export function splitPage(page: PdfPage, top: number, bottom: number) {
  return {
    header: page.items.filter((item) => item.y < top),
    body: page.items.filter((item) => item.y >= top && item.y <= page.height - bottom),
    footer: page.items.filter((item) => item.y > page.height - bottom),
  };
}

// Lines may break after a hyphen ("bi-" / "lateral"), and a reader's copy then holds "bi- lateral";
// comparisons drop whitespace after hyphens on both sides.
const comparable = (text: string) => normalizeText(text).replace(/-\s+/gu, "-");

/** The first of `parts` that does not occur in `text` after the parts before it, or null when all
 * occur in order. */
export function firstOutOfOrder(text: string, parts: string[]): string | null {
  const haystack = comparable(text);
  let from = 0;
  for (const part of parts) {
    const needle = comparable(part);
    const at = haystack.indexOf(needle, from);
    if (at < 0) return part;
    from = at + needle.length;
  }
  return null;
}
