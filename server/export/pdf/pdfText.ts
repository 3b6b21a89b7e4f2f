import type PDFDocument from "pdfkit";
import { textOfRuns, type TextRun } from "../exportModel";
import { FACES, fontChain, loadFace, pdfFontOf, type FontFace } from "./pdfFonts";
import { directionOf, type Direction } from "../../../common/export/textDirection";
import { breakLongWords, splitByFont } from "./fontRuns";
import { layoutLines, type DrawnRun, type Span } from "./lineLayout";

// Rich text in pdfkit: a paragraph is split into runs of one font and style (fontRuns.ts), laid out
// in lines and reordered for right-to-left text by lineLayout.ts, and every run is drawn at its own
// x with `lineBreak: false`. pdfkit's own wrapping of `continued` text is not used: it aligns each
// fragment on its own, which overprinted right-aligned lines of several fonts.

/** A pdfkit document. */
export type Pdf = InstanceType<typeof PDFDocument>;

/** Font family names understood by `fontChain`. */
export type Family = Parameters<typeof fontChain>[0];

/** Where and how a block of text is set. */
export type TextBox = {
  x: number;
  width: number;
  size: number;
  family: Family;
  color: string;
  /** Extra space between lines, in points. */
  lineGap: number;
  /** Default: right for right-to-left text, else left. */
  align?: "left" | "center" | "right";
  /** Which way the paragraph reads. Default: from its first strong character (as `dir="auto"`). */
  direction?: Direction;
};

/** Colour of link text. */
export const LINK_COLOR = "#1f4e9c";

/**
 * Registers every face with the document as the parsed fontkit font this thread keeps (pdfFonts.ts),
 * not as bytes: from bytes pdfkit parses the font again for every document, and decoding its
 * OpenType lookup tables was two thirds of a small memo's PDF (about 100 ms of 150). pdfkit takes a
 * fontkit font as it is (its PDFFontFactory) and subsets it per document.
 */
export function registerFonts(doc: Pdf): void {
  for (const face of Object.values(FACES))
    doc.registerFont(face.name, pdfFontOf(face) as unknown as PDFKit.Mixins.PDFFontSource);
}

// Noto Emoji has a space a full em wide; spaces next to an emoji are set in the text's own font.
const SPACE = /^\s$/u;
const covers = (face: FontFace, codePoint: number) =>
  (face !== FACES.emoji || !SPACE.test(String.fromCodePoint(codePoint))) &&
  loadFace(face).font.hasGlyphForCodePoint(codePoint);

/** Ascent and line height of a face at `size`, in points (what pdfkit uses to place a line). */
function metrics(face: FontFace, size: number): { ascent: number; lineHeight: number } {
  const font = loadFace(face).font;
  const scale = size / font.unitsPerEm;
  return { ascent: font.ascent * scale, lineHeight: (font.ascent - font.descent + font.lineGap) * scale };
}

// Widths measured in a document, kept for the whole document: one memo repeats its words across
// thousands of paragraphs, and each measure asks pdfkit (and fontkit) to lay the text out again.
const measuredWidths = new WeakMap<Pdf, Map<string, number>>();
const widthsOf = (doc: Pdf) => {
  let widths = measuredWidths.get(doc);
  if (!widths) measuredWidths.set(doc, (widths = new Map()));
  return widths;
};

/** Sets styled runs at doc.y in `box`, wrapping and breaking pages as needed; doc.y ends below them. */
export function writeRuns(doc: Pdf, runs: TextRun[], box: TextBox): void {
  let text = "";
  const spans: Span<FontFace, TextRun>[] = [];
  for (const run of runs) {
    for (const piece of splitByFont(breakLongWords(run.text), fontChain(box.family, run), covers)) {
      spans.push({ face: piece.face, style: run, start: text.length, end: text.length + piece.text.length });
      text += piece.text;
    }
  }
  if (spans.length === 0) return;
  const direction = box.direction ?? directionOf(textOfRuns(runs));
  const align = box.align ?? (direction === "rtl" ? "right" : "left");
  // Every run sits on the baseline of the style's own font, and lines advance by its height:
  // fallback fonts (Noto Arabic is much taller) would otherwise jump off the line.
  const base = metrics(fontChain(box.family, { bold: false, italic: false })[0], box.size);
  const widths = widthsOf(doc);
  const measure = (face: FontFace, piece: string, rtlScript: boolean) => {
    const key = `${face.name}\u0000${box.size}\u0000${rtlScript}\u0000${piece}`;
    let width = widths.get(key);
    if (width === undefined) {
      width = doc
        .font(face.name)
        .fontSize(box.size)
        .widthOfString(piece, { features: featuresFor(rtlScript) });
      widths.set(key, width);
    }
    return width;
  };
  for (const line of layoutLines(text, spans, direction, box.width, measure)) {
    if (doc.y + base.lineHeight > doc.page.maxY()) doc.addPage();
    const top = doc.y;
    const left =
      box.x + (align === "right" ? box.width - line.width : align === "center" ? (box.width - line.width) / 2 : 0);
    // Drawn in reading order, each at its place: text copied out of the PDF, searched or read
    // aloud comes in the order it was written, not in the order it appears.
    for (const run of [...line.runs].sort((a, b) => a.start - b.start)) drawRun(doc, run, left + run.x, top, box, base);
    doc.x = box.x;
    doc.y = top + base.lineHeight + box.lineGap;
  }
}

// pdfkit without `features` lays text out word by word (cached) and joins the words left to right,
// which is right for left-to-right text and puts the words of an Arabic or Hebrew run in reverse
// order. With them, fontkit lays the run out as a whole, right to left. Runs are measured with the
// same options they are drawn with.
const RTL_FEATURES: PDFKit.Mixins.OpenTypeFeatures[] = ["kern"];
const featuresFor = (rtlScript: boolean) => (rtlScript ? RTL_FEATURES : undefined);

/** A review copy's suggestions: insertions underlined in blue, deletions struck through in red. */
const CHANGE_COLORS = { insertion: "#1f5fbf", deletion: "#b4233c" } as const;

function drawRun(
  doc: Pdf,
  run: DrawnRun<FontFace, TextRun>,
  x: number,
  top: number,
  box: TextBox,
  base: { ascent: number; lineHeight: number },
): void {
  const { href, underline, change } = run.style;
  const color = change ? CHANGE_COLORS[change.kind] : href ? LINK_COLOR : box.color;
  doc.font(run.face.name).fontSize(box.size).fillColor(color);
  doc.text(run.text, x, top, {
    lineBreak: false,
    baseline: -base.ascent,
    features: featuresFor(run.rtlScript),
    link: href ?? null,
    underline: false,
  });
  const thickness = box.size < 10 ? 0.5 : Math.floor(box.size / 10);
  const rule = (y: number) =>
    doc
      .save()
      .moveTo(x, y)
      .lineTo(x + run.width, y)
      .lineWidth(thickness)
      .strokeColor(color)
      .stroke()
      .restore();
  // A review copy's suggested deletion is struck through, at the middle of the letters.
  if (change?.kind === "deletion") rule(top + base.ascent * 0.62);
  // Drawn here rather than by pdfkit, which puts it one line height of the run's own font down:
  // lower under an Arabic run than under the Latin beside it.
  if (underline || href !== undefined || change?.kind === "insertion") rule(top + base.lineHeight - thickness);
}

/** Plain text as one run in the family's regular style. */
export function plainRuns(text: string, bold = false): TextRun[] {
  return text ? [{ text, bold, italic: false, underline: false }] : [];
}

/** Height of one line of the family at `size`, with the gap. */
export function lineHeight(doc: Pdf, family: Family, size: number, lineGap: number): number {
  return (
    doc
      .font(fontChain(family, { bold: false, italic: false })[0].name)
      .fontSize(size)
      .currentLineHeight(true) + lineGap
  );
}

/** Starts a new page unless `height` points still fit above the bottom margin. */
export function keepSpace(doc: Pdf, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
}
