import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  Packer,
  PageNumber,
  Paragraph,
  TabStopType,
  TextRun,
  type IStylesOptions,
} from "docx";
import { MARKING_COLORS, markingTone } from "../../../common/memos/markingTone";
import {
  exportBlocksOf,
  isBlankBlock,
  titleBlockOf,
  type Endnote,
  type MemoExportSource,
  type TitleBlock,
} from "../exportModel";
import { docxBody, docxRuns, NumberingDefinitions } from "./docxBody";

// A memo as a Word document (A4): the marking in the page header and footer, "Page X of Y" from
// Word's PAGE and NUMPAGES fields, the title block, the body, endnotes and distribution, in the
// same order as the PDF. Fonts are ones every Word installation has (Georgia, Arial), since a
// .docx is meant to be edited further, not to look identical everywhere.

const SERIF = "Georgia";
const SANS = "Arial";
const TEXT_COLOR = "1B1D21";
const LABEL_COLOR = "5B616B";
const HEADING_COLOR = "14213D";
/** Label column of the title block, in twentieths of a point. */
const LABEL_WIDTH = 1300;

const STYLES: IStylesOptions = {
  default: {
    document: { run: { font: SERIF, size: 22, color: TEXT_COLOR }, paragraph: { spacing: { after: 160, line: 300 } } },
    heading1: {
      run: { font: SERIF, size: 31, bold: true, color: HEADING_COLOR },
      paragraph: { spacing: { before: 320, after: 140 }, keepNext: true },
    },
    heading2: {
      run: { font: SERIF, size: 26, bold: true, color: HEADING_COLOR },
      paragraph: { spacing: { before: 280, after: 120 }, keepNext: true },
    },
    heading3: {
      run: { font: SERIF, size: 23, bold: true, color: HEADING_COLOR },
      paragraph: { spacing: { before: 200, after: 80 }, keepNext: true },
    },
    hyperlink: { run: { color: "1F4E9C", underline: {} } },
  },
  paragraphStyles: [
    {
      id: "MemoLabel",
      name: "Memo Label",
      run: { font: SANS, size: 16, bold: true, color: LABEL_COLOR },
      paragraph: { spacing: { after: 120 } },
    },
    { id: "MemoQuote", name: "Memo Quote", basedOn: "Normal", run: { color: "3A3F47" } },
    {
      id: "MemoMarking",
      name: "Memo Marking",
      run: { font: SANS, size: 18, bold: true },
      paragraph: { alignment: AlignmentType.CENTER },
    },
  ],
};

function marking(text: string): Paragraph {
  const color = MARKING_COLORS[markingTone(text)].slice(1).toUpperCase();
  return new Paragraph({ style: "MemoMarking", children: [new TextRun({ text, color })] });
}

function label(text: string): Paragraph {
  return new Paragraph({ style: "MemoLabel", children: [new TextRun(text)] });
}

function titleBlock(facts: TitleBlock): Paragraph[] {
  const rows: [string, string, boolean][] = [
    ["TO", facts.to, false],
    ["FROM", facts.from, false],
    ["DATE", facts.date, false],
    ["SUBJECT", facts.subject, true],
  ];
  const lines = rows
    .filter(([, value]) => value)
    .map(
      ([name, value, bold], index, all) =>
        new Paragraph({
          // Label, tab, value: a hanging indent keeps a long value aligned with its first line.
          tabStops: [{ type: TabStopType.LEFT, position: LABEL_WIDTH }],
          indent: { left: LABEL_WIDTH, hanging: LABEL_WIDTH },
          spacing: { after: index === all.length - 1 ? 240 : 80 },
          border:
            index === all.length - 1
              ? { bottom: { style: BorderStyle.SINGLE, size: 8, color: TEXT_COLOR, space: 10 } }
              : undefined,
          children: [
            new TextRun({ text: name, font: SANS, size: 16, bold: true, color: LABEL_COLOR }),
            new TextRun({ text: "\t" }),
            ...docxRuns([{ text: value, bold, italic: false, underline: false }]),
          ],
        }),
    );
  return [label("MEMORANDUM"), ...lines, new Paragraph({ spacing: { after: 120 }, children: [] })];
}

function endnotes(notes: Endnote[]): Paragraph[] {
  return [
    new Paragraph({ spacing: { before: 240 }, style: "MemoLabel", children: [new TextRun("NOTES")] }),
    ...notes.map(
      (note, index) =>
        new Paragraph({
          indent: { left: 400, hanging: 400 },
          tabStops: [{ type: TabStopType.LEFT, position: 400 }],
          spacing: { after: 80 },
          children: [
            new TextRun({ text: `${index + 1}.\t`, size: 19 }),
            ...docxRuns([
              { text: `${note.author}: `, bold: true, italic: false, underline: false },
              ...(note.quote ? [{ text: `“${note.quote}” `, bold: false, italic: true, underline: false }] : []),
              { text: note.text, bold: false, italic: false, underline: false },
            ]),
          ],
        }),
    ),
  ];
}

function distribution(entries: string[]): Paragraph[] {
  return [
    new Paragraph({ spacing: { before: 280 }, style: "MemoLabel", children: [new TextRun("DISTRIBUTION")] }),
    ...entries.map(
      (entry) => new Paragraph({ spacing: { after: 40 }, children: [new TextRun({ text: entry, size: 20 })] }),
    ),
  ];
}

/** Renders a memo (its current state or any version) as a .docx file. */
export async function renderMemoDocx(source: MemoExportSource): Promise<Buffer> {
  const blocks = exportBlocksOf(source);
  const facts = titleBlockOf(source);
  const numbering = new NumberingDefinitions();
  const body = blocks.every(isBlankBlock) ? [] : docxBody(blocks, numbering);
  const document = new Document({
    title: source.title,
    subject: facts.subject,
    creator: facts.from || "Demarche",
    description: facts.marking,
    styles: STYLES,
    numbering: numbering.options(),
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1680, bottom: 1680, left: 1440, right: 1440, header: 680, footer: 560 },
          },
        },
        headers: { default: new Header({ children: [marking(facts.marking)] }) },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                spacing: { after: 80 },
                children: [
                  new TextRun({
                    children: ["Page ", PageNumber.CURRENT, " of ", PageNumber.TOTAL_PAGES],
                    font: SANS,
                    size: 16,
                    color: LABEL_COLOR,
                  }),
                ],
              }),
              marking(facts.marking),
            ],
          }),
        },
        children: [
          ...titleBlock(facts),
          ...body,
          ...(source.endnotes?.length ? endnotes(source.endnotes) : []),
          ...(facts.distribution.length ? distribution(facts.distribution) : []),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
