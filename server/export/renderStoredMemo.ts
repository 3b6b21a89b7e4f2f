import * as Y from "yjs";
import { MEMO_FRAGMENT } from "../../common/editor/memoExtensions";
import { unprocessable } from "../errors";
import type { MemoMetadata } from "../memos/memoMetadata";
import { decodeStoredMemo } from "../memos/storedMemoState";
import { recordOfContent, versionContentOf, type VersionRecord } from "../versions/versionContent";
import { exceededLimit, MAX_RENDERED_BLOCKS, measureMemoFragment, type ExceededLimit } from "../workers/documentLimits";
import { renderMemoDocx } from "./docx/renderMemoDocx";
import type { ExportCopy, ExportFormat } from "../../common/export/exportFormats";
import type { MemoExportSource } from "./exportModel";
import { renderMemoMarkdown } from "./markdown/renderMemoMarkdown";
import { renderMemoPdf } from "./pdf/renderMemoPdf";

// The part of an export whose cost grows with the memo, run in a worker (server/workers): decode
// the stored Yjs state, check the memo against the limits, render the file, and derive the export
// version's content, so that the caller only reads the rows before and writes the version after.
// Plain data in (the stored rows as base64 text, as the database returns them), bytes out.

/** What the caller read: the memo's title and metadata, and its stored state. */
export type StoredMemoExport = {
  format: ExportFormat;
  title: string;
  metadata: MemoMetadata;
  /** ISO time of the export. */
  exportedAt: string;
  /** Pending suggestions accepted ("clean") or shown ("review"), and who suggested them. */
  copy?: ExportCopy;
  people?: Record<string, string>;
  /** The memo's snapshot (Yjs update), base64. */
  state: string;
  /** The log rows after it, base64, comma-separated; null when there are none. */
  log: string | null;
};

/** The file, and the version of kind "export" that records what was sent. */
export type RenderedExport = {
  bytes: Uint8Array<ArrayBuffer>;
  version: VersionRecord;
};

const count = (value: number) => value.toLocaleString("en-US");

/** What to tell someone whose memo is beyond a limit, and what to change. */
export function exportLimitMessage(exceeded: ExceededLimit): string {
  switch (exceeded.limit) {
    case "nesting":
      return `This memo nests lists or quotes more than ${exceeded.max} levels deep, deeper than an export can lay out. Move the deepest items up a level (Shift-Tab) and export again.`;
    case "blocks":
      return `This memo has more than ${count(exceeded.max)} paragraphs, headings and list items, more than one export can hold. Split it into several memos and export each.`;
    case "inline":
      return `This memo has more than ${count(exceeded.max)} separately formatted pieces of text, more than one export can hold. Split it into several memos and export each.`;
  }
}

/** A redline (server/versions/versionRedline.ts): a built body, rendered as a review copy. */
export type RedlineExport = {
  format: "docx" | "pdf";
  source: Omit<MemoExportSource, "exportedAt" | "copy"> & { exportedAt: string };
};

/** Renders a redline as its review copy. */
export async function renderRedline(input: RedlineExport): Promise<Uint8Array<ArrayBuffer>> {
  return renderMemoBytes(input.format, {
    ...input.source,
    exportedAt: new Date(input.source.exportedAt),
    copy: "review",
  });
}

/** Renders an export source (a memo's current state or a version) in `format`. */
export async function renderMemoBytes(
  format: ExportFormat,
  source: MemoExportSource,
): Promise<Uint8Array<ArrayBuffer>> {
  if (format === "md") return new TextEncoder().encode(renderMemoMarkdown(source));
  // A copy in a buffer of its own, which can be moved to the caller's thread.
  return new Uint8Array(format === "pdf" ? await renderMemoPdf(source) : await renderMemoDocx(source));
}

/** Renders a stored memo; throws unprocessable when it is beyond the limits. */
export async function renderStoredMemo(input: StoredMemoExport): Promise<RenderedExport> {
  const doc = decodeStoredMemo(input);
  try {
    const shape = measureMemoFragment(doc.getXmlFragment(MEMO_FRAGMENT));
    const exceeded = exceededLimit(shape);
    if (exceeded) throw unprocessable(exportLimitMessage(exceeded), { limit: exceeded.limit, max: exceeded.max });
    if (input.format !== "md" && shape.blocks > MAX_RENDERED_BLOCKS) {
      throw unprocessable(
        `This memo has more than ${count(MAX_RENDERED_BLOCKS)} paragraphs, headings and list items, more than a PDF or Word file can hold. ` +
          "Export it as Markdown, or split it into several memos.",
        { limit: "renderedBlocks", max: MAX_RENDERED_BLOCKS },
      );
    }
    const content = versionContentOf(doc);
    const bytes = await renderMemoBytes(input.format, {
      title: input.title,
      metadata: input.metadata,
      body: content.json,
      exportedAt: new Date(input.exportedAt),
      copy: input.copy,
      people: input.people,
    });
    return { bytes, version: recordOfContent(content, Y.snapshot(doc)) };
  } finally {
    doc.destroy();
  }
}
