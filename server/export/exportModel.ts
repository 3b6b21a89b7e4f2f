import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { memoNodeFromJson, type JSONContent } from "../../common/editor/memoDocument";
import { isAllowedLink } from "../../common/editor/memoExtensions";
import type { MemoMetadata } from "../memos/memoMetadata";
import { Transform } from "@tiptap/pm/transform";
import { withSuggestionsDecided } from "../../common/suggestions/suggestionDecisions";
import {
  SUGGESTION_BOUNDARY,
  suggestionAttrsOf,
  suggestionMarkTypes,
  type SuggestionKind,
} from "../../common/suggestions/suggestionMarks";
import type { ExportCopy } from "../../common/export/exportFormats";
import { everySuggestion } from "../../common/suggestions/suggestionRanges";

// What every export format renders: the memo body flattened into blocks of styled text runs, plus
// the title-block facts. PDF and DOCX walk the same blocks, so they hold the same content in the same
// order. The body is parsed against the one memo schema first, so stored or versioned JSON that does
// not fit the schema is refused instead of half-rendered.

/** A suggestion shown in a review copy: what kind, by whom (a name) and when (ISO). */
export type RunChange = { kind: SuggestionKind; id: string; author: string; date: string };

/** A stretch of text with one style. A hard line break is "\n" inside `text`. */
export type TextRun = {
  text: string;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  href?: string;
  /** In a review copy, the suggestion the text belongs to (a deletion wins over an insertion). */
  change?: RunChange;
};

/** A block of the memo body. */
export type ExportBlock =
  | { kind: "heading"; level: 1 | 2 | 3; runs: TextRun[] }
  | { kind: "paragraph"; runs: TextRun[] }
  | { kind: "list"; ordered: boolean; start: number; items: ExportBlock[][] }
  | { kind: "quote"; blocks: ExportBlock[] };

/** A numbered note printed after the body (open comments, once comments exist). */
export type Endnote = { author: string; text: string; quote?: string };

/** Everything an export needs: a memo's current state or any version of it. */
export type MemoExportSource = {
  title: string;
  metadata: MemoMetadata;
  /** Tiptap JSON of the body (the live document, or a stored version). */
  body: JSONContent;
  /** Numbered endnotes after the body; empty or absent prints none. */
  endnotes?: Endnote[];
  /** When the export was made; its date stands in for a memo without one. */
  exportedAt: Date;
  /** "clean" (the default): pending suggestions accepted; "review": shown as tracked changes. */
  copy?: ExportCopy;
  /** The names of the memo's people by user id, for the authors of suggestions in a review copy. */
  people?: Record<string, string>;
};

// XML 1.0 (DOCX) forbids C0 controls other than tab and line feed, lone surrogates and U+FFFE/U+FFFF;
// Yjs will carry any of them, so they are dropped here for every format alike.
const UNPRINTABLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

/** Text with characters that no format can carry removed. */
export function printableText(text: string): string {
  return text.replace(UNPRINTABLE, "");
}

/** A link target fit to print: allowed protocols only (the Link mark's rule, checked again because
 * Yjs updates are not validated against it), and https for a target typed without one. */
export function exportableHref(href: unknown): string | undefined {
  if (typeof href !== "string") return undefined;
  const target = printableText(href).trim();
  if (!target || !isAllowedLink(target)) return undefined;
  return /^[a-z][a-z0-9+.-]*:/i.test(target) ? target : `https://${target.replace(/^\/+/u, "")}`;
}

function runsOf(node: ProseMirrorNode, people: Names | null): TextRun[] {
  const runs: TextRun[] = [];
  node.forEach((child) => {
    const text = child.type.name === "hardBreak" ? "\n" : printableText(child.text ?? "");
    if (!text) return;
    const has = (name: string) => child.marks.some((mark) => mark.type.name === name);
    const link = child.marks.find((mark) => mark.type.name === "link");
    const run: TextRun = { text, bold: has("bold"), italic: has("italic"), underline: has("underline") };
    const href = exportableHref(link?.attrs.href);
    if (href) run.href = href;
    if (people) {
      const change = changeOf(child, people);
      if (change) run.change = change;
    }
    const last = runs.at(-1);
    if (
      last &&
      last.bold === run.bold &&
      last.italic === run.italic &&
      last.underline === run.underline &&
      last.href === run.href &&
      last.change?.id === run.change?.id &&
      last.change?.kind === run.change?.kind
    ) {
      last.text += run.text;
    } else {
      runs.push(run);
    }
  });
  return runs;
}

function blocksOf(parent: ProseMirrorNode, people: Names | null): ExportBlock[] {
  const blocks: ExportBlock[] = [];
  parent.forEach((node) => {
    switch (node.type.name) {
      case "heading":
        blocks.push({
          kind: "heading",
          level: Math.min(3, Math.max(1, Number(node.attrs.level) || 1)) as 1 | 2 | 3,
          runs: runsOf(node, people),
        });
        break;
      case "paragraph":
        blocks.push({ kind: "paragraph", runs: runsOf(node, people) });
        break;
      case "bulletList":
      case "orderedList": {
        const items: ExportBlock[][] = [];
        node.forEach((item) => items.push(blocksOf(item, people)));
        const start = Number(node.attrs.start);
        blocks.push({
          kind: "list",
          ordered: node.type.name === "orderedList",
          start: Number.isSafeInteger(start) ? start : 1,
          items,
        });
        break;
      }
      case "blockquote":
        blocks.push({ kind: "quote", blocks: blocksOf(node, people) });
        break;
      default:
        // The schema allows nothing else; a new node type must be added to every format here.
        throw new Error(`export does not know the node type "${node.type.name}"`);
    }
  });
  return blocks;
}

/**
 * The body as it is exported: with every pending suggestion accepted (a clean copy), or with them
 * kept and the zero-width spaces that mark suggested splits and joins taken out (a review copy,
 * whose paragraphs stand as they are in the memo); throws when the JSON does not fit the schema.
 */
export function exportBodyOf(source: Pick<MemoExportSource, "body" | "copy">): ProseMirrorNode {
  const body = memoNodeFromJson(source.body);
  if (source.copy !== "review") return withSuggestionsDecided(body, "accept", everySuggestion);
  const tr = new Transform(body);
  const markers: number[] = [];
  body.descendants((node, pos) => {
    if (!node.isText) return true;
    const text = node.text ?? "";
    for (
      let index = text.indexOf(SUGGESTION_BOUNDARY);
      index !== -1;
      index = text.indexOf(SUGGESTION_BOUNDARY, index + 1)
    )
      markers.push(pos + index);
    return false;
  });
  for (const pos of markers.reverse()) tr.delete(pos, pos + 1);
  return tr.doc;
}

/** The body's blocks as exported (exportBodyOf), with each suggestion's author named in a review copy. */
export function exportBlocksOf(source: Pick<MemoExportSource, "body" | "copy" | "people">): ExportBlock[] {
  const people = source.copy === "review" ? new Map(Object.entries(source.people ?? {})) : null;
  return blocksOf(exportBodyOf(source), people);
}

/** The body's blocks of a clean copy (suggestions accepted); throws when the JSON does not fit the schema. */
export function exportBlocksFromJson(body: JSONContent): ExportBlock[] {
  return exportBlocksOf({ body });
}

type Names = ReadonlyMap<string, string>;

function changeOf(node: ProseMirrorNode, people: Names): RunChange | undefined {
  const { insertion, deletion } = suggestionMarkTypes(node.type.schema);
  for (const [type, kind] of [
    [deletion, "deletion"],
    [insertion, "insertion"],
  ] as const) {
    const mark = type.isInSet(node.marks);
    const attrs = mark ? suggestionAttrsOf(mark) : null;
    if (attrs)
      return {
        kind,
        id: attrs.id,
        author: people.get(attrs.author) ?? "A former member",
        date: new Date(attrs.time).toISOString(),
      };
  }
  return undefined;
}

/** Plain text of runs. */
export function textOfRuns(runs: TextRun[]): string {
  return runs.map((run) => run.text).join("");
}

/** Whether a block holds no text at all (an empty memo is one empty paragraph). */
export function isBlankBlock(block: ExportBlock): boolean {
  if (block.kind === "heading" || block.kind === "paragraph") return textOfRuns(block.runs).trim() === "";
  if (block.kind === "quote") return block.blocks.every(isBlankBlock);
  return block.items.every((item) => item.every(isBlankBlock));
}

const DATE_FORMAT = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** The title-block facts as printed: the subject falls back to the title, the date to the export day. */
export type TitleBlock = {
  marking: string;
  to: string;
  from: string;
  date: string;
  subject: string;
  distribution: string[];
};

/** The title block of an export, every value cleaned of unprintable characters. */
export function titleBlockOf(source: MemoExportSource): TitleBlock {
  const { metadata } = source;
  const day = metadata.date ? new Date(`${metadata.date}T00:00:00Z`) : source.exportedAt;
  return {
    marking: printableText(metadata.marking),
    to: printableText(metadata.to),
    from: printableText(metadata.from),
    date: DATE_FORMAT.format(day),
    subject: printableText(metadata.subject || source.title),
    distribution: metadata.distribution.map(printableText).filter(Boolean),
  };
}

/** The date in a file name: the memo's date, else the export day ("2025-11-26"). */
export function fileDateOf(source: Pick<MemoExportSource, "metadata" | "exportedAt">): string {
  return source.metadata.date ?? source.exportedAt.toISOString().slice(0, 10);
}
