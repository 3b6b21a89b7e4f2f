import PDFDocument from "pdfkit";
import { MARKING_COLORS, markingTone } from "../../../common/memos/markingTone";
import {
  exportBlocksOf,
  isBlankBlock,
  titleBlockOf,
  type Endnote,
  type MemoExportSource,
  type TitleBlock,
} from "../exportModel";
import { BODY, blocks, type QuoteRule } from "./pdfBody";
import { keepSpace, plainRuns, registerFonts, writeRuns, type Pdf } from "./pdfText";

// A memo as a briefing-ready PDF (A4): the marking at the top and bottom of every page, a title
// block (TO / FROM / DATE / SUBJECT), the body, numbered endnotes, the distribution list, and
// "Page X of Y". pdfkit lays the pages out first (bufferPages), then a second pass over the
// finished pages adds what depends on the page count or spans pages.

const PAGE = { size: "A4", margin: { top: 84, bottom: 84, side: 72 } } as const;
// Labels and markings are set without letter-spacing: spaced capitals copy out of a PDF as
// "M E M O", which breaks search and screen readers.
const LABEL = { size: 8, color: "#5b616b" } as const;
const RULE_COLOR = "#1b1d21";
const QUOTE_RULE_COLOR = "#c3c8d0";

function label(doc: Pdf, text: string, x: number, width: number): void {
  writeRuns(doc, plainRuns(text), {
    x,
    width,
    size: LABEL.size,
    family: "sansSemiBold",
    color: LABEL.color,
    lineGap: 0,
  });
}

function titleBlock(doc: Pdf, facts: TitleBlock, left: number, width: number): void {
  const labelWidth = 68;
  label(doc, "MEMORANDUM", left, width);
  doc.y += 14;
  const rows: [string, string, boolean][] = [
    ["TO", facts.to, false],
    ["FROM", facts.from, false],
    ["DATE", facts.date, false],
    ["SUBJECT", facts.subject, true],
  ];
  for (const [name, value, bold] of rows) {
    if (!value) continue;
    const top = doc.y;
    // Labels sit on the value's first baseline: 8 pt caps beside 11 pt text.
    doc.y = top + 2.6;
    label(doc, name, left, labelWidth);
    doc.y = top;
    writeRuns(doc, plainRuns(value, bold), {
      x: left + labelWidth,
      width: width - labelWidth,
      size: BODY.size,
      family: "serif",
      color: BODY.color,
      lineGap: 2.5,
    });
    doc.y += 5;
  }
  doc.y += 6;
  doc
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .lineWidth(1.1)
    .strokeColor(RULE_COLOR)
    .stroke();
  doc.y += 20;
}

function endnotes(doc: Pdf, notes: Endnote[], left: number, width: number): void {
  doc.y += 10;
  keepSpace(doc, 60);
  label(doc, "NOTES", left, width);
  doc.y += 6;
  notes.forEach((note, index) => {
    const top = doc.y;
    writeRuns(doc, plainRuns(`${index + 1}.`), {
      x: left,
      width: 18,
      size: 9.5,
      family: "serif",
      color: BODY.color,
      lineGap: 2,
      align: "right",
    });
    doc.y = top;
    const runs = [
      ...plainRuns(`${note.author}: `, true),
      ...(note.quote ? [{ text: `“${note.quote}” `, bold: false, italic: true, underline: false }] : []),
      ...plainRuns(note.text),
    ];
    writeRuns(doc, runs, {
      x: left + 24,
      width: width - 24,
      size: 9.5,
      family: "serif",
      color: BODY.color,
      lineGap: 2,
    });
    doc.y += 4;
  });
}

function distribution(doc: Pdf, entries: string[], left: number, width: number): void {
  doc.y += 14;
  keepSpace(doc, 40);
  label(doc, "DISTRIBUTION", left, width);
  doc.y += 5;
  for (const entry of entries) {
    writeRuns(doc, plainRuns(entry), { x: left, width, size: 10, family: "serif", color: BODY.color, lineGap: 2 });
    doc.y += 1;
  }
}

/** Draws the markings, page numbers and quote rules on every finished page. */
function finishPages(doc: Pdf, marking: string, rules: QuoteRule[]): void {
  const { start, count } = doc.bufferedPageRange();
  const color = MARKING_COLORS[markingTone(marking)];
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    const { width, height } = doc.page;
    // Text in the margins must not make pdfkit start a new page.
    doc.page.margins.bottom = 0;
    const markingBox = {
      x: PAGE.margin.side,
      width: width - 2 * PAGE.margin.side,
      size: 9,
      family: "sansBold",
      color,
      lineGap: 0,
      align: "center",
    } as const;
    doc.y = 34;
    writeRuns(doc, plainRuns(marking), markingBox);
    doc.y = height - 64;
    writeRuns(doc, plainRuns(`Page ${index - start + 1} of ${count}`), {
      ...markingBox,
      size: 8,
      family: "sans",
      color: LABEL.color,
      align: "right",
    });
    doc.y = height - 46;
    writeRuns(doc, plainRuns(marking), markingBox);
    for (const rule of rules.filter((candidate) => candidate.page === index)) {
      doc.moveTo(rule.x, rule.top).lineTo(rule.x, rule.bottom).lineWidth(2).strokeColor(QUOTE_RULE_COLOR).stroke();
    }
  }
}

/** Renders a memo (its current state or any version) as a PDF. */
export async function renderMemoPdf(source: MemoExportSource): Promise<Buffer> {
  const body = exportBlocksOf(source);
  const facts = titleBlockOf(source);
  const doc: Pdf = new PDFDocument({
    size: PAGE.size,
    margins: { top: PAGE.margin.top, bottom: PAGE.margin.bottom, left: PAGE.margin.side, right: PAGE.margin.side },
    bufferPages: true,
    // No built-in font: pdfkit would read Helvetica's metrics from disk, and we embed our own.
    font: "",
    lang: "en",
    displayTitle: true,
    info: {
      Title: source.title,
      Subject: facts.subject,
      // pdfkit hashes every info value: an absent one must be left out, not undefined.
      ...(facts.from ? { Author: facts.from } : {}),
      Creator: "Demarche",
      CreationDate: source.exportedAt,
      ModDate: source.exportedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  registerFonts(doc);
  const left = PAGE.margin.side;
  const width = doc.page.width - 2 * PAGE.margin.side;
  let page = 0;
  doc.on("pageAdded", () => (page += 1));
  const rules: QuoteRule[] = [];

  doc.y = PAGE.margin.top;
  titleBlock(doc, facts, left, width);
  const content = body.every(isBlankBlock) ? [] : body;
  blocks(doc, content, { x: left, width, color: BODY.color, rules, page: () => page });
  if (source.endnotes?.length) endnotes(doc, source.endnotes, left, width);
  if (facts.distribution.length) distribution(doc, facts.distribution, left, width);
  finishPages(doc, facts.marking, rules);
  doc.end();
  return finished;
}
