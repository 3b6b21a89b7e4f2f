import { loadMemoDoc } from "../collab/persistence";
import type { Db } from "../db";
import { validMemoJson } from "../editor/memoRepair";
import { notFound } from "../errors";
import { authorizeMemo } from "../memos/memoAccess";
import { recordVersion } from "../versions/recordVersion";
import { readMemoMetadata } from "../memos/memoMetadata";
import { renderMemoDocx } from "./docx/renderMemoDocx";
import { attachmentDisposition } from "./exportFileName";
import { fileDateOf, type MemoExportSource } from "./exportModel";
import { renderMemoMarkdown } from "./markdown/renderMemoMarkdown";
import { renderMemoPdf } from "./pdf/renderMemoPdf";

// Exporting a memo: who may, what is exported, and how the file is named. The renderers are pure
// (any Tiptap JSON in, bytes out), so a version can be exported the same way once versions exist.

/** Formats a memo can be exported to. */
export const EXPORT_FORMATS = ["pdf", "docx", "md"] as const;
/** One of EXPORT_FORMATS. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CONTENT_TYPES: Record<ExportFormat, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  md: "text/markdown; charset=utf-8",
};

/** An exported file, ready to send. */
export type ExportedFile = { bytes: Uint8Array; contentType: string; contentDisposition: string };

const FORMAT_LABELS: Record<ExportFormat, string> = { pdf: "PDF", docx: "Word", md: "Markdown" };

/** Renders an export source (a memo's current state or a version) in `format`. */
export async function renderMemoExport(format: ExportFormat, source: MemoExportSource): Promise<ExportedFile> {
  const bytes =
    format === "pdf" ? await renderMemoPdf(source) : format === "docx" ? await renderMemoDocx(source) : new TextEncoder().encode(renderMemoMarkdown(source));
  return { bytes: new Uint8Array(bytes), contentType: CONTENT_TYPES[format], contentDisposition: attachmentDisposition(source.title, fileDateOf(source), format) };
}

/** Exports the current state of a memo the user may export.
 * The state is what the database holds: an edit reaches it at most PERSIST_BATCH_MS after it was
 * typed, so a memo open in the collaboration server exports all but its last few milliseconds. */
export async function exportMemo(
  db: Db,
  userId: string,
  memoId: string,
  format: ExportFormat,
  options: { markings: readonly string[]; now?: Date },
): Promise<ExportedFile> {
  const memo = await authorizeMemo(db, userId, memoId, "export");
  const loaded = await loadMemoDoc(db, memoId);
  if (!loaded) throw notFound();
  // A memo stored before updates were checked is exported as its structure repair leaves it.
  const body = validMemoJson(loaded.doc);
  loaded.doc.destroy();
  const metadata = await readMemoMetadata(db, memoId, options.markings);
  const file = await renderMemoExport(format, { title: memo.title, metadata, body, exportedAt: options.now ?? new Date() });
  // The history shows what was sent out, and when: every export is a version of kind "export".
  const record = (tx: Db) =>
    recordVersion(tx, memoId, { kind: "export", note: `Exported as ${FORMAT_LABELS[format]}`, createdById: userId });
  if ("$transaction" in db) await db.$transaction(record, { timeout: 30_000 });
  else await record(db);
  return file;
}
