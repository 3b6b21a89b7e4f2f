import {
  BorderStyle,
  DeletedTextRun,
  InsertedTextRun,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Paragraph,
  TextRun,
  type ILevelsOptions,
  type INumberingOptions,
  type ParagraphChild,
} from "docx";
import { textOfRuns, type ExportBlock, type TextRun as ExportRun } from "../exportModel";
import { directionOf, embeddingLevels, type Direction } from "../../../common/export/textDirection";

// The memo body as Word paragraphs, in the order of the export blocks. Lists use Word numbering
// (real bullets and numbers a reader can keep editing); every ordered list gets its own numbering
// definition so it restarts at its own start value.

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
/** Indent per list level and per quote, in twentieths of a point. */
const INDENT = 360;
const BULLETS = ["•", "–", "•", "–", "•", "–", "•", "–", "•"];
/** The numbering definition of bullet lists. */
export const BULLET_REFERENCE = "memo-bullets";

/** A stretch of one run's text that reads one way; `lineBreak` when a hard break precedes it. */
type Stretch = { text: string; rightToLeft: boolean; lineBreak: boolean };

// Word runs its own bidi algorithm, but decides per run whether the text is "complex script"
// (w:rtl: right-to-left neutrals, the cs font, w:bCs for bold). Marking a whole run by its first
// letter made "قالت … The ministry said" one right-to-left run, English included, and left the
// Arabic of an English paragraph unmarked; each run is cut where the bidi level's parity changes.
function stretchesOf(text: string, levels: Uint8Array, offset: number): Stretch[] {
  const stretches: Stretch[] = [];
  let at = offset;
  text.split("\n").forEach((line, lineIndex) => {
    const first = stretches.length;
    for (let index = 0; index < line.length; index++) {
      const rightToLeft = (levels[at + index] & 1) === 1;
      const last = stretches.length > first ? stretches[stretches.length - 1] : undefined;
      if (last?.rightToLeft === rightToLeft) last.text += line[index];
      else stretches.push({ text: line[index], rightToLeft, lineBreak: lineIndex > 0 && stretches.length === first });
    }
    if (stretches.length === first) stretches.push({ text: "", rightToLeft: false, lineBreak: lineIndex > 0 });
    at += line.length + 1;
  });
  return stretches;
}

/** Numbers for Word's revisions (w:ins and w:del), unique in one document. */
export class RevisionIds {
  private last = 0;
  next(): number {
    return ++this.last;
  }
}

/**
 * Word runs of styled text read in `direction`; a "\n" becomes a line break, a link a hyperlink,
 * and a review copy's suggestion a tracked change (w:ins, w:del) with its author and date, which
 * Word lists in its review pane and accepts or rejects as its own.
 */
export function docxRuns(
  runs: ExportRun[],
  direction: Direction = directionOf(textOfRuns(runs)),
  revisions = new RevisionIds(),
): ParagraphChild[] {
  const { levels } = embeddingLevels(textOfRuns(runs), direction);
  let offset = 0;
  return runs.flatMap((run): ParagraphChild[] => {
    const children = stretchesOf(run.text, levels, offset).map((stretch) => {
      const options = {
        text: stretch.text,
        break: stretch.lineBreak ? 1 : undefined,
        // Only set marks: an explicit "not bold" would override a heading style's bold.
        bold: run.bold || undefined,
        italics: run.italic || undefined,
        underline: run.underline ? {} : undefined,
        rightToLeft: stretch.rightToLeft || undefined,
        style: run.href ? "Hyperlink" : undefined,
      };
      if (!run.change) return new TextRun(options);
      const revision = { id: revisions.next(), author: run.change.author, date: run.change.date };
      return run.change.kind === "insertion"
        ? new InsertedTextRun({ ...options, ...revision })
        : new DeletedTextRun({ ...options, ...revision });
    });
    offset += run.text.length;
    return run.href ? [new ExternalHyperlink({ link: run.href, children })] : children;
  });
}

type Frame = { indent: number; quote: boolean; numbering: NumberingDefinitions; revisions: RevisionIds };

/** The numbering definitions the body needs, collected while its paragraphs are built. */
export class NumberingDefinitions {
  private readonly ordered: { reference: string; levels: ILevelsOptions[] }[] = [];

  /** A fresh numbering for one ordered list starting at `start`, at nesting `level`. */
  orderedList(start: number, level: number): string {
    const reference = `memo-numbers-${this.ordered.length + 1}`;
    const levels = Array.from({ length: 9 }, (_, index) =>
      levelOf(index, LevelFormat.DECIMAL, `%${index + 1}.`, index === level ? start : 1),
    );
    this.ordered.push({ reference, levels });
    return reference;
  }

  /** The `numbering` option of the document. */
  options(): INumberingOptions {
    const bullets = BULLETS.map((bullet, index) => levelOf(index, LevelFormat.BULLET, bullet, 1));
    return { config: [{ reference: BULLET_REFERENCE, levels: bullets }, ...this.ordered] };
  }
}

function levelOf(
  level: number,
  format: (typeof LevelFormat)[keyof typeof LevelFormat],
  text: string,
  start: number,
): ILevelsOptions {
  return {
    level,
    format,
    text,
    start,
    style: { paragraph: { indent: { left: INDENT * (level + 1), hanging: INDENT } } },
  };
}

const QUOTE_BORDER = { left: { style: BorderStyle.SINGLE, size: 12, color: "C3C8D0", space: 10 } };

function paragraphOf(runs: ExportRun[], frame: Frame, extra: Record<string, unknown> = {}): Paragraph {
  const direction = directionOf(textOfRuns(runs));
  return new Paragraph({
    children: docxRuns(runs, direction, frame.revisions),
    bidirectional: direction === "rtl" || undefined,
    indent: frame.indent ? { left: frame.indent } : undefined,
    border: frame.quote ? QUOTE_BORDER : undefined,
    style: frame.quote ? "MemoQuote" : undefined,
    ...extra,
  });
}

function listParagraphs(block: Extract<ExportBlock, { kind: "list" }>, frame: Frame, level: number): Paragraph[] {
  const reference = block.ordered ? frame.numbering.orderedList(block.start, level) : BULLET_REFERENCE;
  const itemIndent = frame.indent + INDENT * (level + 1);
  return block.items.flatMap((item) =>
    item.flatMap((child, index) => {
      if (index === 0 && child.kind === "paragraph")
        return [paragraphOf(child.runs, { ...frame, indent: 0 }, { numbering: { reference, level } })];
      return blocksOf([child], { ...frame, indent: itemIndent }, level + 1);
    }),
  );
}

function blocksOf(blocks: ExportBlock[], frame: Frame, listLevel = 0): Paragraph[] {
  return blocks.flatMap((block) => {
    switch (block.kind) {
      case "heading":
        return [paragraphOf(block.runs, frame, { heading: HEADINGS[block.level] })];
      case "paragraph":
        return [paragraphOf(block.runs, frame)];
      case "list":
        return listParagraphs(block, frame, listLevel);
      case "quote":
        return blocksOf(block.blocks, { ...frame, quote: true, indent: frame.indent + INDENT }, listLevel);
    }
  });
}

/** Word paragraphs of the body; numbering definitions are added to `numbering`. */
export function docxBody(blocks: ExportBlock[], numbering: NumberingDefinitions): Paragraph[] {
  return blocksOf(blocks, { indent: 0, quote: false, numbering, revisions: new RevisionIds() });
}
