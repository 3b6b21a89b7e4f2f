import type PDFDocument from "pdfkit";
import { textOfRuns, type TextRun } from "../exportModel";
import { FACES, fontChain, loadFace, type FontFace } from "./pdfFonts";
import { isRightToLeft } from "../textDirection";
import { breakLongWords, splitByFont } from "./fontRuns";

// Rich text in pdfkit: a paragraph is a sequence of `text(…, { continued: true })` calls, one per
// stretch of one font and style, which pdfkit wraps as one flow. Options carry over between
// continued calls unless given, so every call states underline and link explicitly.

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
};

/** Colour of link text. */
export const LINK_COLOR = "#1f4e9c";

/** Registers every face with the document (pdfkit parses a face only when it is first used). */
export function registerFonts(doc: Pdf): void {
  for (const face of Object.values(FACES)) doc.registerFont(face.name, loadFace(face).data);
}

const covers = (face: FontFace, codePoint: number) => loadFace(face).font.hasGlyphForCodePoint(codePoint);

/** Ascent and line height of a face at `size`, in points (what pdfkit uses to place a line). */
function metrics(face: FontFace, size: number): { ascent: number; lineHeight: number } {
  const font = loadFace(face).font;
  const scale = size / font.unitsPerEm;
  return { ascent: font.ascent * scale, lineHeight: (font.ascent - font.descent + font.lineGap) * scale };
}

/** Sets styled runs at doc.y in `box`, wrapping and breaking pages as needed; doc.y ends below them. */
export function writeRuns(doc: Pdf, runs: TextRun[], box: TextBox): void {
  const pieces = runs.flatMap((run) =>
    splitByFont(breakLongWords(run.text), fontChain(box.family, run), covers).map((piece) => ({ ...piece, run })),
  );
  if (pieces.length === 0) return;
  const align = box.align ?? (isRightToLeft(textOfRuns(runs)) ? "right" : "left");
  // pdfkit puts each piece's baseline one ascent of its own font below the line top, and advances
  // lines by the current font's height; fallback fonts (Noto Arabic is much taller) would jump off
  // the line. Every piece uses the baseline and line height of the style's own font instead.
  const base = metrics(fontChain(box.family, { bold: false, italic: false })[0], box.size);
  // Without `features`, pdfkit lays out text word by word and joins the words left to right, which
  // puts the words of an Arabic or Hebrew run in the wrong order and its spaces at the ends. With
  // them, fontkit lays out each line of a run as a whole, in right-to-left order. It skips pdfkit's
  // per-word cache, so only paragraphs that hold such text pay for it (options carry over between
  // continued calls, hence all of the paragraph's pieces or none).
  const features: PDFKit.Mixins.OpenTypeFeatures[] | undefined = pieces.some((piece) => isRightToLeft(piece.text)) ? ["kern"] : undefined;
  // pdfkit right-aligns a line by its width without the trailing space, but draws that space too;
  // laid out right to left, the space comes first and pushes the line past the margin. Narrowing
  // the box by one space puts the line's last visible glyph on the margin.
  const rtlPiece = features && align === "right" ? pieces.find((piece) => isRightToLeft(piece.text)) : undefined;
  const width = rtlPiece ? box.width - doc.font(rtlPiece.face.name).fontSize(box.size).widthOfString(" ") : box.width;
  doc.x = box.x;
  pieces.forEach((piece, index) => {
    const { href, underline } = piece.run;
    const own = metrics(piece.face, box.size);
    doc
      .font(piece.face.name)
      .fontSize(box.size)
      .fillColor(href ? LINK_COLOR : box.color);
    doc.text(piece.text, {
      width,
      align,
      lineGap: box.lineGap + base.lineHeight - own.lineHeight,
      baseline: -base.ascent,
      features,
      continued: index < pieces.length - 1,
      underline: underline || href !== undefined,
      link: href ?? null,
    });
  });
}

/** Plain text as one run in the family's regular style. */
export function plainRuns(text: string, bold = false): TextRun[] {
  return text ? [{ text, bold, italic: false, underline: false }] : [];
}

/** Height of one line of the family at `size`, with the gap. */
export function lineHeight(doc: Pdf, family: Family, size: number, lineGap: number): number {
  return doc.font(fontChain(family, { bold: false, italic: false })[0].name).fontSize(size).currentLineHeight(true) + lineGap;
}

/** Starts a new page unless `height` points still fit above the bottom margin. */
export function keepSpace(doc: Pdf, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
}
