import { textOfRuns, type ExportBlock, type TextRun } from "../exportModel";
import { directionOf } from "../../../common/export/textDirection";
import { keepSpace, lineHeight, writeRuns, type Pdf, type TextBox } from "./pdfText";

// The memo body in the PDF: headings, paragraphs, lists and quotes, in the order of the export
// blocks. Quotes get a rule down their left side; it is drawn after layout (see QuoteRule) because
// a quote may run across pages.

/** Body typography, in points. */
export const BODY = { size: 11, lineGap: 3.4, color: "#1b1d21", paragraphAfter: 8 } as const;

const HEADING = {
  1: { size: 15.5, before: 16, after: 7 },
  2: { size: 13, before: 14, after: 6 },
  3: { size: 11.5, before: 10, after: 4 },
} as const;
const HEADING_COLOR = "#14213d";
const LIST_INDENT = 22;
const MARKER_GAP = 6;
const QUOTE_INDENT = 16;
const QUOTE_COLOR = "#3a3f47";

/** A vertical rule beside a quote, on one page. */
export type QuoteRule = { page: number; x: number; top: number; bottom: number };

/** Where the body is being set. */
export type BodyFrame = { x: number; width: number; color: string; rules: QuoteRule[]; page: () => number };

function paragraph(doc: Pdf, runs: TextRun[], frame: BodyFrame, after: number): void {
  const box: TextBox = {
    x: frame.x,
    width: frame.width,
    size: BODY.size,
    family: "serif",
    color: frame.color,
    lineGap: BODY.lineGap,
  };
  if (runs.length === 0) {
    doc.y += lineHeight(doc, "serif", BODY.size, BODY.lineGap) * 0.6;
    return;
  }
  writeRuns(doc, runs, box);
  doc.y += after;
}

function heading(doc: Pdf, block: Extract<ExportBlock, { kind: "heading" }>, frame: BodyFrame): void {
  const style = HEADING[block.level];
  doc.y += style.before;
  // Keep a heading with the first two lines that follow it.
  keepSpace(
    doc,
    lineHeight(doc, "serifSemiBold", style.size, 2) + 2 * lineHeight(doc, "serif", BODY.size, BODY.lineGap),
  );
  writeRuns(
    doc,
    block.runs.map((run) => ({ ...run, bold: false })),
    {
      x: frame.x,
      width: frame.width,
      size: style.size,
      family: "serifSemiBold",
      color: HEADING_COLOR,
      lineGap: 2,
    },
  );
  doc.y += style.after;
}

/** The text of the first paragraph or heading in `items`, however deep, or "". */
function firstText(items: ExportBlock[]): string {
  for (const block of items) {
    if (block.kind === "heading" || block.kind === "paragraph") return textOfRuns(block.runs);
    const inner = block.kind === "list" ? firstText(block.items[0] ?? []) : firstText(block.blocks);
    if (inner !== "") return inner;
  }
  return "";
}

/** A list or quote reads in the direction of its first paragraph, as in the editor (containerDirection.ts). */
const readsRightToLeft = (items: ExportBlock[]) => directionOf(firstText(items)) === "rtl";

function markerOf(ordered: boolean, number: number, depth: number): string {
  if (ordered) return `${number}.`;
  return ["•", "–", "•"][depth % 3];
}

function list(doc: Pdf, block: Extract<ExportBlock, { kind: "list" }>, frame: BodyFrame, depth: number): void {
  // Markers in the margin on the side the list starts from: the right for a right-to-left list.
  const rtl = readsRightToLeft([block]);
  const contentX = rtl ? frame.x : frame.x + LIST_INDENT;
  const markerX = rtl ? frame.x + frame.width - LIST_INDENT + MARKER_GAP : frame.x;
  block.items.forEach((item, index) => {
    keepSpace(doc, lineHeight(doc, "serif", BODY.size, BODY.lineGap));
    const top = doc.y;
    writeRuns(
      doc,
      [{ text: markerOf(block.ordered, block.start + index, depth), bold: false, italic: false, underline: false }],
      {
        x: markerX,
        width: LIST_INDENT - MARKER_GAP,
        size: BODY.size,
        family: "serif",
        color: frame.color,
        lineGap: BODY.lineGap,
        align: rtl ? "left" : "right",
      },
    );
    doc.y = top;
    blocks(doc, item, { ...frame, x: contentX, width: frame.width - LIST_INDENT }, depth + 1, 3);
  });
  doc.y += BODY.paragraphAfter - 3;
}

function quote(doc: Pdf, block: Extract<ExportBlock, { kind: "quote" }>, frame: BodyFrame, depth: number): void {
  const startPage = frame.page();
  const top = doc.y;
  // The rule on the side the quote starts from: the right for a right-to-left quote.
  const rtl = readsRightToLeft(block.blocks);
  blocks(
    doc,
    block.blocks,
    { ...frame, x: rtl ? frame.x : frame.x + QUOTE_INDENT, width: frame.width - QUOTE_INDENT, color: QUOTE_COLOR },
    depth,
    BODY.paragraphAfter,
  );
  const endPage = frame.page();
  const bottom = doc.y - BODY.paragraphAfter;
  for (let page = startPage; page <= endPage; page++) {
    frame.rules.push({
      page,
      x: rtl ? frame.x + frame.width - 2 : frame.x + 2,
      top: page === startPage ? top + 1 : doc.page.margins.top,
      bottom: page === endPage ? bottom : doc.page.height - doc.page.margins.bottom,
    });
  }
  doc.y += 2;
}

/** Sets blocks one after another from doc.y. */
export function blocks(
  doc: Pdf,
  items: ExportBlock[],
  frame: BodyFrame,
  depth = 0,
  paragraphAfter: number = BODY.paragraphAfter,
): void {
  for (const block of items) {
    if (block.kind === "heading") heading(doc, block, frame);
    else if (block.kind === "paragraph") paragraph(doc, block.runs, frame, paragraphAfter);
    else if (block.kind === "list") list(doc, block, frame, depth);
    else quote(doc, block, frame, depth);
  }
}
