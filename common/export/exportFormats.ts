// The formats a memo exports to, by name, for the export menu and the export route. Kept apart from
// the renderers, whose cost grows with the memo and which run in a worker
// (server/export/renderStoredMemo.ts): the server's event loop loads only this.

/** Formats a memo can be exported to. */
export const EXPORT_FORMATS = ["pdf", "docx", "md"] as const;
/** One of EXPORT_FORMATS. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The Content-Type of each format. */
export const CONTENT_TYPES: Record<ExportFormat, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  md: "text/markdown; charset=utf-8",
};

/** Each format as a person names it ("Exported as Word"). */
export const FORMAT_LABELS: Record<ExportFormat, string> = { pdf: "PDF", docx: "Word", md: "Markdown" };

/** What an export shows of pending suggestions: accepted ("clean") or as tracked changes ("review"). */
export const EXPORT_COPIES = ["clean", "review"] as const;
export type ExportCopy = (typeof EXPORT_COPIES)[number];
